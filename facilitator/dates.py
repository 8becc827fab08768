"""Calendar dates as the user types and reads them, against the UTC moments that are stored; the
time a meeting was held; and whether the computer's clock agrees with the records.

Every date a person reads (in the window, a document, or a sentence on the command line) is
written here, day before month, the month by name ("Tue 3 Mar 2026"), in English whatever the
computer's language so that a document reads the same from the window and the command line.
The command line's tables and JSON keep YYYY-MM-DD, the form it takes dates in.

A document read by someone outside the group (the attendance letter) follows the reader's and
writer's custom instead: month before day and a 12-hour clock where that is usual ("Tuesday,
January 6, 2026", "7:00 PM"), day first and 24 hours elsewhere. Its words stay English, so the
custom is that of "English as used in" the user's country, from the Unicode CLDR data Babel
keeps (`DateCustom`), the locale passed in (the window's) or read from the environment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from facilitator.errors import InvalidInput

if TYPE_CHECKING:
    from babel import Locale

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


# Where the locale says nothing of a country (C, POSIX, or a country CLDR has no English for), the
# program's long-standing way: day before month, a 24-hour clock.
FALLBACK_CUSTOM = "en_GB"
LOCALE_VARIABLES = ("LC_ALL", "LC_TIME", "LANG")


@dataclass(frozen=True)
class DateCustom:
    """How dates and times are written where the user is: `date_custom("en_US")`."""

    locale: Locale

    def full_day(self, day: date) -> str:
        """ "Tuesday, January 6, 2026" (en_US), "Tuesday, 6 January 2026" (en_GB)."""
        from babel.dates import format_date

        return _spaced(format_date(day, "full", locale=self.locale))

    def day(self, day: date) -> str:
        """ "January 6, 2026" (en_US), "6 January 2026" (en_GB)."""
        from babel.dates import format_date

        return _spaced(format_date(day, "long", locale=self.locale))

    def day_in_month(self, day: date) -> str:
        """ "Tue, Jan 6" (en_US), "Tue 6 Jan" (en_GB): a day read under its month's heading."""
        from babel.dates import format_skeleton

        return _spaced(format_skeleton("MMMEd", day, locale=self.locale))

    def month(self, day: date) -> str:
        """ "January 2026"."""
        from babel.dates import format_skeleton

        return _spaced(format_skeleton("yMMMM", day, locale=self.locale))

    def clock(self, at: time) -> str:
        """ "7:00 PM" (en_US), "19:00" (en_GB)."""
        from babel.dates import format_time

        return _spaced(format_time(at, "short", locale=self.locale))


def date_custom(locale_name: str | None = None) -> DateCustom:
    """The custom of the locale named as Qt or the environment names it ("en_US", "de_DE.UTF-8",
    "en-GB"); None reads the environment (LC_ALL, LC_TIME, LANG), which is what the command line
    has. The window passes its own locale: on Windows and macOS the environment says nothing.
    Babel (its import and its data) is loaded here, for a letter, never at start-up."""
    from babel import Locale, UnknownLocaleError, default_locale
    from babel.core import parse_locale

    name = locale_name if locale_name is not None else default_locale(LOCALE_VARIABLES)
    base = (name or "").split(".")[0].split("@")[0].replace("-", "_")
    try:
        parts = parse_locale(base) if base else None
    except ValueError:
        parts = None
    territory, variant = (parts[1], parts[3]) if parts else (None, None)
    # Only the territory is read, never the language's own data (the standalone program carries
    # English data alone). Babel reads C and POSIX as en_US_POSIX: no custom asked for.
    if territory and variant != "POSIX":
        try:
            return DateCustom(Locale.parse(f"en_{territory}"))
        except UnknownLocaleError:
            pass
    return DateCustom(Locale.parse(FALLBACK_CUSTOM))


def _spaced(text: str) -> str:
    # CLDR puts a narrow no-break space before AM/PM; not every font has it, every font has U+00A0.
    return text.replace("\u202f", "\u00a0")


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
