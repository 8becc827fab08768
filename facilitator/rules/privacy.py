"""Letting records go: a person forgotten when they ask, everywhere at once, and each group's
rule for how many years of meetings it keeps. Both say first exactly what will go.

The window and the command line delete through the `*_safely` functions and `apply_due_retention`,
which take a backup first and delete nothing when it cannot be made; the session-level functions
beneath them (`forget_person`, `apply_retention`) delete at once and are theirs alone to call."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from facilitator.dates import clock_doubt, local
from facilitator.errors import BackupFailed, DatabaseProblem, FacilitatorError, InvalidInput, InvalidState
from facilitator.plurals import counted, plural
from facilitator.rules.groups import get_group, list_groups
from facilitator.rules.participants import get_participant
from facilitator.storage.backups import (
    backup_before_deleting,
    copy_leftovers,
    fold_write_ahead_log,
    list_backups,
    rewrite_backup,
    verify_database_file,
)
from facilitator.storage.database import Database, create_database_engine, head_revision, upgrade_schema
from facilitator.storage.locations import DataLocation
from facilitator.storage.models import (
    Attendance,
    AttendanceLetter,
    Base,
    Meeting,
    MeetingState,
    Membership,
    Participant,
    Setting,
    ShareTurn,
    utc_now,
)

RETENTION_RANGE = range(0, 101)  # years; 0 keeps everything
# Until every copy is rid of a forgotten person: their id after it, their name as its value.
FORGETTING = "privacy.forgetting."
DISTINCT_NAME_BYTES = 4  # a shorter name is not looked for in a file's bytes: see `_check_forgotten`


@dataclass(frozen=True)
class PersonRecords:
    """Everything held about one person, as the confirmation lists it."""

    participant_id: int
    display_name: str
    groups: list[str]
    check_ins: int
    share_turns: int
    letters: int


@dataclass(frozen=True)
class RetentionPreview:
    group_name: str
    years: int
    before: date | None  # meetings that started before this day go; None: the group keeps all
    meetings: int
    check_ins: int

    @property
    def kept_for(self) -> str:
        if not self.years:
            return "every meeting"
        return f"{counted(self.years, 'year')} of meetings"


@dataclass(frozen=True)
class CopiesForgotten:
    """What forgetting a person did to the copies of the records the program keeps: backups
    rewritten without them, backups that could not be and were deleted, leftovers of interrupted
    copies deleted, and any copy that could be neither (named, for the user to delete)."""

    rewritten: int = 0
    deleted: int = 0
    leftovers: int = 0
    still_holding: tuple[Path, ...] = ()

    @property
    def message(self) -> str:
        done = []
        if self.rewritten:
            done.append(f"removed from {counted(self.rewritten, 'backup')}")
        if self.deleted:
            done.append(
                f"{counted(self.deleted, 'backup')} that could not be rewritten {plural(self.deleted, 'was')} deleted"
            )
        if self.leftovers:
            what = counted(self.leftovers, "other copy", "other copies")
            done.append(
                f"{what} that may have held them (unfinished, damaged, or a document opened in a viewer) "
                f"{plural(self.leftovers, 'was')} deleted"
            )
        text = "; ".join(done)
        text = f"{text[:1].upper()}{text[1:]}." if text else ""
        if self.still_holding:
            left, paths = len(self.still_holding), ", ".join(str(path) for path in self.still_holding)
            text += (
                f" {counted(left, 'copy of the records', 'copies of the records')} still "
                f"{plural(left, 'holds', 'hold')} them and could not be deleted: {paths}. "
                f"Delete {plural(left, 'it', 'them')} yourself."
            )
        return text.strip()


@dataclass(frozen=True)
class Forgotten:
    """A person deleted, the backup taken just before (None: the records are on a server, whose
    own backups cover them), and what was done to remove them from every copy."""

    records: PersonRecords
    backup: Path | None
    copies: CopiesForgotten


@dataclass(frozen=True)
class RetentionApplied:
    """A group's rule kept (and changed, if asked): what went, and the backup taken just before
    (None when nothing went, or the records are on a server)."""

    gone: RetentionPreview
    backup: Path | None


@dataclass(frozen=True)
class RetentionSweep:
    """The start-up sweep: meetings deleted across all groups, with the one backup before them; or,
    when the computer's clock disagrees with the records, why, and how many meetings it kept that
    the clock says are due (the window then asks)."""

    meetings: int
    backup: Path | None
    waiting: int = 0
    clock_doubt: str | None = None


class ClockInDoubt(InvalidState):
    """Records would be deleted by a clock that disagrees with them; nothing was."""


def forget_safely(db: Database, participant_id: int) -> Forgotten:
    """Back up the records, then delete the person and everything about them in one transaction,
    then from every copy the program keeps (`forget_in_copies`), the new backup among them.
    Forgetting that was interrupted before is finished first (`finish_forgetting`).

    The backup is taken outside any transaction, so call this with the `Database`, not inside
    one: from the window through `Operations.attempt(lambda: forget_safely(operations.db, id))`.
    Raises BackupFailed, deleting nothing, when the backup cannot be made.
    """
    finish_forgetting(db)
    _refuse_on_a_disk_too_full_to_rewrite_backups(db.location)
    backup = backup_before_deleting(db.location, "before-forgetting")
    with db.begin() as session:
        records = forget_person(session, participant_id)
        if db.location.database_path is not None:
            session.add(Setting(key=_forgetting_key(participant_id), value=records.display_name))
    return Forgotten(records, backup, forget_in_copies(db, participant_id, records.display_name))


def _refuse_on_a_disk_too_full_to_rewrite_backups(location: DataLocation) -> None:
    """A backup that cannot be rewritten without the person is deleted, so a disk too full for
    the work would lose backups: refuse before anything is deleted. The work needs room for the
    backup before deleting, and for a copy and its compaction of the largest backup."""
    database = location.database_path
    if database is None or not database.is_file():
        return
    largest = max((backup.path.stat().st_size for backup in list_backups(location)), default=0)
    needed = database.stat().st_size + 2 * max(largest, database.stat().st_size)
    free = shutil.disk_usage(database.parent).free
    if free < needed:
        raise BackupFailed(
            f"The disk is too full to forget someone in every backup safely (it needs about "
            f"{-(-needed // 1_000_000)} MB free, and has {free // 1_000_000} MB); nothing was deleted. "
            "Free some space and try again."
        )


def finish_forgetting(db: Database) -> list[CopiesForgotten]:
    """Rid the copies of anyone deleted from the records whose forgetting was stopped before the
    copies were done (the program closed or killed while it rewrote them): for start-up, and
    before each forgetting."""
    with db.begin() as session:
        pending = [
            (int(row.key.removeprefix(FORGETTING)), row.value)
            for row in session.scalars(select(Setting).where(Setting.key.startswith(FORGETTING)))
            if row.key.removeprefix(FORGETTING).isdigit()
        ]
    return [forget_in_copies(db, participant_id, name) for participant_id, name in pending]


def forget_in_copies(db: Database, participant_id: int, name: str) -> CopiesForgotten:
    """Once the person is deleted from the records: each backup is rewritten without them and
    checked, or deleted when it cannot be; the leftovers of interrupted copies are deleted, and the
    damaged records a restore kept aside when their name is in them; then the note that this was
    to be done goes, and the database's log is emptied (deleted rows are overwritten in the file
    itself: `secure_delete`). Records on a server have no copies here."""
    location = db.location
    if location.database_path is None:
        return CopiesForgotten()
    rewritten, deleted, still_holding = 0, 0, []
    for backup in list_backups(location):
        try:
            rewrite_backup(
                backup.path,
                lambda copy: _forget_in_file(copy, participant_id, name),
                lambda copy: _check_forgotten(copy, participant_id, name),
            )
            rewritten += 1
        except (FacilitatorError, OSError, sqlite3.Error, SQLAlchemyError):
            try:
                backup.path.unlink()
                deleted += 1
            except OSError:
                still_holding.append(backup.path)
    leftovers = 0
    for path in copy_leftovers(location):
        if path.is_dir() and not _may_hold_name(path, name):
            continue  # damaged records kept for a rescuer, maybe the only copy of recent work
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            leftovers += 1
        except OSError:
            still_holding.append(path)
    with db.begin() as session:
        session.execute(delete(Setting).where(Setting.key == _forgetting_key(participant_id)))
    try:
        fold_write_ahead_log(location)
    except sqlite3.Error:
        pass  # another program is reading: the log's old pages are overwritten as it is reused
    return CopiesForgotten(rewritten, deleted, leftovers, tuple(still_holding))


def _forget_in_file(path: Path, participant_id: int, name: str) -> None:
    """Forget the person in a copy of the records, through the same rule as in the records
    themselves; an older copy is brought up to date first. Their id names them only while it
    carries their name: else the copy cannot be trusted to be rewritten right (DatabaseProblem)."""
    revision = verify_database_file(path)
    if revision is None:
        raise DatabaseProblem(f"{path.name} holds no records.")
    url = f"sqlite:///{path}"
    db = Database(create_database_engine(url), DataLocation(path.parent, url))
    try:
        if revision != head_revision():
            upgrade_schema(db.engine, db.location)
        with db.begin() as session:
            person = session.get(Participant, participant_id)
            if person is not None and person.display_name != name:
                raise DatabaseProblem(f"In {path.name}, their id belongs to someone called otherwise.")
            if person is not None:
                forget_person(session, person.id)
            session.execute(delete(Setting).where(Setting.key == _forgetting_key(participant_id)))
    finally:
        db.close()


def _check_forgotten(path: Path, participant_id: int, name: str) -> None:
    """A rewritten copy holds no record of the person and no free page; and, unless another record
    holds the same words (a namesake, a note), their name is nowhere in its bytes."""
    folded = name.casefold()
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        kept = connection.execute("SELECT 1 FROM participants WHERE id = ?", (participant_id,)).fetchone()
        free_pages = connection.execute("PRAGMA freelist_count").fetchone()[0]
        in_records = any(folded in text for text in _texts(connection))
    finally:
        connection.close()
    if kept or free_pages:
        raise DatabaseProblem(f"{path.name} still holds their record after rewriting.")
    # Fewer bytes than this turn up by chance in any large file (in numbers and dates): proof of nothing.
    if len(folded.encode()) >= DISTINCT_NAME_BYTES and not in_records and _file_holds(path, folded):
        raise DatabaseProblem(f"{path.name} still holds their name after rewriting.")


def _may_hold_name(folder: Path, name: str) -> bool:
    """Whether the person's name is in some file of the folder; a name too short to tell by counts
    as there. (Damaged records cannot be read as records, only as bytes.)"""
    folded = name.casefold()
    if len(folded.encode()) < DISTINCT_NAME_BYTES:
        return True
    return any(_file_holds(path, folded) for path in folder.rglob("*") if path.is_file())


def _texts(connection: sqlite3.Connection) -> Iterator[str]:
    """Every text in the database, its schema included, case-folded."""
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in ("sqlite_master", *tables):
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            yield from (value.casefold() for value in row if isinstance(value, str))


def _file_holds(path: Path, folded: str, chunk: int = 1 << 20) -> bool:
    """Whether the case-folded text is anywhere in the file's bytes read as UTF-8, a chunk at a time."""
    overlap = 4 * len(folded)
    with path.open("rb") as handle:
        data = handle.read(chunk)
        while data:
            if folded in data.decode("utf-8", errors="replace").casefold():
                return True
            more = handle.read(chunk)
            data = data[-overlap:] + more if more else b""
    return False


