"""Write a new migration from the difference between the models and the newest schema.

Usage, from a checkout: `python -m facilitator.storage.migrations "what changed"`.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from facilitator.storage.database import MIGRATIONS_DIR, create_database_engine, known_revisions, run_migrations


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m facilitator.storage.migrations "what changed"', file=sys.stderr)
        return 2
    revisions = known_revisions()
    next_revision = f"{int(revisions[-1]) + 1:04d}" if revisions else "0001"
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_database_engine(f"sqlite:///{Path(scratch) / 'head.sqlite3'}")
        if revisions:
            run_migrations(engine)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.revision(config, message=argv[0], autogenerate=True, rev_id=next_revision)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
