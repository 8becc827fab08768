"""The standalone build's one program: the window or the command line, by the name it was started as.

A standalone build has no installed package metadata, so the command line cannot find the window
through its entry point: the window is handed to it here. `facilitator-window` (the Linux link,
the Windows program, the macOS application) opens the window; any other name is the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.storage.locations import DataLocation


def window(location: DataLocation) -> int:
    from ui.app import run  # Qt only when the window is asked for: commands start faster

    return run(location)


def main() -> int:
    # Each side imports only what it uses: the window never loads the command line's parsers.
    if Path(sys.argv[0]).stem.lower() == "facilitator-window":
        from ui.app import main as window_main

        return window_main()
    from facilitator.cli import main as command_line

    return command_line(window=window)


if __name__ == "__main__":
    sys.exit(main())