def apply_retention_safely(
    db: Database,
    group_id: int,
    years: int | None = None,
    *,
    now: datetime | None = None,
    clock_confirmed: bool = False,
) -> RetentionApplied:
    """Keep the group's rule (set to `years` first, when given): if that deletes any meetings,
    the records are backed up first; then the rule is saved and the old meetings go, in one
    transaction. Call it with the `Database`, outside any transaction, like `forget_safely`.
    Raises BackupFailed, changing nothing, when the backup cannot be made; and ClockInDoubt when
    meetings would go by a clock that disagrees with the records (`retention_clock_doubt`),
    unless the person said the clock is right."""
    moment = now or utc_now()
    day = local(moment).date()  # one cutoff for what was backed up for and what goes
    with db.begin() as session:
        going = retention_preview(session, group_id, years, today=day)
        doubt = retention_clock_doubt(session, moment) if going.meetings and not clock_confirmed else None
    if doubt is not None:
        raise ClockInDoubt(f"{doubt} Nothing was deleted.")
    backup = backup_before_deleting(db.location, "before-retention") if going.meetings else None
    with db.begin() as session:
        if years is not None:
            set_retention_years(session, group_id, years)
        gone = apply_retention(session, group_id, today=day)
    return RetentionApplied(gone, backup)


