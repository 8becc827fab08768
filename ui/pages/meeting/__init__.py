"""The Meeting page: tonight's meeting, check-in and its undo, closing the meeting."""
