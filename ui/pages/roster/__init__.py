"""The Roster page: who is in the group, adding and editing people."""