def apply_due_retention(db: Database, *, now: datetime | None = None, clock_confirmed: bool = False) -> RetentionSweep:
    """At start-up: the meetings that have grown older than their group keeps go, every group's
    in one transaction after one backup. Nothing due: no backup, nothing written. Nothing goes
    either by a clock that disagrees with the records, unless the person said it is right: the
    sweep then says why, for the window to ask.
    Raises BackupFailed, deleting nothing, when the backup cannot be made."""
    moment = now or utc_now()
    day = local(moment).date()
    with db.begin() as session:
        groups = list_groups(session, include_archived=True)
        due = {group.id: retention_preview(session, group.id, today=day).meetings for group in groups}
        due = {group_id: meetings for group_id, meetings in due.items() if meetings}
        doubt = retention_clock_doubt(session, moment) if due and not clock_confirmed else None
    if not due:
        return RetentionSweep(0, None)
    if doubt is not None:
        return RetentionSweep(0, None, waiting=sum(due.values()), clock_doubt=doubt)
    backup = backup_before_deleting(db.location, "before-retention")
    with db.begin() as session:
        gone = sum(apply_retention(session, group_id, today=day).meetings for group_id in due)
    return RetentionSweep(gone, backup)


def retention_clock_doubt(session: Session, now: datetime) -> str | None:
    """Why the computer's clock should not decide which meetings are old enough to go, or None
    when it agrees with the newest record of a meeting (its start, end or a check-in)."""
    newest = [
        session.scalar(select(func.max(column)))
        for column in (Meeting.started_at, Meeting.ended_at, Attendance.checked_in_at)
    ]
    return clock_doubt(now, max((moment for moment in newest if moment is not None), default=None))


