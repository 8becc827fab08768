"""Calendar dates as the user types and reads them, against the UTC moments that are stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from facilitator.errors import InvalidInput

EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD, within a range that makes sense for meeting records."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"“{text}” is not a date; write it as YYYY-MM-DD, for example 2026-03-05.") from None
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(
            f"{value.isoformat()} is outside the dates Facilitator keeps ({EARLIEST.year}–{LATEST.year})."
        )
    return value


def local_moment(day: date, at: time = time()) -> datetime:  # noqa: B008 - midnight, immutable
    """The UTC moment of a wall-clock time on a calendar day, on this computer's clock."""
    return datetime.combine(day, at).astimezone().astimezone(UTC)


def utc_range(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """UTC bounds for local calendar days from `date_from` to `date_to`, both included."""
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(f"The range starts ({date_from}) after it ends ({date_to}).")
    start = local_moment(date_from) if date_from else None
    end = local_moment(date_to + timedelta(days=1)) if date_to else None
    return start, end


def local(moment: datetime) -> datetime:
    return moment.astimezone()
