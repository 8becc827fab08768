"""Alembic migrations of Facilitator's schema."""
