"""What every part of the window shares: plain-text helpers, small widgets, the style, a form dialog,
the snapshot table model and the models more than one page shows (a meeting's roll, a group's
meetings), guide HTML."""
