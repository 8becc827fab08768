"""Calendar dates as the user types and reads them, against the UTC moments that are stored; the
time a meeting was held; and whether the computer's clock agrees with the records.

Every date a person reads (in the window, a document, or a sentence on the command line) is
written here, day before month, the month by name ("Tue 3 Mar 2026"), in English whatever the
computer's language so that a document reads the same from the window and the command line.
The command line's tables and JSON keep YYYY-MM-DD, the form it takes dates in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from facilitator.errors import InvalidInput

EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)

# Two computers sharing records, or one whose clock drifted, may disagree by minutes; a
# retention cutoff is a whole day, so a clock behind the records by less than a day deletes
# what the right clock would.
CLOCK_SLACK = timedelta(days=1)
# Groups meet weekly or monthly, and the shortest retention rule is a year: a clock more than a
# year past every record is more likely wrong than a group gone quiet, and it would delete whole
# years of meetings. Asking once costs a group back from a long break one click.
CLOCK_LEAP = timedelta(days=366)

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def long_date(day: date) -> str:
    """ "Tuesday 3 March 2026"."""
    return f"{DAYS[day.weekday()]} {full_date(day)}"


def full_date(day: date) -> str:
    """ "3 March 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def medium_date(day: date) -> str:
    """ "3 Mar 2026"."""
    return f"{day.day} {month_year(day)}"


def short_day(day: date) -> str:
    """ "Tue 3 Mar 2026"."""
    return f"{DAYS[day.weekday()][:3]} {medium_date(day)}"


def month_year(day: date) -> str:
    """ "Mar 2026"."""
    return f"{MONTHS[day.month - 1][:3]} {day.year}"


def day_at(moment: datetime) -> str:
    """ "Tue 3 Mar 2026 at 19:30", on the clock `moment` carries."""
    return f"{short_day(moment.date())} at {moment:%H:%M}"


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


def local(moment: datetime) -> datetime:
    return moment.astimezone()


def utc_offset_minutes(moment: datetime) -> int:
    """The offset from UTC of this computer's clock at `moment` (summer time included), in minutes."""
    offset = moment.astimezone().utcoffset()
    assert offset is not None  # a local time always has one
    return int(offset.total_seconds() // 60)


def held_at(moment: datetime, offset_minutes: int) -> datetime:
    """A moment of a meeting on the clock it was held by: the same wherever the records are read."""
    return moment.astimezone(timezone(timedelta(minutes=offset_minutes)))


def day_starts(day: date, offset_minutes: int) -> datetime:
    """The moment a calendar day begins on a clock `offset_minutes` ahead of UTC."""
    return datetime.combine(day, time(), timezone(timedelta(minutes=offset_minutes)))


def clock_doubt(now: datetime, newest_record: datetime | None) -> str | None:
    """Why the computer's clock should not be trusted to delete records by, in a sentence; None when
    it agrees with them. It disagrees when the newest record is later than now, or when now is far
    beyond every record (see `CLOCK_SLACK`, `CLOCK_LEAP`)."""
    if newest_record is None:
        return None
    reads = f"The computer's clock reads {day_at(local(now))}"
    newest = day_at(local(newest_record))
    if newest_record > now + CLOCK_SLACK:
        return f"{reads}, earlier than the newest record ({newest})."
    if now > newest_record + CLOCK_LEAP:
        return f"{reads}, over a year after the newest record ({newest})."
    return None
