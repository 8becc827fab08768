"""Roster files that are not CSV: vCards as phones and contacts apps export them, and workbooks
(.xlsx, .ods) as saved; and the dispatch that tells them apart by what the file holds.

The fixtures in tests/fixtures/rosters/ are written by make_cards_and_sheets.py beside them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]  # writes workbooks for the tests; the reader does not use it
import pytest

from facilitator.errors import InvalidInput
from facilitator.sources import Table, open_table, table_from_bytes
from facilitator.sources.vcards import VCARD_COLUMNS

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"
EMPTY_CARD = [""] * len(VCARD_COLUMNS)


def card(**cells: str) -> list[str]:
    """A record's cells by column: card(full="Ann Lee", email="ann@example.org")."""
    keys = ["full", "given", "middle", "family", "nickname", "organization", "email", "phone", "note"]
    return [cells.get(key, "") for key in keys]


def records(table: Table) -> list[tuple[int, list[str]]]:
    return list(table.records())


def test_an_android_2_1_file_with_quoted_printable_and_soft_line_breaks() -> None:
    table = open_table(ROSTERS / "android-2.1.vcf")
    assert table.kind == "vCard file"
    assert table.header == (0, VCARD_COLUMNS)
    assert table.columns == VCARD_COLUMNS
    assert table.encoding == "UTF-8"
    assert records(table) == [
        (
            1,
            card(
                full="Jürgen Müller-Schönberger",
                given="Jürgen",
                family="Müller",
                phone="+49 170 5550101",
                note="Kommt dienstags, bringt Kaffee mit",
            ),
        ),
        (10, card(full="Chidi Okafor", given="Chidi", family="Okafor", email="chidi@example.org")),
    ]


def test_an_outlook_2_1_file_in_windows_1252() -> None:
    table = open_table(ROSTERS / "outlook-2.1-windows-1252.vcf")
    assert table.encoding == "Windows-1252"
    assert records(table) == [
        (
            1,
            card(
                full="Renée Lefèvre",
                given="Renée",
                family="Lefèvre",
                organization="Café du Coin",
                email="renee@example.org",
            ),
        ),
        (8, card(full="Maïté François", given="Maïté", family="François")),
    ]


def test_a_3_0_file_with_folded_lines_escapes_and_cards_with_parts_missing() -> None:
    table = open_table(ROSTERS / "contacts-3.0.vcf")
    assert records(table) == [
        (
            1,
            card(
                full="Dr. Seán Pádraig O'Brien, Jr.",
                given="Seán",
                middle="Pádraig",
                family="O'Brien, Jr.",
                nickname="Shay",
                organization="Acme; Sons",
                email="sean@example.org",
                phone="+353 87 555 0102",
                note="Prefers the evening group, not the morning one; asked twice.\nCall before the first meeting.",
            ),
        ),
        (13, card(full="Aroha Ngata")),  # only FN
        (18, card(given="Lucía")),  # only N, and only its given part
        (22, card(email="only.an.address@example.org")),  # no name: the import skips it
        (26, card(organization="Neighbourhood Centre", phone="+1 555 0100")),
    ]
    assert table.problems == {}


def test_a_4_0_file_with_a_byte_order_mark_crlf_tab_folding_and_a_cjk_name() -> None:
    table = open_table(ROSTERS / "contacts-4.0-bom-crlf.vcf")
    assert records(table) == [
        (1, card(full="王小明", given="小明", family="王")),
        (
            6,
            card(
                full="Zofia Maria Kowalska",
                given="Zofia",
                middle="Maria",
                family="Kowalska",
                note=(
                    "A note folded over three lines, as RFC 6350 allows: at any point of the line, "
                    "with a space or a tab."
                ),
            ),
        ),
    ]


def test_an_unreadable_card_is_a_problem_of_its_own_and_the_others_are_read() -> None:
    table = open_table(ROSTERS / "damaged.vcf")
    assert records(table) == [
        (1, card(full="Before The Damage")),
        (5, EMPTY_CARD),
        (10, card(full="After The Damage")),
        (14, EMPTY_CARD),
    ]
    assert table.problems == {
        5: "the card cannot be read: line 8 is not a vCard line",
        14: "the card has no END:VCARD line; the file may have been cut short",
    }


