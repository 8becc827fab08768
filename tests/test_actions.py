"""The window's keys, declared once: no key does two things, and each page's keys reach its buttons and the sheet."""

from __future__ import annotations

import enum
from collections import defaultdict

from PySide6.QtGui import QKeySequence

from ui.actions import ActionSpec, MainAction, MeetingKey, PanelAction, PreviewAction, SharingAction, shortcut_rows
from ui.app import application

# What is bound at once: the window's actions and docks with the keys of the one page showing; a
# document's preview is a dialog of its own, over the window (which then takes no keys).
DECLARED: tuple[tuple[type[enum.Enum], ...], ...] = (
    (MainAction, PanelAction, MeetingKey),
    (MainAction, PanelAction, SharingAction),
    (PreviewAction,),
)


def key_sequences(spec: ActionSpec) -> list[str]:
    """Each key sequence an action answers to, as Qt spells it (a standard key can be several)."""
    if spec.shortcut is None:
        return []
    if isinstance(spec.shortcut, QKeySequence.StandardKey):
        bindings = QKeySequence.keyBindings(spec.shortcut)
    else:
        bindings = [QKeySequence(spec.shortcut)]
    return [each.toString(QKeySequence.SequenceFormat.PortableText) for each in bindings if not each.isEmpty()]


def clashes(declarations: tuple[type[enum.Enum], ...]) -> dict[str, list[str]]:
    """The key sequences bound to more than one action, with the actions bound to them."""
    bound: dict[str, list[str]] = defaultdict(list)
    for declaration in declarations:
        for name in declaration:
            for keys in key_sequences(name.value):
                bound[keys].append(f"{declaration.__name__}.{name.name}")
    return {keys: names for keys, names in bound.items() if len(names) > 1}


def test_no_key_sequence_is_bound_twice() -> None:
    application()  # standard keys are the platform's: they need the application
    for at_once in DECLARED:
        assert clashes(at_once) == {}


def test_a_key_bound_twice_is_caught() -> None:
    application()

    class Clash(enum.Enum):
        NEXT_AGAIN = ActionSpec("Next Again", "Clashes with the Sharing page's N", "n")
        UNDO_AGAIN = ActionSpec("Undo Again", "Clashes with Undo, a standard key", "Ctrl+Z")

    assert clashes((MainAction, SharingAction, Clash)) == {
        "N": ["SharingAction.NEXT", "Clash.NEXT_AGAIN"],
        "Ctrl+Z": ["MainAction.UNDO", "Clash.UNDO_AGAIN"],
    }


def test_the_sharing_keys_on_the_sheet_come_from_their_actions() -> None:
    rows = dict(shortcut_rows(SharingAction))
    assert len(rows) == len(SharingAction)
    assert rows["Space"] == SharingAction.START_OR_PAUSE.value.tip
    assert rows["Shift+L"] == "Someone who arrived late shares next"
