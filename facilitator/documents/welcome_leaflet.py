"""The welcome leaflet: one page a newcomer takes home, saying what to expect at a meeting, that
nobody has to speak, that the group is not therapy, what stays in the room, when the group meets,
that attendance letters exist, and where to turn in a crisis.

It goes home with people, so it names the group only if the group chose that (as the handout
does), and none of its words say what the group is for: it reads the same for every kind of group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy.orm import Session

from facilitator.documents.handout import crisis_box
from facilitator.documents.layout import Part, Pdf
from facilitator.rules.groups import WEEKDAYS, get_group
from facilitator.storage.preferences import CRISIS_TEXT_DEFAULT, crisis_text, document_settings

DEFAULT_CRISIS_WARNING = (
    "The crisis contacts on this leaflet still only say “call your local emergency number”. "
    "Add your local crisis line in the settings for printed documents before you print it."
)

OPENING = (
    "We are glad you came. This sheet is yours to keep. It tells you what to expect at our meetings. "
    "If you have a question, ask the person who runs the meeting."
)
# (heading, paragraphs): every word written for a newcomer, plain and true for every kind of group.
SECTIONS = (
    (
        "What happens at a meeting",
        (
            "We sit together and take turns. One of us keeps time: a member of the group, not an expert. "
            "We start with a short welcome, and each person can say their first name and how they are today. "
            "Most weeks there is a topic to think about. Then each person has the same time to talk, so that "
            "every voice is heard. When someone talks, we listen. We do not cut in or give advice. "
            "We end on time, and you can stay a few minutes after to talk.",
        ),
    ),
    (
        "You do not have to speak",
        (
            "You can say “pass” at any time. You can just listen, tonight and every week. "
            "You belong here whether you talk or not.",
        ),
    ),
    (
        "This is not therapy",
        (
            "We are peers: people who have lived through hard things too. We share what helped us, and we listen. "
            "Nobody here will treat you or tell you what to do. For care or advice, please see a doctor or "
            "another trained person.",
        ),
    ),
    (
        "What is said here stays here",
        (
            "Who you see here, and what you hear here, stays here. We ask you to do the same for others. "
            "There are limits. If someone may come to serious harm, the person who runs the meeting may need "
            "to get help. If they can, they will talk with that person first. Ask them if you want to know more.",
            "We keep a list of who comes to each meeting. We never write down what anyone says. "
            "If you would rather not give a name, you can be counted as a guest.",
        ),
    ),
    (
        "If you need proof that you came",
        (
            "Some people need to show that they come, for work, a court or a benefits office. "
            "Ask the person who runs the meeting for a letter. It lists the dates you came, and it can leave out "
            "the name of the group.",
        ),
    ),
)


@dataclass(frozen=True)
class LeafletContent:
    group_name: str  # "" unless the group chose to be named on sheets people take home
    weekday: int | None  # the group's usual day, 0 = Monday
    starts_at: time | None
    place: str
    crisis: str
    organisation: str = ""


def leaflet_content(session: Session, group_id: int) -> LeafletContent:
    group = get_group(session, group_id)
    return LeafletContent(
        group_name=group.name if group.handout_names_group else "",
        weekday=group.meeting_weekday,
        starts_at=group.meeting_time,
        place=group.place,
        crisis=crisis_text(session),
        organisation=document_settings(session).organisation,
    )


def when_we_meet(content: LeafletContent) -> str:
    """The group's schedule as a sentence ("We meet on Tuesdays at 19:00, at St Mark's Hall."),
    from what is set of it; "" when none of it is."""
    when = " ".join(
        text
        for text in (
            f"on {WEEKDAYS[content.weekday]}" if content.weekday is not None else "",
            f"at {content.starts_at:%H:%M}" if content.starts_at is not None else "",
        )
        if text
    )
    where = f"at {content.place}" if content.place else ""
    said = ", ".join(text for text in (when, where) if text)
    return f"We meet {said}." if said else ""


def leaflet_part(pdf: Pdf, content: LeafletContent) -> Part:
    story: list[Flowable] = []
    if content.organisation:
        story.append(pdf.text(content.organisation, "small"))
    if content.group_name:
        story.append(pdf.text(content.group_name, "subtitle"))
    story += [pdf.text("Welcome", "title"), pdf.text(OPENING)]
    for heading, paragraphs in SECTIONS:
        story.append(KeepTogether([pdf.text(heading, "heading"), *(pdf.text(text) for text in paragraphs)]))
    schedule = when_we_meet(content)
    if schedule:
        story.append(KeepTogether([pdf.text("When we meet", "heading"), pdf.text(schedule)]))
    story += [Spacer(1, 2 * mm), crisis_box(pdf, content.crisis)]
    if content.crisis == CRISIS_TEXT_DEFAULT:
        pdf.warnings.append(DEFAULT_CRISIS_WARNING)
    return Part(content.group_name or "Welcome", story)


def leaflet_pdf(pdf: Pdf, content: LeafletContent) -> bytes:
    return pdf.render([leaflet_part(pdf, content)], title="Welcome leaflet")
