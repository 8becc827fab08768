"""Reading roster files: contacts exports (Google, Outlook), headers in eight languages, the
column of names found by its cells, encodings found by the byte-order mark or a detector, and
files read as a stream (a FIFO or a device refused at once, a long file in bounded memory)."""

from __future__ import annotations

import codecs
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from facilitator.errors import InvalidInput
from facilitator.sources import Table, open_table, table_from_bytes
from facilitator.sources.columns import name_rule
from facilitator.sources.csv_files import CHUNK_BYTES, SAMPLE_BYTES, csv_table, detect_encoding
from facilitator.sources.files import MAX_FILE_BYTES, open_source
from tests.fixtures.rosters.make_fixtures import GOOGLE_COLUMNS, csv_text, fixtures

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")


def _people(table: Table) -> list[tuple[str, str]]:
    """Each record's name and note, as the import reads them."""
    rule, records = name_rule(table)
    return [(rule.name_of(cells), rule.note_of(cells)) for _, cells in records]


def _names(table: Table) -> list[str]:
    return [name for name, _ in _people(table)]


# 1. Contacts exports


def test_the_fixtures_are_what_their_generator_writes() -> None:
    assert {name: (ROSTERS / name).read_bytes() for name in fixtures()} == fixtures()


def test_a_google_contacts_export_gives_each_person_their_name() -> None:
    table = open_table(ROSTERS / "google_contacts.csv")
    assert _people(table) == [
        ("Ann Marie Lee", "Prefers tea"),
        ("", ""),  # only an e-mail address
        ("", ""),  # only a company
        ("Gran", ""),  # only a nickname
        ("王小明", ""),  # family name first, no space
        ("Chloé Lefèvre-Dubois", ""),  # a nickname is not used when there is a given name
        ("Zoë Nguyễn", "Comes on Tuesdays\nAllergic to nuts"),
        ("Robert Smith, Jr.", ""),
        ("Okafor (neighbour)", ""),  # "File As", when there is no given name or nickname
        ("Łukasz Wójcik", ""),  # without the "Dr." of Name Prefix
    ]
    assert table.encoding == "UTF-8"
    assert name_rule(table)[0].describe(table.columns) == "First Name + Middle Name + Last Name"


def test_the_older_google_contacts_export_uses_its_name_column_first() -> None:
    table = open_table(ROSTERS / "google_contacts_old.csv")
    assert _people(table) == [
        ("Ann Lee", "Prefers tea"),
        ("", ""),
        ("", ""),  # "Organization 1 - Name" is a company, not a person
        ("Gran", ""),
        ("王小明", ""),
        ("José Núñez", "Comes on Tuesdays\nAllergic to nuts"),
        ("Smith, Robert", ""),
    ]


def test_an_outlook_export_in_windows_1252_never_uses_the_display_name_or_company() -> None:
    table = open_table(ROSTERS / "outlook_contacts.csv")
    assert table.encoding == "Windows-1252"
    assert _people(table) == [
        ("Ann Marie Lee", "Prefers tea"),
        ("", ""),  # "E-mail Display Name" is only the address
        ("", ""),
        ("Chloé Lefèvre", "Comes on Tuesdays\r\nDrives"),
        ("Jürgen Weiß", ""),
        ("Robert Smith, Jr.", ""),
    ]


