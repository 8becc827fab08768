"""What the window says of an error: its plain words when the user can act on it; for a fault
inside the program, or the database driver's own words, a plain sentence that says where the
details were saved (a private file in the data folder's "crash reports"), never the traceback or
the driver's text, which a volunteer cannot act on and which may hold a name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from facilitator.errors import FacilitatorError, driver_words, hide_secrets, user_message


def fault_message(folder: Path | None, exc: Exception) -> str:
    """The window's words for `exc`; the details of a fault are saved in `folder` first."""
    if driver_words(exc):
        lead = "The database could not do this, and nothing was changed."
    else:
        message = user_message(exc)
        if message is not None:
            return hide_secrets(message)
        lead = "Something went wrong inside Facilitator. What was recorded before it is kept."
    from facilitator.storage.crash_reports import write_crash_report

    try:
        if folder is None:
            raise FileNotFoundError("the data folder was not found")
        report = write_crash_report(folder, exc, datetime.now().astimezone())
        saved = f"Its details were saved in {report}; please send that file with your report."
    except (OSError, FacilitatorError) as error:  # a full disk, a link planted in the folder's place
        saved = f"Its details could not be saved: {user_message(error) or error}"
    return f"{lead} {saved}"
