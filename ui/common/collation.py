"""Names in the window sorted as people read them: Qt's collator, the window's side of the core's
`name_order` (the Unicode Collation Algorithm), so a click on a Name header sorts as the printed
roster does."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QCollator, QLocale


@functools.cache
def name_collator() -> QCollator:
    """The collator of the user's language; where the system names none ("C", "POSIX", which sort
    by code point, Łukasz after Zoë), English's, which is the algorithm's root order."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        locale = QLocale(QLocale.Language.English)
    return QCollator(locale)


def reading_ranks(texts: Sequence[str]) -> list[int]:
    """Each text's place in reading order, for a model's sort role: Qt then sorts the numbers
    itself, with no call into Python for each comparison (a click on a header, each letter typed
    in a search that narrows a sorted list)."""
    key = name_collator().sortKey
    ranks = [0] * len(texts)
    for rank, number in enumerate(sorted(range(len(texts)), key=lambda number: key(texts[number]))):
        ranks[number] = rank
    return ranks
