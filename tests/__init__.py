"""Facilitator's tests."""