# 2. Headers in the languages facilitators use


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Nombre;Apellidos;Teléfono\nJosé;Núñez García;600 000 000\n", [("José Núñez García", "")]),
        ("Nombre,Apellido,Notas\nLucía,Peña,viene los martes\n", [("Lucía Peña", "viene los martes")]),
        ("Nombre,Primer apellido,Segundo apellido\nMaría,Peña,Ruiz\n", [("María Peña Ruiz", "")]),
        ("Nombre completo;Observaciones\nLucía Fernández;nueva\n", [("Lucía Fernández", "nueva")]),
        ("Nombre;Teléfono\nLucía Fernández;600\n", [("Lucía Fernández", "")]),
        ("Prénom;Nom;Remarques\nChloé;Martin;végétarienne\n", [("Chloé Martin", "végétarienne")]),
        ("Nom;Téléphone\nChloé Martin;06 00\n", [("Chloé Martin", "")]),
        ("Nom complet,Commentaire\nAnaïs Dupré,\n", [("Anaïs Dupré", "")]),
        ("Vorname;Nachname;Notizen\nJürgen;Weiß;kommt dienstags\n", [("Jürgen Weiß", "kommt dienstags")]),
        ("Vorname;Name;Telefon\nJürgen;Weiß;0221\n", [("Jürgen Weiß", "")]),
        ("Vollständiger Name;Bemerkung\nÖzlem Groß;\n", [("Özlem Groß", "")]),
        ("Name;Telefon\nÖzlem Groß;0221\n", [("Özlem Groß", "")]),
        ("Nome;Sobrenome;Apelido\nJoão;Silva;Jota\n", [("João Silva", "")]),  # Brazil: Apelido is a nickname
        ("Nome;Apelido;Notas\nJoão;Silva;\n", [("João Silva", "")]),  # Portugal: Apelido is the surname
        ("Nome completo;Observações\nJoão Silva;\n", [("João Silva", "")]),
        ("Nome;Cognome;Note\nGiulia;Rossi;arriva tardi\n", [("Giulia Rossi", "arriva tardi")]),
        ("Nome e cognome;Commenti\nGiulia Rossi;\n", [("Giulia Rossi", "")]),
        ("Voornaam;Tussenvoegsel;Achternaam;Opmerkingen\nJan;van der;Berg;\n", [("Jan van der Berg", "")]),
        ("Volledige naam;Notities\nSanne de Vries;fietst\n", [("Sanne de Vries", "fietst")]),
        ("Naam,Telefoon\nSanne de Vries,06\n", [("Sanne de Vries", "")]),
        ("Imię;Nazwisko;Uwagi\nŁukasz;Wójcik;\n", [("Łukasz Wójcik", "")]),
        ("Imię i nazwisko;Notatki\nZofia Żółć;\n", [("Zofia Żółć", "")]),
        ("first_name,last_name,email\nAnn,Lee,ann@example.org\n", [("Ann Lee", "")]),
        ("姓,名,电话\n王,小明,138\n", [("王小明", "")]),
    ],
)
def test_headers_in_eight_languages(text: str, people: list[tuple[str, str]]) -> None:
    table = table_from_bytes(text.encode())
    assert _people(table) == people
    assert not name_rule(table)[0].guessed


def test_a_german_spreadsheet_with_semicolons_in_windows_1252() -> None:
    table = open_table(ROSTERS / "vorname_nachname.csv")
    assert table.encoding == "Windows-1252"
    assert table.delimiter == ";"
    assert _names(table) == ["Jürgen Weiß", "Özlem Groß", "Änne Müller-Lüdenscheidt"]
    assert name_rule(table)[0].describe(table.columns) == "Vorname + Nachname"


def test_a_column_of_names_under_an_unknown_heading_is_found_by_its_cells() -> None:
    table = table_from_bytes(
        "Nr;Kontakt;Telefon;E-post;Født\n"
        "1;Ann Lee;+47 555 0100;ann@example.org;1990-01-02\n"
        "2;Bjørn Dæhlie;+47 555 0101;bd@example.org;1988-03-04\n"
        "3;Sigrid Undset;+47 555 0102;;1982-05-06\n".encode()
    )
    rule, _ = name_rule(table)
    assert (rule.guessed, rule.describe(table.columns)) == (True, "Kontakt")
    assert _names(table) == ["Ann Lee", "Bjørn Dæhlie", "Sigrid Undset"]


def test_names_without_a_heading_are_found_and_the_first_line_kept() -> None:
    table = table_from_bytes(b"Ann Lee,ann@example.org,+1 555 0100\nBo Chen,bo@example.org,+1 555 0101\n")
    rule, _ = name_rule(table)
    assert (rule.guessed, rule.header_is_a_name) == (True, True)
    assert _names(table) == ["Ann Lee", "Bo Chen"]
    headings = rule.headings(table.columns)
    assert (headings, rule.describe(headings)) == (["Column 1", "Column 2", "Column 3"], "Column 1")


