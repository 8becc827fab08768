"""The settings for printed documents from the command line, so an organisation can script the
same setup for every facilitator: `settings` (all), `settings get`, `settings set`, `settings unset`.
They are read, checked and kept by the same functions as the window's settings dialog."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from facilitator.cli.common import Commands, open_db
from facilitator.cli.output import print_json
from facilitator.storage.locations import DataLocation

if TYPE_CHECKING:
    from facilitator.documents.settings import DocumentSetting

NAMES_HELP = "paper, font, organisation, logo, signed-by, agreements or crisis-contacts"


def register(commands: Commands) -> None:
    settings = commands.add_parser(
        "settings",
        help="the settings for printed documents: list, get, set, unset",
        # Per group, not for every document: one group may want its name on handouts, another not.
        epilog="Whether a group's handouts print its name is that group's own setting: "
        "facilitator group set NAME --handout-names-group yes (or no).",
    )
    settings.add_argument("--json", action="store_true", help="machine-readable output")
    settings.set_defaults(handler=cmd_list)
    actions = settings.add_subparsers(title="actions", metavar="ACTION")

    get = actions.add_parser("get", help="one setting's value, as it is kept")
    get.add_argument("name", metavar="NAME", help=NAMES_HELP)
    # SUPPRESS: `settings --json get NAME` keeps the --json given before the action.
    get.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    get.set_defaults(handler=cmd_get)

    set_ = actions.add_parser("set", help="change a setting (a file's path for the font and the logo)")
    set_.add_argument("name", metavar="NAME", help=NAMES_HELP)
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(handler=cmd_set)

    unset = actions.add_parser("unset", help="put a setting back to its default")
    unset.add_argument("name", metavar="NAME", help=NAMES_HELP)
    unset.set_defaults(handler=cmd_unset)


def cmd_list(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.settings import read_document_settings

    with open_db(location).begin() as session:
        settings = read_document_settings(session)
    if args.json:
        return print_json([_as_json(setting) for setting in settings])
    width = max(len(setting.name) for setting in settings)
    for setting in settings:
        lines = setting.value.split("\n") if setting.value else [f"({setting.when_empty})"]
        if setting.is_default:
            lines[0] += "  (default)"
        print(f"{setting.name.ljust(width)}  {lines[0]}")
        for line in lines[1:]:
            print(f"{'':{width}}  {line}")
    return 0


def cmd_get(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.settings import read_document_setting

    with open_db(location).begin() as session:
        setting = read_document_setting(session, args.name)
    if args.json:
        return print_json(_as_json(setting))
    print(setting.value)
    return 0


def cmd_set(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.settings import change_document_settings

    with open_db(location).begin() as session:
        value = change_document_settings(session, {args.name: args.value})[args.name]
    print(f"Set {args.name} to “{value}”." if value and "\n" not in value else f"Set {args.name}.")
    return 0


def cmd_unset(location: DataLocation, args: argparse.Namespace) -> int:
    from facilitator.documents.settings import change_document_settings

    with open_db(location).begin() as session:
        change_document_settings(session, {args.name: None})
    print(f"{args.name} is back to its default.")
    return 0


def _as_json(setting: DocumentSetting) -> dict[str, object]:
    return {"name": setting.name, "value": setting.value, "default": setting.is_default, "about": setting.about}
