"""The guide library: built-in guides loaded at start-up, a facilitator's own guides, and the
guide files they are shared as.

A guide's file text is what is stored (`TopicGuide.source`); the parsed `Guide` is worked out
from it when needed, so nothing the file holds is ever lost on the way through the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from facilitator.rules.guide_format import (
    MAX_GUIDE_BYTES,
    MAX_SLUG,
    MAX_TITLE,
    Guide,
    decode_guide,
    parse_guide,
    with_fields,
)
from facilitator.storage.locations import write_private_file
from facilitator.storage.models import GuideKind, Meeting, TopicGuide, utc_now
from facilitator.text import name_key

GUIDE_SUFFIX = ".md"
STANDARD_FORMAT = "standard-meeting"


@dataclass(frozen=True)
class GuideChoice:
    slug: str
    title: str


@dataclass(frozen=True)
class GuideSummary:
    """One guide as the library lists it."""

    slug: str
    kind: GuideKind
    title: str
    theme: str
    builtin: bool
    version: int
    summary: str

    @property
    def owner(self) -> str:
        return "Built-in" if self.builtin else "Yours"


@dataclass(frozen=True)
class Suggestion:
    slug: str
    reason: str  # why this one, in a few words for the choice list


@dataclass(frozen=True)
class LoadReport:
    added: list[str]
    updated: list[str]
    skipped: list[str]  # built-ins whose name a facilitator's own guide already has


def builtin_guide_files() -> list[tuple[str, str]]:
    """The guide files that ship with the program, as (file name, text)."""
    folder = resources.files("resources") / "guides"
    return sorted(
        (entry.name, decode_guide(entry.read_bytes(), entry.name))
        for entry in folder.iterdir()
        if entry.name.endswith(GUIDE_SUFFIX) and entry.name != "README.md"
    )


def load_builtin_guides(session: Session, files: Iterable[tuple[str, str]] | None = None) -> LoadReport:
    """Bring the library's built-in guides up to date with the program's files: new ones are
    added and changed ones replaced. A facilitator's own guides, and their edited copies of
    built-ins, are never touched."""
    report = LoadReport([], [], [])
    stored = {row.slug: row for row in session.scalars(select(TopicGuide))}
    for name, text in builtin_guide_files() if files is None else files:
        guide = parse_guide(text, name)
        row = stored.get(guide.slug)
        if row is None:
            session.add(_row(guide, text, builtin=True))
            report.added.append(guide.slug)
        elif not row.builtin:
            report.skipped.append(guide.slug)
        elif row.source != text:
            _fill(row, guide, text)
            report.updated.append(guide.slug)
    session.flush()
    return report


def list_guides(
    session: Session, *, kind: GuideKind | None = None, theme: str | None = None, words: str = ""
) -> list[GuideSummary]:
    """The library, by kind then title; `words` must all appear somewhere in a guide's text."""
    query = select(TopicGuide).order_by(TopicGuide.kind.desc(), TopicGuide.title, TopicGuide.slug)
    if kind is not None:
        query = query.where(TopicGuide.kind == kind)
    if theme:
        query = query.where(TopicGuide.theme == theme)
    wanted = [name_key(word) for word in words.split()]
    found = []
    for row in session.scalars(query):
        if wanted:
            haystack = name_key(row.source)
            if not all(word in haystack for word in wanted):
                continue
        found.append(_summary(row))
    return found


def guide_themes(session: Session) -> list[str]:
    return list(
        session.scalars(select(TopicGuide.theme).where(TopicGuide.theme != "").distinct().order_by(TopicGuide.theme))
    )


def topic_guide_choices(session: Session, kind: GuideKind = GuideKind.TOPIC) -> list[GuideChoice]:
    """The guides of a kind a meeting can use, by title."""
    rows = session.execute(
        select(TopicGuide.slug, TopicGuide.title).where(TopicGuide.kind == kind).order_by(TopicGuide.title)
    )
    return [GuideChoice(slug, title) for slug, title in rows]


def guide_source(session: Session, slug: str) -> str:
    return _get(session, slug).source


def get_guide(session: Session, slug: str) -> Guide:
    row = _get(session, slug)
    return parse_guide(row.source, row.slug)


def save_guide(session: Session, text: str, *, replacing: str | None = None) -> GuideSummary:
    """Add a facilitator's guide, or replace one of their own (`replacing` names it). Built-ins
    are read-only: duplicate one to change it."""
    guide = parse_guide(text, "the guide")
    row = None
    if replacing is not None:
        row = _get(session, replacing)
        if row.builtin:
            raise InvalidState(f"“{row.title}” is a built-in guide; duplicate it to make your own version.")
    clash = session.scalar(select(TopicGuide).where(TopicGuide.slug == guide.slug))
    if clash is not None and clash is not row:
        raise AlreadyExists(
            f"The library already has a guide called “{guide.slug}” (“{clash.title}”); give this one another slug."
        )
    if row is None:
        row = _row(guide, text, builtin=False)
        session.add(row)
    else:
        _fill(row, guide, text)
    session.flush()
    return _summary(row)


