"""Which of a table's columns hold people's names (and notes): from the headers' words, in the
languages facilitators use and as contacts exports (Google, Outlook, vCards) name them, or,
when no header says, from what the cells look like."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from facilitator.errors import InvalidInput
from facilitator.sources import Record, Table

# Headers by what they hold, compared in lower case without accents or punctuation (see
# `_header_key`): English, Spanish, French, German, Portuguese, Italian, Dutch, Polish, and the
# few words of Chinese, Japanese and Korean exports.
WHOLE_NAME = frozenset(
    {
        "name", "names", "full name", "fullname", "display name", "displayname", "contact name",
        "participant", "participants", "participant name", "member", "members", "member name",
        "attendee", "attendees", "attendee name", "your name",
        "nombre completo", "nombre y apellidos", "nombre y apellido", "nombre y apellido s", "nombre apellidos",
        "participante", "participantes", "miembro", "miembros", "asistente", "asistentes",
        "nom complet", "nom et prenom", "prenom et nom", "nom prenom", "prenom nom", "nom d affichage",
        "membre", "membres",
        "vollstandiger name", "voller name", "vor und nachname", "vor und zuname", "anzeigename",
        "teilnehmer", "teilnehmerin", "teilnehmende", "mitglied", "mitglieder",
        "nome completo", "nome e sobrenome", "nome e apelido", "membro", "membros",
        "nome e cognome", "cognome e nome", "partecipante", "partecipanti", "membri",
        "volledige naam", "naam", "weergavenaam", "deelnemer", "deelnemers", "lid", "leden",
        "imie i nazwisko", "nazwisko i imie", "imie nazwisko", "pelne imie", "uczestnik", "uczestnicy", "czlonek",
        "姓名", "氏名", "名前", "이름", "성명",
    }
)  # fmt: skip
GIVEN_NAME = frozenset(
    {
        "first name", "firstname", "first", "given name", "givenname", "given", "forename", "forenames",
        "primer nombre", "nombres", "nombre de pila", "prenom", "prenoms", "vorname", "vornamen",
        "primeiro nome", "prenome", "voornaam", "voornamen", "imie", "imiona", "名",
    }
)  # fmt: skip
MIDDLE_NAME = frozenset(
    {
        "middle name", "middle names", "middlename", "middle", "additional name", "additional names",
        "segundo nombre", "deuxieme prenom", "second prenom", "autres prenoms", "zweiter vorname",
        "weitere vornamen", "nome do meio", "segundo nome", "secondo nome", "tweede naam", "tweede voornaam",
        "middelste naam", "middelste namen",
        "drugie imie",
    }
)  # fmt: skip
# Dutch "van der" goes between the given name and the family name: Jan van der Berg.
INFIX = frozenset({"tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"})
FAMILY_NAME = frozenset(
    {
        "last name", "lastname", "last", "surname", "surnames", "family name", "familyname", "family",
        "apellido", "apellidos", "apellido s", "primer apellido", "nom de famille", "nachname", "familienname",
        "zuname", "sobrenome", "sobrenomes", "cognome", "achternaam", "familienaam", "nazwisko", "姓", "苗字",
    }
)  # fmt: skip
SECOND_FAMILY_NAME = frozenset({"segundo apellido"})
NICKNAME = frozenset(
    {
        "nickname", "nick name", "nick", "known as", "apodo", "alias", "sobrenombre", "surnom", "spitzname",
        "alcunha", "soprannome", "bijnaam", "roepnaam", "pseudonim", "przydomek", "ksywka",
    }
)  # fmt: skip
FILE_AS = frozenset({"file as", "archivar como", "classer sous", "speichern unter", "arquivar como", "opslaan als"})
NOTE = frozenset(
    {
        "note", "notes", "comment", "comments", "remark", "remarks",
        "nota", "notas", "comentario", "comentarios", "observaciones", "observacion",
        "remarque", "remarques", "commentaire", "commentaires",
        "notiz", "notizen", "bemerkung", "bemerkungen", "anmerkung", "anmerkungen", "kommentar", "kommentare",
        "observacoes", "observacao", "commenti", "commento", "osservazioni",
        "notitie", "notities", "opmerking", "opmerkingen", "aantekeningen",
        "uwagi", "uwaga", "notatki", "notatka", "komentarz", "komentarze",
    }
)  # fmt: skip
# Words whose meaning depends on the columns beside them.
NAME_OR_FAMILY = frozenset({"name", "nom"})  # the family name beside a given name (Vorname;Name, Prénom;Nom)
NAME_OR_GIVEN = frozenset({"nombre", "nome"})  # the given name beside a family name (Nombre;Apellidos)
SURNAME_OR_NICKNAME = frozenset({"apelido", "apelidos"})  # Portugal's surname; Brazil's nickname beside Sobrenome

# What cells that are not names look like.
EMAIL = re.compile(r"\S+@\S+\.\S+")
DATE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
PHONE = re.compile(r"\+?[\d\s().\-/]{5,}")
NUMBER = re.compile(r"[\d\s.,+-]+")
MOSTLY = 0.8
TITLE_LINES = 10  # how far down a file the headings are looked for, under a title and blank lines


@dataclass(frozen=True)
class NameRule:
    """Where a record's name and note are: a whole-name column used when the record has it, else
    the given, middle and family names joined (family first, without spaces, in Chinese,
    Japanese and Korean), or the nickname or "File As" of someone without a given name."""

    whole: int | None = None
    given: int | None = None
    middle: tuple[int, ...] = ()  # middle names, then Dutch infixes
    family: tuple[int, ...] = ()  # family names (Spanish has two)
    nickname: int | None = None
    file_as: int | None = None
    note: int | None = None
    whole_line: str | None = None  # the delimiter, when each whole line is one name
    header_is_a_name: bool = False  # a list of names without a heading: its first line is a person
    guessed: bool = False  # no heading was recognised; the column was chosen by what its cells look like

    def name_of(self, record: list[str]) -> str:
        """The record's name as the file gives it; "" when it has none (only an e-mail address or
        a company, or a record the reader could not read: see `Table.problems`)."""
        if self.whole_line is not None:
            return self.whole_line.join(record)
        whole = _cell(record, self.whole)
        if whole:
            return whole
        given = _cell(record, self.given)
        if not given:
            fallback = _cell(record, self.nickname) or _cell(record, self.file_as)
            if fallback:
                return fallback
        middle = [_cell(record, index) for index in self.middle]
        family = [_cell(record, index) for index in self.family]
        parts = [part for part in (given, *middle, *family) if part]
        if not given.isascii() and any(family) and all(_written_family_first(part) for part in parts):
            return "".join(part for part in (*family, given, *middle) if part)
        return " ".join(parts)

    def note_of(self, record: list[str]) -> str:
        return _cell(record, self.note)

    def headings(self, columns: list[str]) -> list[str]:
        """The table's columns as the preview names them: "(names)" for a bare list of names, and
        "Column 1", "Column 2"... when the first line is a person rather than a heading."""
        if not self.header_is_a_name:
            return columns
        if self.whole_line is not None:
            return ["(names)"]
        return [f"Column {number}" for number in range(1, len(columns) + 1)]

    def describe(self, columns: list[str]) -> str:
        """The column or columns the names come from, as the preview names them (`columns` as
        `headings` gives them)."""
        if self.whole_line is not None:
            return columns[0]
        parts = " + ".join(columns[index] for index in self._parts())
        if self.whole is None:
            return parts
        return f"{columns[self.whole]} (or {parts})" if parts else columns[self.whole]

    def _parts(self) -> list[int]:
        given = [] if self.given is None else [self.given]
        return [*given, *self.middle, *self.family]


def name_rule(table: Table, name_column: str | None = None) -> tuple[NameRule, Iterator[Record]]:
    """Where `table`'s names are (in `name_column` when given), and the records of people. The
    table's header is moved down past a title and blank lines above the headings."""
    _past_titles(table, name_column)
    columns = table.columns
    keys = [_header_key(column) for column in columns]
    note = _find(keys, NOTE)
    if name_column is not None:
        chosen = _find(keys, frozenset({_header_key(name_column)}))
        if chosen is None:
            raise _no_names(table, f"no column called “{name_column}”")
        return NameRule(whole=chosen, note=note), table.records()
    rule = _from_headers(keys)
    if len([column for column in columns if column]) == 1:
        # One column is a plain list of names, commas and all ("Smith, Ann" is one person).
        bare = rule is None and "name" not in keys[0]  # "Member name" is a heading
        rule = NameRule(whole=0, whole_line=table.delimiter or ",", header_is_a_name=bare)
        return rule, _with_header(table) if bare else table.records()
    if rule is not None:
        return rule, table.records()
    guessed = _guessed(table, note)
    if guessed is None:
        raise _no_names(table, "no column of names")
    return guessed, _with_header(table) if guessed.header_is_a_name else table.records()


