"""Names in the window sorted as people read them: Qt's collator, the window's side of the core's
`name_order` (the Unicode Collation Algorithm), so a click on a Name header sorts as the printed
roster does."""

from __future__ import annotations

import functools

from PySide6.QtCore import QCollator, QLocale


@functools.cache
def name_collator() -> QCollator:
    """The collator of the user's language; where the system names none ("C", "POSIX", which sort
    by code point, Łukasz after Zoë), English's, which is the algorithm's root order."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        locale = QLocale(QLocale.Language.English)
    return QCollator(locale)


def names_in_order(one: str, other: str) -> bool:
    """Whether the name `one` comes before `other` in the window's lists."""
    return name_collator().compare(one, other) < 0