def person_records(session: Session, participant_id: int) -> PersonRecords:
    person = get_participant(session, participant_id)

    def count(model: type[Base], column: InstrumentedAttribute[int]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column == person.id)) or 0

    groups = session.scalars(select(Membership.group_id).where(Membership.participant_id == person.id)).all()
    names = sorted(get_group(session, group_id).name for group_id in set(groups))
    return PersonRecords(
        person.id,
        person.display_name,
        names,
        count(Attendance, Attendance.participant_id),
        count(ShareTurn, ShareTurn.participant_id),
        count(AttendanceLetter, AttendanceLetter.participant_id),
    )


def forget_person(session: Session, participant_id: int) -> PersonRecords:
    """Delete the person and everything about them: memberships in every group, check-ins,
    share turns and the record of letters issued to them. Meetings keep their other records."""
    records = person_records(session, participant_id)
    session.execute(delete(Participant).where(Participant.id == participant_id))  # the rest goes by cascade
    session.flush()
    return records


def retention_years(session: Session, group_id: int) -> int:
    """How many years of meetings the group keeps; 0 keeps them all."""
    stored = session.get(Setting, _retention_key(group_id))
    return int(stored.value) if stored is not None and stored.value.isdigit() else 0


def set_retention_years(session: Session, group_id: int, years: int) -> None:
    if years not in RETENTION_RANGE:
        raise InvalidInput(f"Keep records for 0 (always) to {RETENTION_RANGE.stop - 1} years, not {years}.")
    get_group(session, group_id)
    session.merge(Setting(key=_retention_key(group_id), value=str(years)))
    session.flush()


def retention_preview(
    session: Session, group_id: int, years: int | None = None, *, today: date | None = None
) -> RetentionPreview:
    """What keeping `years` years (the group's own rule when not given) would delete now."""
    group = get_group(session, group_id)
    keep = retention_years(session, group.id) if years is None else years
    if keep not in RETENTION_RANGE:
        raise InvalidInput(f"Keep records for 0 (always) to {RETENTION_RANGE.stop - 1} years, not {keep}.")
    if keep == 0:
        return RetentionPreview(group.name, 0, None, 0, 0)
    day = today or date.today()
    before = _years_back(day, keep)
    old = _old_meetings(group.id, before)
    meetings = session.scalar(select(func.count()).select_from(Meeting).where(Meeting.id.in_(old))) or 0
    check_ins = session.scalar(select(func.count()).select_from(Attendance).where(Attendance.meeting_id.in_(old))) or 0
    return RetentionPreview(group.name, keep, before, meetings, check_ins)


def apply_retention(session: Session, group_id: int, *, today: date | None = None) -> RetentionPreview:
    """Delete the group's meetings older than it keeps, with their check-ins and share turns."""
    preview = retention_preview(session, group_id, today=today)
    if preview.before is not None and preview.meetings:
        session.execute(delete(Meeting).where(Meeting.id.in_(_old_meetings(group_id, preview.before))))
        session.flush()
    return preview


def _old_meetings(group_id: int, before: date) -> Select[int]:
    """The group's closed meetings that started before `before` and were made before every meeting
    it keeps: one made later (ids only grow) was dated by a clock that was behind, not held then."""
    start = datetime.combine(before, time.min).astimezone()  # midnight, local time
    first_kept = (
        select(func.min(Meeting.id)).where(Meeting.group_id == group_id, Meeting.started_at >= start).scalar_subquery()
    )
    return select(Meeting.id).where(
        Meeting.group_id == group_id,
        Meeting.started_at < start,
        Meeting.state == MeetingState.CLOSED,
        or_(first_kept.is_(None), Meeting.id < first_kept),
    )


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _forgetting_key(participant_id: int) -> str:
    return f"{FORGETTING}{participant_id}"


def _retention_key(group_id: int) -> str:
    return f"retention.years.{group_id}"
