"""A guide as a page to read: the HTML that previews and the script panel show.

Every piece of the guide's text is escaped here, so a guide is shown exactly as written and a
`<b>` in it is two characters and a letter, never bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from facilitator.plurals import counted
from facilitator.rules.guide_format import AGREEMENTS, FACILITATOR_NOTES, Block, Guide, Section
from facilitator.storage.models import GuideKind

PAGE_STYLE = """
<style>
h1 { font-size: 17pt; margin: 0 0 2px 0; }
h2 { font-size: 12pt; margin: 14px 0 4px 0; }
p { margin: 0 0 8px 0; }
ul { margin-top: 0; }
.meta { color: #5f5f5f; }
.doing { color: #555555; font-style: italic; }
.notes { background: #f3f0e6; }
</style>
"""


def guide_html(guide: Guide) -> str:
    """The whole guide as the facilitator reads it before a meeting."""
    if guide.kind is GuideKind.TOPIC:
        meta = guide.theme + (f" · about {guide.share_minutes} min each to share" if guide.share_minutes else "")
    else:
        meta = f"Meeting format · {counted(len(guide.parts), 'part')} · {sum(p.minutes or 0 for p in guide.parts)} min"
    head = f"<h1>{escape(guide.title)}</h1><p class='meta'>{escape(meta)} · version {guide.version}</p>"
    return PAGE_STYLE + head + "".join(section_html(section) for section in guide.sections)


def section_html(section: Section, *, heading: bool = True, extra: Sequence[str] = ()) -> str:
    """One section: its heading (with a part's minutes), then its paragraphs and lists, then any
    `extra` paragraphs (what the settings add to a part)."""
    title = section.name + (f" · {section.minutes} min" if section.minutes is not None else "")
    css = " class='notes'" if section.name.casefold() == FACILITATOR_NOTES.casefold() else ""
    body = blocks_html(section.blocks)
    body += "".join(f"<p>{escape(paragraph)}</p>" for paragraph in extra)
    return (f"<h2>{escape(title)}</h2>" if heading else "") + f"<div{css}>{body}</div>"


def blocks_html(blocks: tuple[Block, ...]) -> str:
    html, in_list = [], False
    for block in blocks:
        if block.item and not in_list:
            html.append("<ul>")
        elif not block.item and in_list:
            html.append("</ul>")
        in_list = block.item
        text = escape(block.text)
        if block.item:
            html.append(f"<li>{text}</li>")
        elif block.text == AGREEMENTS:  # filled in from the settings when the meeting reads it
            html.append("<p class='doing'>[The group's agreements, as your settings have them.]</p>")
        elif block.text.startswith("[") and block.text.endswith("]"):
            html.append(f"<p class='doing'>{text}</p>")  # something to do, not to read aloud
        else:
            html.append(f"<p>{text}</p>")
    if in_list:
        html.append("</ul>")
    return "".join(html)
