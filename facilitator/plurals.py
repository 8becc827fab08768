"""Counts in words, the one rule for plurals that the window, the documents and the command line share:
"1 guest", "2 guests", "1 person", "3 people"."""

from __future__ import annotations

# Words whose plural is not the word and an "s".
IRREGULAR = {"person": "people", "was": "were"}


def plural(number: int, word: str, words: str | None = None) -> str:
    """`word` as it reads after `number`: itself for one, its plural for any other number."""
    if number == 1:
        return word
    return words or IRREGULAR.get(word) or f"{word}s"


def counted(number: int, word: str, words: str | None = None) -> str:
    """The number and the word that follows it: "1 meeting", "0 meetings", "2 people"."""
    return f"{number} {plural(number, word, words)}"