def _from_headers(keys: list[str]) -> NameRule | None:
    given = _find(keys, GIVEN_NAME)
    family = [index for index, key in enumerate(keys) if key in FAMILY_NAME]
    whole = _find(keys, WHOLE_NAME - NAME_OR_FAMILY)
    ambiguous = _find(keys, NAME_OR_FAMILY)
    if ambiguous is not None:
        if given is not None and not family:
            family = [ambiguous]
        elif whole is None:
            whole = ambiguous
    maybe_given = _find(keys, NAME_OR_GIVEN)
    nickname = _find(keys, NICKNAME)
    surname_or_nickname = _find(keys, SURNAME_OR_NICKNAME)
    if surname_or_nickname is not None:
        if family:
            nickname = surname_or_nickname if nickname is None else nickname
        else:
            family = [surname_or_nickname]
    if maybe_given is not None:
        if family and given is None:
            given = maybe_given
        elif whole is None:
            whole = maybe_given
    family += [index for index, key in enumerate(keys) if key in SECOND_FAMILY_NAME]
    if whole is None and given is None and not family:
        if nickname is None:
            return None
        whole, nickname = nickname, None
    middle = [index for index, key in enumerate(keys) if key in MIDDLE_NAME]
    middle += [index for index, key in enumerate(keys) if key in INFIX]
    return NameRule(
        whole=whole,
        given=given,
        middle=tuple(middle),
        family=tuple(family),
        nickname=nickname,
        file_as=_find(keys, FILE_AS),
        note=_find(keys, NOTE),
    )