def test_no_column_that_looks_like_names_is_refused_naming_the_columns() -> None:
    with pytest.raises(InvalidInput, match=r"Line 1 has no column of names \(columns: “ID”, “Phone”, “Joined”\)"):
        name_rule(table_from_bytes(b"ID,Phone,Joined\n1,555 0100,2024-01-02\n2,555 0101,2024-02-03\n"))


# 5. Encodings


def test_one_stray_byte_in_a_utf8_file_spoils_only_its_own_line() -> None:
    data = "Name,Notes\nZoë,café\nŁukasz,\n".encode() + b"Jos\xff\n" + "Мария,\n".encode()
    table = table_from_bytes(data)
    assert table.encoding == "UTF-8"
    assert _names(table) == ["Zoë", "Łukasz", "", "Мария"]  # the bad line's cells are empty...
    assert table.problems == {  # ...and why is told, by its line
        4: "byte 4 of the line (0xFF) is not UTF-8 text like the rest of the file; correct the line in the file"
    }


def test_a_stray_byte_on_a_later_line_of_a_record_is_named_by_its_line() -> None:
    table = table_from_bytes(b'Name,Notes\nAnn,"first\nsecond \xe9"\nBo,\n' + "Zoë,\n".encode())
    assert [line for line, _ in table.records()] == [2, 4, 5]
    assert table.problems == {
        2: "byte 8 of line 3 (0xE9) is not UTF-8 text like the rest of the file; correct the line in the file"
    }


def test_a_utf16_mark_in_front_of_utf8_text_is_not_believed() -> None:
    table = table_from_bytes(codecs.BOM_UTF16_LE + "Name\nZoë\nŁukasz\n".encode())
    assert (table.encoding, _names(table)) == ("UTF-8", ["Zoë", "Łukasz"])


def test_a_bad_unit_in_utf16_is_named_by_its_line_and_byte() -> None:
    data = "Name\nZoë\n".encode("utf-16") + b"A\x00\x00\xdc\n\x00" + "Łukasz\n".encode("utf-16-le")
    table = table_from_bytes(data)
    assert _names(table) == ["Zoë", "", "Łukasz"]
    assert table.problems == {
        3: "byte 3 of the line (0x00) is not UTF-16 text like the rest of the file; correct the line in the file"
    }


@pytest.mark.parametrize(
    ("text", "codec", "encoding"),
    [
        ("Imię;Nazwisko\r\nŁukasz;Wójcik\r\nZofia;Żółć\r\nGrzegorz;Brzęczyszczykiewicz\r\n", "cp1250", "Windows-1250"),
        ("Nombre;Apellidos\r\nJosé;Núñez García\r\nMaría;Peña\r\n", "cp1252", "Windows-1252"),
        ("Prénom;Nom\r\nChloé;Lefèvre\r\nFrançois;Dupré\r\n", "cp1252", "Windows-1252"),
        ("Имя;Фамилия\r\nМария;Иванова\r\nПётр;Смирнов\r\nАнна;Кузнецова\r\n", "cp1251", "Windows-1251"),
        ("Name\r\nJosé\r\n", "cp1252", "Windows-1252"),
        ("Name;Notes\r\nRenée Côté;café “au lait”\r\nŠárka Œlund;\r\n", "cp1252", "Windows-1252"),
        ("Name;Note\r\nO’Neil;owes £5 – “soon”\r\n", "cp1252", "Windows-1252"),
        ("Name\r\nÆrøskøbing Ås\r\nÑoño Ibáñez\r\n", "latin-1", "Windows-1252"),
        ("Name\nWiśniewska\nMałgorzata Może\n", "cp1250", "Windows-1250"),
        ("Ім'я\nОлена Ковальчук\nЮрій Їжак\n", "cp1251", "Windows-1251"),
        ("Name\nΕλένη Παπαδοπούλου\n", "cp1253", "Windows-1253"),
        ("Name\rJosé\rZoë\r", "mac_roman", "Mac Roman"),
    ],
)
def test_the_encoding_is_found_by_the_detector(text: str, codec: str, encoding: str) -> None:
    table = table_from_bytes(text.encode(codec))
    assert (table.encoding, table.doubt) == (encoding, "")
    assert [cells for _, cells in table.records()] == [line.split(";") for line in text.splitlines()[1:]]