def copy_text(session: Session, slug: str) -> str:
    """The text of a copy of a guide, under a slug and title of its own, not yet saved."""
    original = _get(session, slug)
    suffix = " (my copy)"
    title = original.title[: MAX_TITLE - len(suffix)] + suffix
    return with_fields(original.source, slug=free_slug(session, f"{original.slug}-copy"), title=title, version="1")


def duplicate_guide(session: Session, slug: str) -> GuideSummary:
    """A copy of a guide, as the facilitator's own, ready to edit."""
    return save_guide(session, copy_text(session, slug))


def delete_guide(session: Session, slug: str) -> int:
    """Delete a facilitator's own guide. Meetings that used it keep their records but no longer
    name it; returns how many meetings that is."""
    row = _get(session, slug)
    if row.builtin:
        raise InvalidState(f"“{row.title}” is a built-in guide and cannot be deleted.")
    used = guide_use_count(session, slug)
    session.delete(row)
    session.flush()
    return used


def guide_use_count(session: Session, slug: str) -> int:
    row = _get(session, slug)
    return (
        session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where((Meeting.guide_id == row.id) | (Meeting.format_id == row.id))
        )
        or 0
    )


def import_guide(session: Session, path: Path, *, replace: bool = False) -> GuideSummary:
    """Add a guide from a file another facilitator shared. With `replace`, a guide of one's own
    with the same slug is replaced; built-ins never are."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_GUIDE_BYTES + 1)  # bounded: a device or an endless pipe is not read for ever
    except OSError as error:
        raise InvalidInput(f"Could not read {path.name}: {error.strerror or error}.") from None
    text = decode_guide(data, path.name)
    guide = parse_guide(text, path.name)
    existing = session.scalar(select(TopicGuide).where(TopicGuide.slug == guide.slug))
    if existing is not None and existing.source == text:
        return _summary(existing)
    if existing is not None and replace and not existing.builtin:
        return save_guide(session, text, replacing=existing.slug)
    return save_guide(session, text)


def export_guide(session: Session, slug: str, path: Path) -> Path:
    """Write a guide's file, exactly as stored, for another facilitator or a text editor."""
    text = guide_source(session, slug)
    write_private_file(path, text.encode("utf-8"))
    return path


def suggested_topic(session: Session, group_id: int) -> Suggestion | None:
    """The topic guide the group has gone longest without (never used comes first)."""
    last_used = (
        select(Meeting.guide_id, func.max(Meeting.started_at).label("last"))
        .where(Meeting.group_id == group_id, Meeting.guide_id.is_not(None))
        .group_by(Meeting.guide_id)
        .subquery()
    )
    row = session.execute(
        select(TopicGuide.slug, last_used.c.last)
        .outerjoin(last_used, last_used.c.guide_id == TopicGuide.id)
        .where(TopicGuide.kind == GuideKind.TOPIC)
        .order_by(last_used.c.last.is_not(None), last_used.c.last, TopicGuide.title)
        .limit(1)
    ).first()
    if row is None:
        return None
    return Suggestion(row[0], "not used yet" if row[1] is None else "not used for longest")


def suggested_format(session: Session, group_id: int) -> Suggestion | None:
    """The meeting format the group used last, or the standard one for its first meeting."""
    last = session.scalar(
        select(TopicGuide.slug)
        .join(Meeting, Meeting.format_id == TopicGuide.id)
        .where(Meeting.group_id == group_id)
        .order_by(Meeting.started_at.desc())
        .limit(1)
    )
    if last is not None:
        return Suggestion(last, "used last time")
    standard = session.scalar(
        select(TopicGuide.slug).where(TopicGuide.slug == STANDARD_FORMAT, TopicGuide.kind == GuideKind.FORMAT)
    )
    return Suggestion(standard, "the usual one") if standard else None


def free_slug(session: Session, wanted: str) -> str:
    """`wanted`, or with a number after it if the library already has that slug."""
    base = wanted[: MAX_SLUG - 4].rstrip("-")
    taken = set(session.scalars(select(TopicGuide.slug).where(TopicGuide.slug.startswith(base))))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# ---- inside ---------------------------------------------------------------------------------


def _get(session: Session, slug: str) -> TopicGuide:
    row = session.scalar(select(TopicGuide).where(TopicGuide.slug == slug.strip()))
    if row is None:
        raise NotFound(f"There is no guide “{slug.strip()}” in the library.")
    return row


def _row(guide: Guide, text: str, *, builtin: bool) -> TopicGuide:
    row = TopicGuide(builtin=builtin)
    _fill(row, guide, text)
    return row


def _fill(row: TopicGuide, guide: Guide, text: str) -> None:
    row.slug = guide.slug
    row.kind = guide.kind
    row.title = guide.title
    row.theme = guide.theme
    row.version = guide.version
    row.source = text
    row.updated_at = utc_now()


def _summary(row: TopicGuide) -> GuideSummary:
    summary = parse_guide(row.source, row.slug).summary
    return GuideSummary(row.slug, row.kind, row.title, row.theme, row.builtin, row.version, summary)
