"""The main window's frame: menus and toolbar from the declared actions, docks, the page list,
saved state, and the change broadcast."""
