"""Storage: the typed models, the database and its migrations, where the records live, preferences,
backups and the one-program lock. Imports nothing above it."""
