"""Facilitator: run in-person peer-support meetings, with every record kept on this computer."""

__version__ = "0.1.0"
