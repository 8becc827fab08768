"""Domain errors: what a user did that the rules refuse, worded for the user to read."""


class FacilitatorError(Exception):
    """A refusal the user can act on. Its message is one plain sentence for the user."""


class NotFound(FacilitatorError):
    """A group, participant or meeting that does not exist."""


class AlreadyExists(FacilitatorError):
    """A name or record that would be doubled."""


class InvalidInput(FacilitatorError):
    """Text or a value the program cannot accept."""


class InvalidState(FacilitatorError):
    """An action that does not fit where things stand, such as checking in to a closed meeting."""


class DatabaseProblem(FacilitatorError):
    """The database cannot be used as it is: from a newer version, not ours, or unreadable."""


class DatabaseDamaged(DatabaseProblem):
    """The database file fails its integrity check; a backup can take its place."""


def user_message(exc: BaseException) -> str | None:
    """The plain words for an error a user can meet, or None for a fault in the program."""
    if isinstance(exc, FacilitatorError):
        return str(exc)
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().rstrip(".")
        if "disk is full" in reason or "disk full" in reason:
            return (
                "The disk is full, so this was not saved. Everything saved before is safe; "
                "free some space and try again."
            )
        if "readonly" in reason or "read-only" in reason:
            return (
                "Your records cannot be written to (the disk or folder is read-only), so this was not saved. "
                "Everything saved before is safe."
            )
        return f"The database could not do this: {' '.join(reason.split())}. Nothing was changed."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}."
    return None
