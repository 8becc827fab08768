"""What an operation changed, so that every page can tell whether it has something to redraw."""

from __future__ import annotations

import enum


class Change(enum.Flag):
    """The parts of the records an operation touched. A page refreshes when one it shows is set."""

    NOTHING = 0
    GROUPS = enum.auto()  # a group made, renamed, archived or restored, or its settings
    MEETING = enum.auto()  # a meeting opened or closed, its topic, format, part or notes
    ATTENDANCE = enum.auto()  # check-ins and guests
    ROSTER = enum.auto()  # people added, edited, taken off or forgotten
    LIBRARY = enum.auto()  # topic guides and meeting formats
    SETTINGS = enum.auto()  # printed documents' settings, crisis contacts, preferences
    EVERYTHING = GROUPS | MEETING | ATTENDANCE | ROSTER | LIBRARY | SETTINGS  # records restored
