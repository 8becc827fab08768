"""One package per page of the window; each holds its view, its Qt models and its dialogs, and never
imports another page (an import contract in pyproject.toml checks it)."""
