"""The share round: its pure state machine, the order people share in, and the record of turns."""
