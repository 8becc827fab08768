"""The `facilitator` command line. With no command it opens the window.

Each area's commands live in a module of their own (groups, meetings, transfer, guides,
documents, settings, safety) that registers its sub-commands with their handlers; this module holds the
parser's skeleton and `main`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from facilitator import __version__
from facilitator.cli import documents, groups, guides, meetings, safety, settings, transfer
from facilitator.cli.common import PROG, close_records
from facilitator.cli.output import prepare_output
from facilitator.errors import FacilitatorError, report_failure
from facilitator.storage.locations import DataLocation, add_location_arguments, tighten_data_folder

AREAS = (groups, meetings, transfer, guides, documents, settings, safety)


Window = Callable[[DataLocation], int]


def main(argv: Sequence[str] | None = None, window: Window | None = None) -> int:
    """The command line. `window` is what opens the window when no command is given; by default it
    is found through the `facilitator.window` entry point (a standalone build, which has no entry
    points, passes it in)."""
    prepare_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[DataLocation, argparse.Namespace], int] | None = args.handler
    try:
        location = DataLocation.resolve(args.data_dir, args.database_url)
        tightened = tighten_data_folder(location.data_dir)
        if tightened:
            print(tightened, file=sys.stderr)
        if handler is None:
            return (window or installed_window())(location)
        return handler(location, args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return report_failure(PROG, exc)
    finally:
        close_records()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run peer-support meetings: attendance, share rounds, topic guides and handouts. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_location_arguments(parser)
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for area in AREAS:
        area.register(commands)
    return parser


def installed_window() -> Window:
    """The desktop window, found through the `facilitator.window` entry point.

    The core never imports the Qt layer; the Qt layer registers itself as this entry point.
    """
    from importlib.metadata import entry_points

    found = list(entry_points(group="facilitator.window"))
    if not found:
        raise FacilitatorError("The window is not installed; reinstall Facilitator with its Qt layer.")
    run: Window = found[0].load()
    return run
