"""Facilitator: run in-person peer-support meetings, with every record kept on this computer."""

__version__ = "0.1.0"

# The name desktops know the program by: its menu entry, its icon, its AppStream record, its macOS
# bundle. Reverse DNS of a domain the project holds, and never changed once released.
APP_ID = "org.facilitator_app.Facilitator"
