"""CSV files as spreadsheets and contacts apps save them: the encoding, the separator, and the
records, read a line at a time so that a long file is never held whole."""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain, islice
from typing import BinaryIO

from facilitator.errors import InvalidInput
from facilitator.sources import HEAD_RECORDS, Record, Table

SAMPLE_BYTES = 1024 * 1024  # what the encoding is judged on: all of most rosters
CHUNK_BYTES = 64 * 1024
MAX_LINE_BYTES = 1024 * 1024
CANDIDATE_DELIMITERS = (",", ";", "\t")
EXCEL_SEPARATOR = re.compile(r"sep=(?P<separator>[,;\t|])[ \t]*[\r\n]*")

# The byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Which encoding to believe when several read a sample equally well: what spreadsheets on
# Windows save in Western Europe and the Americas, then Central Europe, then Cyrillic.
PREFERRED = ("cp1252", "cp1250", "cp1251")
# UTF-16 and UTF-32 without a mark are recognised by their zero bytes, before the detector,
# which otherwise takes a few bytes of Chinese for UTF-16.
NOT_DETECTED = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}
NAMES |= {"gb18030": "GB18030", "gbk": "GBK", "big5": "Big5", "cp932": "Shift_JIS", "shift_jis": "Shift_JIS"}
NAMES |= {"cp949": "EUC-KR", "euc_kr": "EUC-KR", "euc_jp": "EUC-JP", "mac-roman": "Mac Roman", "koi8-r": "KOI8-R"}

NOT_ASCII = bytes(range(128, 256))
NON_ASCII_WORD = re.compile(r"\w*[^\x00-\x7f]\w*")
WORDS_JUDGED = 2000
# Outside letters, what names and notes hold that is not ASCII.
PUNCTUATION = frozenset("\u00a0’‘“”„–—…«»·°¿¡€£ºª§")
OPENING = frozenset("‘“„«¿¡")
INNER = frozenset("’‘·")
# Accented letters of the languages facilitators write, each alphabet apart: a reading that
# keeps to one of them beats one that mixes ("Núñez" in Spanish, not "Núńez").
ALPHABETS = tuple(
    frozenset(letters)
    for letters in (
        "áéíóúüñ",
        "àâæçéèêëîïôœùûüÿ",
        "äöüß",
        "áâãàçéêíóôõú",
        "àèéìíîòóùú",
        "éëïöüáóúèà",
        "ąćęłńóśźż",
        "áčďéěíňóřšťúůýž",
        "áäčďéíĺľňóôŕšťúýž",
        "áéíóöőúüű",
        "ăâîșțşţ",
        "çğıöşü",
        "åäöæøéü",
        "áðéíóúýþæö",
        "čćđšž",
        "ąčęėįšųūžāēģīķļņõäöü",
    )
)
RUSSIAN = frozenset(chr(code) for code in range(0x410, 0x450)) | {"Ё", "ё"}
WESTERN = frozenset("áéíóúüñàâçèêëîïôœùûÿäößãõìòåæø")
# Control characters, surrogates, private use, unassigned; and U+FFFD, a byte that did not fit.
# A NUL is found apart, with its line.
TEXT_CHECKED = 64 * 1024
NOT_PLAIN = re.compile(r"[^\x00\t\n\r\x20-\x7e]")
UNREADABLE = frozenset(("Cc", "Cs", "Co", "Cn"))
# The encodings files are commonly in, where the detector's list is longer: readings in these
# are judged, and another reading in one of them as good as the best is a real doubt.
COMMON = frozenset(
    [f"cp{page}" for page in range(1250, 1259)]
    + [f"iso8859-{part}" for part in (1, 2, 3, 4, 5, 7, 9, 10, 13, 14, 15, 16)]
    + ["koi8-r", "koi8-u", "mac-roman", "cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "big5", "cp949", "euc_kr"]
)
SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}  # Japanese mixes these with kanji


@dataclass(frozen=True)
class Decoding:
    codec: str
    name: str  # as the preview names it
    mark: int = 0  # the byte-order mark's length, skipped
    doubt: str = ""