def test_a_line_the_columns_do_not_need_is_left_unread() -> None:
    table = table_from_bytes(
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\nX-BROKEN\nEND:VCARD\n"
    )
    assert records(table) == [(1, card(full="Ann Lee"))]
    assert table.problems == {}


def test_a_card_naming_a_character_set_that_does_not_exist_is_a_problem() -> None:
    table = table_from_bytes(
        b"BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:=41nn\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=FF=FE;Bo\nEND:VCARD\n"
    )
    assert records(table) == [(1, EMPTY_CARD), (5, EMPTY_CARD)]
    assert table.problems == {
        1: "the card cannot be read: a character set it names is unknown or does not fit its text",
        5: "the card cannot be read: a character set it names is unknown or does not fit its text",
    }


def test_a_card_vobject_fails_on_in_another_way_is_a_problem_too() -> None:
    """Two ENCODING parameters make vobject raise a TypeError of its own."""
    table = table_from_bytes(
        b"BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE;ENCODING=8BIT:Lee;Ann\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:2.1\nN:Okafor;Chidi\nEND:VCARD\n"
    )
    assert records(table) == [(1, EMPTY_CARD), (5, card(given="Chidi", family="Okafor"))]
    assert table.problems == {1: "the card cannot be read"}


def test_many_cards_are_read_a_few_at_a_time_with_their_line_numbers() -> None:
    data = "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEND:VCARD\r\n" for n in range(250))
    table = table_from_bytes(data.encode())
    assert len(table.head) == 200
    assert table.head[-1] == (4 * 199 + 1, card(full="Person 199"))
    assert list(table.rest)[-1] == (4 * 249 + 1, card(full="Person 249"))


def test_the_users_encoding_is_used_for_cards_that_are_not_utf_8() -> None:
    data = "BEGIN:VCARD\nVERSION:2.1\nFN:Łukasz Wiśniewski\nEND:VCARD\n".encode("cp1250")
    table = table_from_bytes(data, encoding="cp1250")
    assert records(table) == [(1, card(full="Łukasz Wiśniewski"))]
    assert table.encoding == "cp1250"


@pytest.mark.parametrize(
    "data",
    [
        b"begin:vcard\nversion:3.0\nfn:Ann Lee\nend:vcard\n",
        b"\xef\xbb\xbf\r\n\r\n  \nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n",
    ],
    ids=["lower-case", "bom-and-blank-lines"],
)
def test_a_vcard_is_known_by_its_content(data: bytes) -> None:
    table = table_from_bytes(data)
    assert table.kind == "vCard file"
    assert [cells[0] for _, cells in table.records()] == ["Ann Lee"]


def test_the_content_decides_not_the_files_name(tmp_path: Path) -> None:
    named_vcf = tmp_path / "contacts.vcf"
    named_vcf.write_bytes(b"Name,Notes\nAnn Lee,\n")
    assert open_table(named_vcf).kind == "CSV file"
    named_csv = tmp_path / "miembros.csv"
    named_csv.write_bytes((ROSTERS / "miembros.xlsx").read_bytes())
    assert open_table(named_csv).kind == "Excel workbook"


def test_an_xlsx_workbooks_first_sheet_with_its_cells_as_text() -> None:
    table = open_table(ROSTERS / "miembros.xlsx")
    assert table.kind == "Excel workbook"
    assert (table.sheets, table.sheet) == (["Miembros", "Bajas"], "Miembros")
    assert table.header == (3, ["Nombre", "Apellidos", "Teléfono", "Fecha de alta", "Cuota", "Activo"])
    assert records(table) == [
        (4, ["Lucía", "Fernández García", "+34 600 111 222", "2023-09-14", "12", "TRUE"]),
        (5, ["Jorge", "Ñúñez", "34600333444", "2024-01-08", "7.5", "FALSE"]),
        (6, ["Zoë", "Álvarez", "", "2024-02-29 18:30:00", "0", "TRUE"]),
        (8, ["Iñaki", "Etxeberria", "", "2024-05-02", "3", "TRUE"]),
    ]


def test_a_chosen_sheet() -> None:
    table = open_table(ROSTERS / "miembros.xlsx", sheet="Bajas")
    assert table.sheet == "Bajas"
    assert table.header == (1, ["Nombre completo", "Motivo"])
    assert records(table) == [(2, ["Marta Ruiz", "Se mudó"])]


