"""The rules: one use case per function, each taking a session and returning plain snapshots."""
