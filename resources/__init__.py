"""Files that ship with Facilitator: icons, sounds, built-in guides. Read them through `path()`."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """A shipped file, in a checkout or an installed copy (both keep it beside this module)."""
    return HERE.joinpath(*parts)