@pytest.mark.parametrize(
    ("data", "encoding", "names"),
    [
        ("Name\r\nМария\r\n".encode("koi8_r"), "Windows-1251", ["нБТЙС"]),  # KOI8-R: too little to tell
        ("姓名\r\n王小明\r\n李华\r\n".encode("gb18030"), "GB18030", ["王小明", "李华"]),  # or Big5?
        ("Name\nWiśniewska\n".encode("cp1250"), "Windows-1252", ["Wiœniewska"]),  # Polish or French?
    ],
)
def test_a_reading_the_detector_is_unsure_of_says_so(data: bytes, encoding: str, names: list[str]) -> None:
    table = table_from_bytes(data)
    assert (table.encoding, _names(table)) == (encoding, names)
    assert table.doubt == (
        f"Facilitator is not sure which encoding this file was saved in and read it as {encoding}; "
        "if the names look wrong, choose the encoding the file was saved in."
    )


def test_plain_ascii_is_never_in_doubt() -> None:
    assert table_from_bytes(b"Name\nAnn\nBo\n").doubt == ""
    assert table_from_bytes(b"Name\n" + b"Ann\n" * 100_000).doubt == ""


def test_the_users_encoding_is_used_as_given() -> None:
    data = "Name\nŁukasz\n".encode("cp1250")
    assert _names(table_from_bytes(data, encoding="windows-1250")) == ["Łukasz"]
    shown = (("Windows-1250", "cp1250"), ("Mac Roman", "mac_roman"), ("UTF-16", "utf-16"), ("UTF-8", "utf-8-sig"))
    for name, codec in shown:  # the names the preview shows are answers too
        table = table_from_bytes("Name\nZoë\n".encode(codec), encoding=name)
        assert (table.encoding, _names(table)) == (name, ["Zoë"])
    with pytest.raises(InvalidInput, match="“klingon-8” is not an encoding Facilitator knows"):
        table_from_bytes(data, encoding="klingon-8")


def test_the_detector_is_not_loaded_at_start_up() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, facilitator.cli, facilitator.sources.csv_files; "
         "print('charset_normalizer' in sys.modules)"],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )  # fmt: skip
    assert loaded.stdout.strip() == "False"


# 8. Reading as a stream


@posix_only
@pytest.mark.timeout(10)
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInput, match="^fifo.csv is not a saved file .a pipe or a device.; choose a file"):
        open_table(fifo)


@posix_only
@pytest.mark.timeout(20)
def test_import_roster_refuses_a_fifo_and_a_million_line_file_in_one_plain_line(cli, tmp_path: Path) -> None:
    assert cli("group", "add", "Tuesday Circle").code == 0
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    huge = tmp_path / "million.csv"
    with huge.open("wb") as handle:  # a million Google-shaped lines, sparse
        handle.truncate(1_000_000 * 115)
    for path, message in (
        (fifo, "fifo.csv is not a saved file (a pipe or a device); choose a file of names."),
        (huge, "million.csv is larger than 64 MB; a roster file can be at most 64 MB."),
    ):
        result = cli("import-roster", str(path), "--group", "Tuesday Circle")
        assert (result.code, result.out, result.err) == (1, "", f"facilitator: {message}\n")


@posix_only
@pytest.mark.timeout(10)
def test_a_device_is_refused_at_once() -> None:
    with pytest.raises(InvalidInput, match="^zero is not a saved file"):
        open_source(Path("/dev/zero"))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")
def test_a_socket_is_refused_at_once() -> None:
    folder = Path(tempfile.mkdtemp())  # a socket's path must be short
    listening = socket.socket(socket.AF_UNIX)
    try:
        listening.bind(str(folder / "roster.csv"))
        with pytest.raises(InvalidInput, match="^roster.csv is not a saved file"):
            open_source(folder / "roster.csv")
    finally:
        listening.close()
        shutil.rmtree(folder)


