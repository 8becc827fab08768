"""The main window's frame: menus and toolbar from the declared actions, docks, the page list, saved state, the change broadcast."""
