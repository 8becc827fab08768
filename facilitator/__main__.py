"""`python -m facilitator` does what the `facilitator` command does."""

import sys

from facilitator.cli import main

sys.exit(main())
