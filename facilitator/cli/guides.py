"""Commands for the guide library: `guides list|export|import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from facilitator.cli.common import Commands, open_db
from facilitator.cli.output import print_json, print_table
from facilitator.storage.locations import DataLocation


def register(commands: Commands) -> None:
    guides = commands.add_parser("guides", help="list, export or import topic guides and meeting formats")
    guides_commands = guides.add_subparsers(title="guides commands", metavar="ACTION", required=True)
    guides_list = guides_commands.add_parser("list", help="list the guide library")
    guides_list.add_argument("--json", action="store_true", help="machine-readable output")
    guides_list.set_defaults(handler=cmd_guides_list)
    guides_export = guides_commands.add_parser("export", help="write a guide to a file to share or edit")
    guides_export.add_argument("slug", metavar="SLUG")
    guides_export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.md")
    guides_export.set_defaults(handler=cmd_guides_export)
    guides_import = guides_commands.add_parser("import", help="add a guide from a file")
    guides_import.add_argument("file", type=Path, metavar="FILE.md")
    guides_import.add_argument("--replace", action="store_true", help="replace your own guide of the same slug")
    guides_import.set_defaults(handler=cmd_guides_import)


def cmd_guides_list(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import list_guides

    with open_db(location).begin() as session:
        guides = list_guides(session)
    if args.json:
        return print_json(
            [
                {
                    "slug": g.slug,
                    "kind": g.kind.value,
                    "title": g.title,
                    "theme": g.theme,
                    "builtin": g.builtin,
                    "version": g.version,
                    "summary": g.summary,
                }
                for g in guides
            ]
        )
    print_table(
        ("Slug", "Kind", "Title", "Theme", "Whose"),
        [(g.slug, g.kind.value, g.title, g.theme or "—", g.owner) for g in guides],
    )
    return 0


def cmd_guides_export(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import export_guide

    with open_db(location).begin() as session:
        path = export_guide(session, args.slug, args.output)
    print(f"Wrote the guide {args.slug} to {path}.")
    return 0


def cmd_guides_import(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.rules.guides import import_guide

    with open_db(location).begin() as session:
        guide = import_guide(session, args.file, replace=args.replace)
    print(f"Imported {args.file.name}: {guide.kind.value} “{guide.title}” ({guide.slug}).")
    return 0