def test_a_sheet_the_workbook_does_not_have_is_refused_naming_its_sheets() -> None:
    with pytest.raises(InvalidInput) as refused:
        open_table(ROSTERS / "miembros.xlsx", sheet="Altas")
    assert str(refused.value) == "The workbook has no sheet “Altas”; its sheets are “Miembros” and “Bajas”."


def test_an_opendocument_spreadsheet() -> None:
    table = open_table(ROSTERS / "mitglieder.ods")
    assert table.kind == "OpenDocument spreadsheet"
    assert (table.sheets, table.sheet) == (["Mitglieder", "Archiv"], "Mitglieder")
    assert table.header == (1, ["Vorname", "Nachname", "Telefon"])
    assert records(table) == [(2, ["Jürgen", "Größe", "49301234567"]), (4, ["Anneliese", "Brandt", ""])]
    assert records(open_table(ROSTERS / "mitglieder.ods", sheet="Archiv")) == [(2, ["Otto Alt"])]


def test_an_excel_97_2003_workbook() -> None:
    table = open_table(ROSTERS / "leden.xls")
    assert (table.kind, table.sheets) == ("Excel workbook", ["Leden"])
    assert table.header == (1, ["Voornaam", "Achternaam", "Lid sinds"])
    assert records(table) == [(2, ["Daan", "de Vries", "2022-04-05"]), (3, ["Fleur", "van den Berg", "7"])]


def test_a_big_sheet_is_read_a_few_rows_at_a_time() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name"])
    for n in range(250):
        sheet.append([f"Person {n}"])
    data = io.BytesIO()
    workbook.save(data)
    table = table_from_bytes(data.getvalue())
    assert len(table.head) == 200
    assert table.head[-1] == (201, ["Person 199"])
    assert list(table.rest)[-1] == (251, ["Person 249"])


DAMAGED_WORKBOOK = (
    "The file looks like a workbook but cannot be opened: it is damaged or not complete. "
    "Open it in your spreadsheet program and save it again, then import that copy."
)


@pytest.mark.parametrize(
    "data",
    [
        (ROSTERS / "miembros.xlsx").read_bytes()[:3000],
        b"PK\x03\x04" + b"\x00" * 100,
        (ROSTERS / "mitglieder.ods").read_bytes()[:600],
    ],
    ids=["xlsx-cut-short", "zip-header-only", "ods-cut-short"],
)
def test_a_damaged_workbook_is_refused_plainly(data: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        table_from_bytes(data)
    assert str(refused.value) == DAMAGED_WORKBOOK


def test_a_workbook_from_a_zip_tool_python_cannot_follow_is_refused_plainly() -> None:
    data = bytearray((ROSTERS / "mitglieder.ods").read_bytes())
    directory = data.index(b"PK\x01\x02")  # the first entry's "version needed to extract": 9.9
    data[directory + 6 : directory + 8] = (99).to_bytes(2, "little")
    with pytest.raises(InvalidInput) as refused:
        table_from_bytes(bytes(data))
    assert str(refused.value) == DAMAGED_WORKBOOK


def test_a_password_protected_workbook_is_refused_plainly() -> None:
    with pytest.raises(InvalidInput) as refused:
        open_table(ROSTERS / "locked.xlsx")
    assert str(refused.value) == (
        "The workbook is protected by a password, so it cannot be read. "
        "Save a copy without a password in your spreadsheet program, then import that copy."
    )


def test_an_old_excel_file_that_cannot_be_read_is_refused_plainly() -> None:
    with pytest.raises(InvalidInput) as refused:
        table_from_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    assert str(refused.value) == DAMAGED_WORKBOOK


def test_a_zip_that_is_not_a_workbook_is_refused_plainly() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InvalidInput) as refused:
        table_from_bytes(data.getvalue())
    assert str(refused.value) == (
        "The file is a zip archive, not a workbook (.xlsx or .ods) or a list of names; "
        "save the roster as a spreadsheet or CSV file and import that."
    )


def test_an_empty_sheet_is_refused_plainly() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Hoja1"
    data = io.BytesIO()
    workbook.save(data)
    with pytest.raises(InvalidInput) as refused:
        table_from_bytes(data.getvalue())
    assert str(refused.value) == "The sheet “Hoja1” is empty: there is no roster in it."