def _past_titles(table: Table, name_column: str | None) -> None:
    """Make the headings the table's header when a title ("Tuesday Circle, members 2026") or
    blank lines stand above them, as spreadsheets are often laid out: when the first line has at
    most one cell filled, the first of the next lines to have more is the headings' line if its
    words are headings of names. Nothing else is passed over: a list's own lines (a "Nick" among
    names, "Member" in a column of roles) are never taken for headings."""
    if _filled(table.header[1]) > 1 or _names_headings(table.columns, name_column):
        return
    lines = table.head[:TITLE_LINES]
    found = next((index for index, (_, cells) in enumerate(lines) if _filled(cells) > 1), None)
    if found is not None and _names_headings(lines[found][1], name_column):
        table.header = lines[found]
        table.head = table.head[found + 1 :]


def _names_headings(cells: list[str], name_column: str | None) -> bool:
    keys = [_header_key(cell) for cell in cells]
    if name_column is not None:
        return _header_key(name_column) in keys
    return _from_headers(keys) is not None


def _filled(cells: list[str]) -> int:
    return sum(bool(cell.strip()) for cell in cells)


def _guessed(table: Table, note: int | None) -> NameRule | None:
    """The column whose cells look most like names (letters, one to four words, mostly distinct),
    or None when none does. The header line is a person too when each of its cells looks like
    the cells below it (a name over names, an e-mail address over e-mail addresses)."""
    cells_by_column = [[_cell(cells, index) for _, cells in table.head] for index in range(len(table.header[1]))]
    if not table.head:  # one line: its cells are all there is to judge
        cells_by_column = [[_cell(table.header[1], index)] for index in range(len(table.header[1]))]
    best: tuple[float, int] | None = None
    for index, cells in enumerate(cells_by_column):
        filled = [cell for cell in cells if cell]
        if not filled or len(filled) * 2 < len(cells):
            continue
        named = sum(_kind(cell) == "name" for cell in filled) / len(filled)
        distinct = len(set(filled)) / len(filled)
        if named >= MOSTLY and (distinct >= MOSTLY or len(filled) < 4):
            score = named + distinct
            if best is None or score > best[0]:
                best = (score, index)
    if best is None:
        return None
    header = table.header[1]
    kinds = [Counter(_kind(cell) for cell in cells if cell).most_common(1) for cells in cells_by_column]
    header_is_a_name = not table.head or all(
        not _cell(header, index) or (kind and _kind(_cell(header, index)) == kind[0][0])
        for index, kind in enumerate(kinds)
    )
    return NameRule(whole=best[1], note=note, header_is_a_name=header_is_a_name, guessed=True)


def _kind(cell: str) -> str:
    """What a cell looks like: an e-mail address, a date, a phone number, a number, a name, or other."""
    for kind, pattern in (("email", EMAIL), ("date", DATE), ("phone", PHONE), ("number", NUMBER)):
        if pattern.fullmatch(cell):
            return kind
    letters = sum(char.isalpha() for char in cell)
    words = cell.split()
    if (
        1 <= len(words) <= 4
        and len(cell) <= 60
        and not any(char.isdigit() or char in "@/:" for char in cell)
        and letters >= MOSTLY * len("".join(words))
    ):
        return "name"
    return "other"


def _no_names(table: Table, what: str) -> InvalidInput:
    shown = ", ".join(f"“{c}”" for c in table.columns if c) or "none"
    return InvalidInput(f"Line {table.header[0]} has {what} (columns: {shown}); name the column with --name-column.")


def _with_header(table: Table) -> Iterator[Record]:
    yield table.header
    yield from table.records()


def _header_key(header: str) -> str:
    """A header as the word lists hold it: "Prénom" → "prenom", "E-mail 1 - Value" → "e mail 1 value"."""
    letters = unicodedata.normalize("NFKD", header.casefold())
    plain = "".join(char for char in letters if not unicodedata.combining(char)).replace("ł", "l")
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _find(keys: list[str], words: frozenset[str]) -> int | None:
    return next((index for index, key in enumerate(keys) if key in words), None)


def _cell(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""


def _written_family_first(part: str) -> bool:
    """Whether a name part is in Chinese, Japanese or Korean script, where the family name comes
    first and no space parts the names."""
    return all(
        0x1100 <= ord(char) <= 0x11FF or 0x2E80 <= ord(char) <= 0x9FFF or 0xAC00 <= ord(char) <= 0xD7AF
        or 0xF900 <= ord(char) <= 0xFAFF or 0x20000 <= ord(char) <= 0x3FFFF
        for char in part
    )  # fmt: skip