def csv_table(stream: BinaryIO, *, encoding: str | None = None) -> Table:
    """The columns (the first record that is not blank) and the records of a CSV file. Takes the
    stream and closes it once the records are read, or on an error. A record with a byte that
    does not fit the encoding is given with empty cells, and why in `Table.problems`."""
    problems: dict[int, str] = {}
    try:
        sample = stream.read(SAMPLE_BYTES)
        decoding = given_encoding(encoding, sample) if encoding else detect_encoding(sample)
        _check_text(sample, decoding)
        chunks = chain([sample[decoding.mark :]], iter(partial(stream.read, CHUNK_BYTES), b""))
        delimiter, records = _records(_Lines(chunks, decoding), problems)
        header = next(records, None)
        if header is None:
            raise InvalidInput("The file is empty: there is no roster in it.")
        head = list(islice(records, HEAD_RECORDS))
    except BaseException:
        stream.close()
        raise
    if len(head) < HEAD_RECORDS:
        stream.close()
        records = iter(())
    rest = _closing(records, stream)
    return Table("CSV file", header, head, rest, decoding.name, decoding.doubt, delimiter=delimiter, problems=problems)


def _closing(records: Iterator[Record], stream: BinaryIO) -> Iterator[Record]:
    try:
        yield from records
    finally:
        stream.close()


def given_encoding(encoding: str, sample: bytes) -> Decoding:
    """The encoding the user chose, with the file's byte-order mark skipped when it has that one."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput(
            f"“{encoding}” is not an encoding Facilitator knows; choose another, such as UTF-8 or Windows-1252."
        ) from None
    if codec == "utf-8-sig":
        codec = "utf-8"
    if codec in ("utf-16", "utf-32"):
        codec += "-be" if sample.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)) else "-le"
    mark = next((len(bom) for bom, marked in MARKS if marked == codec and sample.startswith(bom)), 0)
    return Decoding(codec, _display_name(codec), mark)


def detect_encoding(sample: bytes) -> Decoding:
    """How the file's bytes are text: its byte-order mark first; then UTF-16 by its zero bytes;
    UTF-8 when the sample is (a stray byte or two spoil only their lines); else the detector's
    best reading. A UTF-16 mark in front of text without zero bytes is not UTF-16."""
    for bom, codec in MARKS:
        if sample.startswith(bom):
            rest = sample[len(bom) :]
            if codec == "utf-8" or not rest or 0 in rest:
                return Decoding(codec, _display_name(codec), len(bom))
            return replace(_detect_unmarked(rest), mark=len(bom))
    return _detect_unmarked(sample)


def _detect_unmarked(sample: bytes) -> Decoding:
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return Decoding(codec, "UTF-16")
    text = sample.decode("utf-8", "replace")
    stray = text.count("\ufffd")
    letters = len(text) - len(sample.translate(None, NOT_ASCII)) - stray  # the characters not ASCII
    if stray <= letters:  # stray bytes, if any, spoil only their lines
        return Decoding("utf-8", "UTF-8")
    return _detected(sample)


def _detected(sample: bytes) -> Decoding:
    """The reading of the sample, among the detector's, whose words look most like names; in
    doubt when it has odd characters or another common encoding reads it as well, differently."""
    from charset_normalizer import from_bytes  # 0.05 s to load: only when a file needs it

    telling = _telling_lines(sample)
    found = list(from_bytes(telling, cp_exclusion=NOT_DETECTED))
    equivalents = [codec for match in found for codec in match.could_be_from_charset]
    # The preferred code pages are always judged: a byte one of them lacks counts against it as
    # one odd character, no more ("Ann\x81Lee" is Windows-1252 with a bad byte, not Japanese).
    readings: dict[str, tuple[tuple[int, int, int], str]] = {}
    for candidate in dict.fromkeys([*PREFERRED, *(match.encoding for match in found), *equivalents]):
        codec = codecs.lookup(candidate).name
        if codec in COMMON and codec not in readings:
            text = _sample_text(telling, codec)
            readings[codec] = (_oddities(text), text)
    codec = min(readings, key=lambda name: readings[name][0])
    score, text = readings[codec]
    rivals = [name for name, (other, reading) in readings.items() if other == score and reading != text]
    name = _display_name(codec)
    return Decoding(codec, name, doubt=_doubt(name) if score[0] or rivals else "")


def _telling_lines(sample: bytes) -> bytes:
    """The sample's distinct lines that are not plain ASCII, up to 64 KB: what tells its encoding,
    and quick to judge. (In the encodings judged here a line end is never part of a character.)"""
    telling: list[bytes] = []
    size = 0
    for line in dict.fromkeys(sample.splitlines()):
        if size > TEXT_CHECKED:
            break
        if not line.isascii():
            telling.append(line)
            size += len(line)
    return b"\n".join(telling)


def _sample_text(sample: bytes, codec: str) -> str:
    """The sample as text in `codec`, a byte that does not fit shown as U+FFFD; a character cut
    off at the sample's end left out."""
    return codecs.getincrementaldecoder(codec)("replace").decode(sample, final=False)


