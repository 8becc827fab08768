"""Named operations: each runs the core's use cases in a transaction, owns its dialogs, and says what it changed."""
