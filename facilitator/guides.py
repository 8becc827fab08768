"""Topic guides in the library, as the rest of the program asks for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.models import GuideKind, TopicGuide


@dataclass(frozen=True)
class GuideChoice:
    slug: str
    title: str


def topic_guide_choices(session: Session) -> list[GuideChoice]:
    """The topic guides a meeting can use, by title."""
    rows = session.execute(
        select(TopicGuide.slug, TopicGuide.title).where(TopicGuide.kind == GuideKind.TOPIC).order_by(TopicGuide.title)
    )
    return [GuideChoice(slug, title) for slug, title in rows]