def _check_text(sample: bytes, decoding: Decoding) -> None:
    """Refuses a file that is not text at all (a picture, a program, a workbook saved otherwise):
    more than one character in twenty that is no letter, digit, space or sign in its encoding."""
    text = _sample_text(sample[decoding.mark : decoding.mark + TEXT_CHECKED], decoding.codec)
    unreadable = sum(1 for char in NOT_PLAIN.findall(text) if _unreadable(char))
    if unreadable > 1 and unreadable * 20 > len(text):
        raise InvalidInput("The file is not readable text (is it a picture or a program rather than a list of names?).")


def _unreadable(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in UNREADABLE


def _oddities(text: str) -> tuple[int, int, int]:
    """How unlike names and notes a reading is: characters that are neither letters nor the usual
    punctuation, punctuation stuck before a word ("£ukasz"), a word mixing scripts or casing
    oddly ("мЮПХЪ"); then words whose accented letters no one alphabet holds ("Śárka"); then
    letters outside Western Europe's and Russian's (a tie-break: "Ærø" sooner than "Ęrų",
    "£5" sooner than "Ј5")."""
    odd = mixed = 0
    seen: set[str] = set()
    for word in islice(dict.fromkeys(NON_ASCII_WORD.findall(text)), WORDS_JUDGED):
        scripts = {"LATIN"} if any(char.isascii() and char.isalpha() for char in word) else set()
        letters: set[str] = set()
        for place, char in enumerate(word):
            if char.isupper() and place and word[place - 1].islower() and not word[place - 1 : place + 1].isascii():
                odd += 1  # "OíNeil", "нБТЙС": a capital after a small letter, one of them not ASCII
            if char.isascii():
                continue
            kind = unicodedata.category(char)
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            if kind[0] in "LM" and script != "COMBINING":
                scripts.add(SCRIPT_GROUPS.get(script, script))
            if kind[0] == "L" and script == "LATIN":
                letters.add(char.lower())
            elif kind[0] == "L" and script == "CYRILLIC" and char not in RUSSIAN:
                letters.add(char.lower())
            elif kind[0] not in "LM" and (char not in PUNCTUATION or _stuck_before_a_word(word, place)):
                odd += 1
        odd += len(scripts) > 1
        mixed += bool(letters) and not any(letters <= alphabet for alphabet in ALPHABETS)
        seen |= letters
    return odd, mixed, len(seen - WESTERN)


def _stuck_before_a_word(word: str, place: int) -> bool:
    """Whether the punctuation at `place` begins a word with no space after it, which only an
    opening quote or Spanish's ¿ and ¡ do, or sits between two letters, which only an apostrophe
    or a dot does (O’Neil)."""
    char, after = word[place], word[place + 1 : place + 2]
    if place == 0:
        return after.isalpha() and char not in OPENING
    return word[place - 1].isalpha() and after.isalpha() and char not in INNER


def _doubt(name: str) -> str:
    return (
        f"Facilitator is not sure which encoding this file was saved in and read it as {name}; "
        "if the names look wrong, choose the encoding the file was saved in."
    )


def _display_name(codec: str) -> str:
    if codec in NAMES:
        return NAMES[codec]
    windows = re.fullmatch(r"cp(125\d)", codec)
    return f"Windows-{windows[1]}" if windows else codec.upper()


class _Lines:
    """The file's lines as text, for the CSV reader: split where the encoding's line ends are,
    each decoded alone so that a byte that does not fit spoils only its own line (kept in
    `problem` until the record holding it is read)."""

    def __init__(self, chunks: Iterator[bytes], decoding: Decoding) -> None:
        self.decoding = decoding
        self.number = 0
        self.problem: tuple[int, int, int] | None = None  # the line, and the byte's place and value
        self._raw = _split_lines(chunks, decoding.codec, self)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._raw)
        self.number += 1
        try:
            text = line.decode(self.decoding.codec)
        except UnicodeDecodeError as exc:
            text = line.decode(self.decoding.codec, "replace")
            self.problem = self.problem or (self.number, exc.start + 1, line[exc.start])
        if "\x00" in text:
            raise InvalidInput(f"Line {self.number} holds a NUL byte; this does not look like a CSV file.")
        return text

    def unreadable(self, record_line: int) -> str:
        """What is wrong with the record starting on `record_line`, when one of its lines could
        not be read; then forgets it."""
        if self.problem is None:
            return ""
        line, place, value = self.problem
        self.problem = None
        where = "the line" if line == record_line else f"line {line}"
        return (
            f"byte {place} of {where} (0x{value:02X}) is not {self.decoding.name} text like the rest of "
            "the file; correct the line in the file"
        )


