"""The Overview page: a group at a glance, and the welcome page shown before there is any group."""