def test_missing_files_folders_and_huge_files_are_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="^There is no file .*missing.csv.$"):
        open_source(tmp_path / "missing.csv")
    with pytest.raises(InvalidInput, match="is a folder, not a file"):
        open_source(tmp_path)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # sparse: a million Google-shaped lines would be about this big
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InvalidInput, match=r"^huge.csv is larger than 64 MB; a roster file can be at most 64 MB\.$"):
        open_source(huge)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to act as another user")
def test_a_file_that_cannot_be_read_is_refused_plainly() -> None:
    folder = Path(tempfile.mkdtemp())  # in /tmp, which others may pass through: only the file is closed
    folder.chmod(0o711)
    secret = folder / "secret.csv"
    secret.write_bytes(b"Name\nAnn\n")
    secret.chmod(0o600)
    code = (
        "from pathlib import Path; from facilitator.sources.files import open_source\n"
        f"try: open_source(Path({str(secret)!r}))\nexcept Exception as exc: print(exc)"
    )
    result = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", code],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )  # fmt: skip
    shutil.rmtree(folder)
    assert result.stdout == f"{secret} cannot be read (permission denied).\n"


def test_a_hundred_thousand_line_google_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    people = (
        {"First Name": f"Zoë{n}", "Last Name": f"Łukasz{n}", "Labels": "* myContacts", "Notes": "Comes on Tuesdays",
         "E-mail 1 - Value": f"p{n}@example.org", "Phone 1 - Value": f"+1 555 {n:06}"}
        for n in range(100_000)
    )  # fmt: skip
    path.write_text(csv_text(GOOGLE_COLUMNS, list(people)), encoding="utf-8", newline="")
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    try:
        rule, records = name_rule(open_table(path))
        count = 0
        for count, (_, cells) in enumerate(records, 1):  # noqa: B007 (the last record is checked)
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (count, rule.name_of(cells)) == (100_000, "Zoë99999 Łukasz99999")
    assert peak < 5_000_000  # the file is twice as big: a whole read would show


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_lines_are_numbered_right_across_the_reads(codec: str, line_end: str) -> None:
    """A CR LF or a UTF-16 character split between two reads of the file is still one line end."""
    rows = [f"Zoë {n:05d}" for n in range(120_000)]
    data = f"sep=;{line_end}Name;Note{line_end}{line_end.join(rows)}{line_end}".encode(codec)
    records = list(table_from_bytes(data).records())
    assert len(data) > SAMPLE_BYTES + 3 * CHUNK_BYTES
    assert [(line, cells[0]) for line, cells in records[::997]] == [(n + 3, rows[n]) for n in range(0, 120_000, 997)]
    assert records[-1] == (120_002, [rows[-1]])


def test_judging_a_megabyte_of_chinese_takes_little_memory() -> None:
    sample = "".join(f"王小明{n},来自北京的朋友\n" for n in range(40_000)).encode()[:SAMPLE_BYTES]
    tracemalloc.start()
    try:
        encoding = detect_encoding(sample).name
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (encoding, len(sample)) == ("UTF-8", SAMPLE_BYTES)
    assert peak < 4 * SAMPLE_BYTES  # the text, not a piece per character (it was 12 MB)


def test_the_stream_is_closed_once_read() -> None:
    stream = io.BytesIO(b"Name\n" + b"Ann\n" * 500)
    table = csv_table(stream)
    assert not stream.closed
    assert sum(1 for _ in table.records()) == 500
    assert stream.closed
    short = io.BytesIO(b"Name\nAnn\n")
    csv_table(short)
    assert short.closed


def test_a_line_without_end_is_refused_not_read_whole() -> None:
    with pytest.raises(InvalidInput, match="^Line 2 is longer than 1 MB; this does not look like a roster"):
        list(table_from_bytes(b"Name\n" + b"A" * 2_000_000).records())
