"""Files that ship with Facilitator: icons, sounds, built-in guides. Read them through `path()`."""

from importlib.resources import files
from importlib.resources.abc import Traversable


def path(*parts: str) -> Traversable:
    """A shipped file, found the same way in a checkout and in an installed copy."""
    return files(__name__).joinpath(*parts)