def _split_lines(chunks: Iterator[bytes], codec: str, lines: _Lines) -> Iterator[bytes]:
    """The lines of the bytes, each with its line end (CR LF, LF or CR), holding no more than one
    line and one chunk."""
    cut = _cut_bytes if len("\n".encode(codec)) == 1 else partial(_cut_units, codec=codec)
    rest = b""
    for chunk in chunks:
        complete, rest = cut(rest + chunk)
        yield from complete
        if len(rest) > MAX_LINE_BYTES:
            raise InvalidInput(f"Line {lines.number + 1} is longer than 1 MB; this does not look like a roster.")
    if rest:
        yield rest


def _cut_bytes(buffer: bytes) -> tuple[list[bytes], bytes]:
    """The whole lines of bytes in an encoding where a line end is one byte (UTF-8, Windows
    code pages, the Chinese and Japanese ones), and what follows the last of them: a CR at the
    end waits for the LF that may follow it."""
    complete = buffer.splitlines(keepends=True)
    if complete and (complete[-1].endswith(b"\r") or not complete[-1].endswith(b"\n")):
        return complete, complete.pop()
    return complete, b""


def _cut_units(buffer: bytes, codec: str) -> tuple[list[bytes], bytes]:
    """The same in UTF-16 or UTF-32, where a line end is found only on a character's boundary."""
    unit = len("\n".encode(codec))
    ends = re.compile(b"|".join(re.escape(end.encode(codec)) for end in ("\r\n", "\r", "\n")))
    complete: list[bytes] = []
    start = position = 0
    while (found := ends.search(buffer, position)) is not None:
        if (found.start() - start) % unit:
            position = found.start() + 1
        elif found.end() == len(buffer) and found.group() == "\r".encode(codec):
            break
        else:
            complete.append(buffer[start : found.end()])
            start = position = found.end()
    return complete, buffer[start:]


def _records(lines: _Lines, problems: dict[int, str]) -> tuple[str, Iterator[Record]]:
    """The delimiter, from the first line that is not blank (or Excel's "sep=;" line), and the
    records that are not blank, each numbered by the line it starts on."""
    peeked: list[str] = []
    named = None
    for text in lines:
        excel_hint = EXCEL_SEPARATOR.fullmatch(text) if lines.number == 1 else None
        if excel_hint:  # Excel's "sep=;" first line names the separator; it is not a row
            named = excel_hint["separator"]
            continue
        peeked.append(text)
        if text.strip():
            break
    delimiter = named or _delimiter(peeked[-1] if peeked else "")
    return delimiter, _parsed(chain(peeked, lines), lines, delimiter, 1 if named else 0, problems)


def _parsed(
    feed: Iterator[str], lines: _Lines, delimiter: str, skipped: int, problems: dict[int, str]
) -> Iterator[Record]:
    # Strict: a quote never closed is an error to report, not a reason to run the rest of the
    # file together into one name.
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    first_line = 1 + skipped
    try:
        for record in reader:
            problem = lines.unreadable(first_line)
            if problem:
                problems[first_line] = problem
                yield first_line, [""] * len(record)
            elif any(cell.strip() for cell in record):
                yield first_line, record
            first_line = reader.line_num + 1 + skipped
    except csv.Error as exc:
        line = reader.line_num + skipped
        raise InvalidInput(f"Line {line} is not valid CSV: {exc} (a quote opened and never closed?).") from None


def _delimiter(header: str) -> str:
    """The separator spreadsheets used: whichever of comma, semicolon (European locales) or tab
    the header line holds most of; a comma when it holds none (a one-column list)."""
    counts = {candidate: header.count(candidate) for candidate in CANDIDATE_DELIMITERS}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","
