"""Facilitator against the floor of what its libraries can do.

    python3 dev.py bench            the full run (10-year data, a 10-minute timed round)
    python3 dev.py bench --small    a quick run with small data, to prove the benchmark works
    python3 dev.py bench --installed PATH
                                    only the start-up of an installed window (PATH: a program named
                                    facilitator-window) beside this virtual environment's

Builds scale data in a temporary folder, then measures each figure as the median of several
runs beside a baseline measured in the same run, and prints the table with the ratio and the
target. Not part of the test suite: speed is measured here, not asserted in tests.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from ui.app import STARTUP_PROBE

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class Row:
    figure: str
    value: float
    baseline: float | None
    unit: str
    target: str
    met: bool | None  # None: a figure shown for what it tells, with no target

    def cells(self) -> list[str]:
        base = f"{self.baseline:.{self.digits}f} {self.unit}" if self.baseline is not None else "—"
        if not self.baseline:
            ratio = "—"
        elif self.unit == "MB":  # memory is measured by what it adds to the baseline
            ratio = f"{self.value - self.baseline:+.1f} MB"
        else:
            ratio = f"{self.value / self.baseline:.2f}×"
        met = {True: "yes", False: "NO", None: "—"}[self.met]
        return [self.figure, f"{self.value:.{self.digits}f} {self.unit}", base, ratio, self.target, met]

    @property
    def digits(self) -> int:
        return 2 if self.value < 10 else 1


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


# ---- data ---------------------------------------------------------------------------------


def build(folder: Path, years: int, members: int, groups: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "facilitator", "--data-dir", str(folder), "demo", "--years", str(years),
         "--members", str(members), "--groups", str(groups)],
        check=True, capture_output=True,
    )  # fmt: skip


# ---- start-up and memory, each in a fresh process -------------------------------------------

# The baseline: an empty QMainWindow, done once it is drawn (told by its paintEvent: an
# application-wide event filter in Python would itself cost more than some of what is measured).
BARE_WINDOW = """
import os, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow


def resident_mb():  # ui.app's, copied: importing Facilitator would weigh on the baseline
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


paint_event = QMainWindow.paintEvent


def first_paint(window, event):
    paint_event(window, event)
    drawn = (time.time() - float(os.environ["{probe}"])) * 1000
    print(f"{{drawn:.3f}} {{drawn:.3f}} {{resident_mb():.1f}}", flush=True)
    os._exit(0)


QMainWindow.paintEvent = first_paint
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
app.exec()
"""


def venv_window() -> list[str]:
    """Facilitator's desktop launcher in this virtual environment, as a user's shortcut starts it."""
    found = shutil.which("facilitator-window", path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"facilitator-window is not installed beside {sys.executable}: run python3 dev.py bench")
    return [found]


def start_once(command: list[str], folder: Path) -> tuple[float, float, float]:
    """Milliseconds from the process's start to the window drawn, and to the records shown in it,
    and the resident memory then (megabytes): what the window's start-up probe prints
    (ui.app.StartupProbe), or the bare window's script."""
    env = {**os.environ, STARTUP_PROBE: repr(time.time())}
    try:
        done = subprocess.run(
            [*command, "--data-dir", str(folder)], env=env, capture_output=True, text=True, timeout=120
        )
        drawn, shown, rss = (float(figure) for figure in done.stdout.split())
    except subprocess.TimeoutExpired:
        raise SystemExit(f"{command[0]} was still running after 120 s: a build without the start-up probe?") from None
    except ValueError:
        raise SystemExit(f"{command[0]} did not report its start-up (exit {done.returncode}):\n{done.stderr}") from None
    return drawn, shown, rss


def starts_in_turns(first: list[str], second: list[str], folder: Path, runs: int) -> tuple[list[float], list[float]]:
    """The medians of `start_once` of each command, started in turns so that whatever else the
    machine is doing weighs on both alike."""
    pairs = [(start_once(first, folder), start_once(second, folder)) for _ in range(runs)]
    return (
        [statistics.median(pair[0][i] for pair in pairs) for i in range(3)],
        [statistics.median(pair[1][i] for pair in pairs) for i in range(3)],
    )


def startup_figures(folder: Path, runs: int, years: int) -> list[Row]:
    """Facilitator's window started as its desktop launcher starts it (drawn first, then the
    records read and shown in it), beside an empty QMainWindow."""
    bare_window = [sys.executable, "-c", BARE_WINDOW.format(probe=STARTUP_PROBE)]
    (start, records, rss), (base, _, rss_base) = starts_in_turns(venv_window(), bare_window, folder, runs + 4)
    return [
        Row(f"start-up to window shown, {years}-year data", start, base, "ms", "≤ 1.5×", start <= 1.5 * base),
        Row("… and to the records shown in it", records, base, "ms", "≤ 3×", records <= 3 * base),
        Row("resident memory after start-up", rss, rss_base, "MB", "≤ +60 MB", rss - rss_base <= 60),
    ]


def installed_figures(installed: Path, folder: Path, runs: int, years: int) -> list[Row]:
    """The installed window beside this virtual environment's, on the same data."""
    (drawn, shown, rss), base = starts_in_turns([str(installed)], venv_window(), folder, runs + 4)
    return [
        Row(f"installed window: start-up to window shown, {years}-year data", drawn, base[0], "ms", "≤ 1.3×",
            drawn <= 1.3 * base[0]),
        Row("… and to the records shown in it", shown, base[1], "ms", "≤ 1.3×", shown <= 1.3 * base[1]),
        Row("… its resident memory after start-up", rss, base[2], "MB", "—", None),
    ]  # fmt: skip


# ---- documents ------------------------------------------------------------------------------


def handout_figures(folder: Path, runs: int) -> Row:
    """The handout, against bare ReportLab setting the same words in the same two fonts
    (headings bold, the rest the body) on the same number of pages: no layout of ours (no
    writing lines, boxes, keeping together, page footers), and no database."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

    from facilitator.documents.handout import handout_content, handout_pdf
    from facilitator.documents.layout import Pdf, pdf_for
    from facilitator.records import open_records
    from facilitator.rules.groups import list_groups
    from facilitator.storage.locations import DataLocation
    from facilitator.storage.preferences import document_settings

    db = open_records(DataLocation.resolve(folder))
    with db.begin() as session:
        group = list_groups(session)[0]
        settings = document_settings(session)
        content = handout_content(session, guide_slug="relapse-prevention", group_id=group.id)

    def ours() -> bytes:
        with db.begin() as session:
            pdf = pdf_for(settings)
            return handout_pdf(pdf, handout_content(session, guide_slug="relapse-prevention", group_id=group.id))

    pages = ours().count(b"/Type /Page\n")
    bare_pdf: Pdf = pdf_for(settings)
    guide = content.guide
    headings = [content.group_name, guide.title, *(section.name for section in guide.sections)]
    words = [block.text for section in guide.sections for block in section.blocks]  # summary, prompts and all
    words += [*content.agreements, content.crisis]

    def bare_document(filler: int) -> bytes:
        # Fresh paragraphs each time: ReportLab's flowables keep state from a build.
        story: list[Flowable] = [Paragraph(escape(text), bare_pdf.styles["heading"]) for text in headings]
        story += [Paragraph(escape(text), bare_pdf.styles["body"]) for text in words + [guide.summary] * filler]
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=bare_pdf.page_size()).build(story)
        return buffer.getvalue()

    filler = next(n for n in itertools.count(0) if bare_document(n).count(b"/Type /Page\n") >= pages)

    def bare() -> None:
        bare_document(filler)

    ours()
    bare()
    value, baseline = median_of(runs, lambda: timed(ours)), median_of(runs, lambda: timed(bare))
    db.close()
    return Row(f"meeting handout PDF ({pages} pages)", value, baseline, "ms", "≤ 1.5×", value <= 1.5 * baseline)


def report_figures(folder: Path, runs: int) -> Row:
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table
    from sqlalchemy import text

    from facilitator.documents.attendance_report import report_content, report_pdf
    from facilitator.documents.layout import pdf_for
    from facilitator.records import open_records
    from facilitator.rules.groups import list_groups
    from facilitator.storage.locations import DataLocation
    from facilitator.storage.preferences import document_settings

    db = open_records(DataLocation.resolve(folder))
    with db.begin() as session:
        group = min(list_groups(session), key=lambda g: abs(g.member_count - 40))
        settings = document_settings(session)

    def ours() -> bytes:
        with db.begin() as session:
            return report_pdf(pdf_for(settings), report_content(session, group.id))

    with db.begin() as session:
        content = report_content(session, group.id)
    rows, columns = len(content.grid.rows) + 4, len(content.grid.meetings)

    def bare() -> None:
        with db.begin() as session:
            session.execute(
                text(
                    "SELECT m.id, m.started_at, a.participant_id, a.status FROM meetings m "
                    "LEFT JOIN attendance a ON a.meeting_id = m.id WHERE m.group_id = :group"
                ),
                {"group": group.id},
            ).all()
        story = []
        for start in range(0, columns, 23):
            width = min(23, columns - start) + 2
            story += [Table([["x"] * width for _ in range(rows)], repeatRows=4), PageBreak()]
        SimpleDocTemplate(io.BytesIO()).build(story)

    ours()
    bare()
    value, baseline = median_of(runs, lambda: timed(ours)), median_of(runs, lambda: timed(bare))
    db.close()
    label = f"attendance report PDF, {len(content.grid.rows)} members × {columns} meetings"
    return Row(label, value, baseline, "ms", "≤ 2×", value <= 2 * baseline)


# ---- a check-in -------------------------------------------------------------------------------


def check_in_figures(folder: Path, rounds: int) -> list[Row]:
    """A check-in as the Meeting page makes it, against the same row written as plain SQL in
    an ORM session on the program's engine: the unit of work every user action has, and the
    floor of the library the records are built on. They take turns a round at a time, after a
    round that no one counts: the first writes to a database grow its log, which costs more
    than the writes after.

    Two more writers of the same row take their turns too, for what they tell and with no
    target: SQLAlchemy's Core transaction with the same plain SQL, and bare sqlite3 into the
    same table with the same pragmas and transaction."""
    from sqlalchemy.orm import Session

    from facilitator.records import open_records
    from facilitator.rules.attendance import check_in
    from facilitator.rules.groups import list_groups
    from facilitator.rules.meetings import open_meeting
    from facilitator.rules.participants import list_participants
    from facilitator.storage.locations import DataLocation

    location = DataLocation.resolve(folder)
    db = open_records(location)
    with db.begin() as session:
        group = max(list_groups(session), key=lambda g: g.member_count)
        meeting = open_meeting(session, group.id).id
        people = [p.id for p in list_participants(session, group.id)]
    assert location.database_path is not None
    connection = sqlite3.connect(location.database_path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        connection.execute(f"PRAGMA {pragma}")
    insert = "INSERT INTO attendance (meeting_id, participant_id, status, checked_in_at) VALUES (?, ?, 'present', ?)"

    def ours(person: int) -> None:
        with db.begin() as session:
            check_in(session, meeting, person)

    def bare(person: int) -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(insert, (meeting, person, datetime.now(UTC).isoformat()))
        connection.execute("COMMIT")

    def engine_floor(person: int) -> None:
        with db.engine.begin() as transaction:
            transaction.exec_driver_sql(insert, (meeting, person, datetime.now(UTC).isoformat()))

    def session_floor(person: int) -> None:
        with Session(db.engine) as session, session.begin():
            session.connection().exec_driver_sql(insert, (meeting, person, datetime.now(UTC).isoformat()))

    def one_round(write: Callable[[int], None]) -> list[float]:
        taken = [timed(partial(write, person)) for person in people]
        connection.execute("DELETE FROM attendance WHERE meeting_id = ?", (meeting,))
        return taken

    writers = {"ours": ours, "bare": bare, "engine": engine_floor, "session": session_floor}
    one_round(ours)
    samples: dict[str, list[float]] = {name: [] for name in writers}
    for _ in range(rounds):
        for name, write in writers.items():
            samples[name] += one_round(write)
    connection.close()
    db.close()
    value, baseline = statistics.median(samples["ours"]), statistics.median(samples["session"])
    label = f"one check-in committed (durable), median of {len(samples['ours'])}"
    return [
        Row(label, value, baseline, "ms", "≤ 1.3×", value <= 1.3 * baseline),
        Row("… the same row by SQLAlchemy: a Core transaction", statistics.median(samples["engine"]), baseline, "ms",
            "—", None),
        Row("… the same row by bare sqlite3 (same table, pragmas, transaction)", statistics.median(samples["bare"]),
            baseline, "ms", "—", None),
    ]  # fmt: skip


# ---- the window -------------------------------------------------------------------------------


def page_figures(folder: Path, runs: int, page: str) -> Row:
    """Opening a page of the window for the biggest group, from its overview: the Meeting page
    for the group of most members, the History page for the group of most meetings."""
    from facilitator.records import open_records
    from facilitator.rules.groups import list_groups
    from facilitator.rules.meetings import open_meeting, open_meeting_of
    from facilitator.storage.locations import DataLocation
    from ui.app import application
    from ui.shell.main_window import QtMainWindow

    app = application()
    db = open_records(DataLocation.resolve(folder))
    with db.begin() as session:
        if page == "check_in":
            group = max(list_groups(session), key=lambda g: g.member_count)
            if open_meeting_of(session, group.id) is None:
                open_meeting(session, group.id)
            label = f"opening the Meeting page, {group.member_count} members"
        else:
            group = max(list_groups(session), key=lambda g: g.meeting_count)
            label = f"opening the History page, {group.meeting_count} meetings"
    window = QtMainWindow.with_records(db)
    window.show()
    app.processEvents()
    row = window.group_model.row_of(group.id)

    def once() -> float:
        window.show_page(window.overview)
        window.group_list.setCurrentIndex(window.group_model.index(row))  # type: ignore[arg-type]  # the group is listed
        app.processEvents()
        return timed(lambda: (window.show_page(getattr(window, page)), app.processEvents()))  # type: ignore[func-returns-value]  # both, as one timed call

    value = median_of(runs, once)
    window.close()
    db.close()
    return Row(label, value, None, "ms", "< 100 ms", value < 100)


def enter_figures(folder: Path) -> Row:
    """Enter pressed in the Meeting page's search field, with a name typed, until that person's
    row is painted among those here: the key, the transaction and its durable commit, the
    models' update and the paint, as a facilitator waits for it. Everyone on the roll of the
    group of most members is checked in so, from the last name to the first, so that each
    lands at the top of the list, in sight; the clock stops when the list's viewport has
    painted the person's row."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from facilitator.records import open_records
    from facilitator.rules.attendance import meeting_roll, remove_check_in
    from facilitator.rules.groups import list_groups
    from facilitator.rules.meetings import open_meeting, open_meeting_of
    from facilitator.storage.locations import DataLocation
    from ui.app import application
    from ui.common.roll_model import PARTICIPANT_ID_ROLE
    from ui.shell.main_window import QtMainWindow

    app = application()
    db = open_records(DataLocation.resolve(folder))
    with db.begin() as session:
        group = max(list_groups(session), key=lambda g: g.member_count)
        meeting = open_meeting_of(session, group.id) or open_meeting(session, group.id)
        roll = sorted(meeting_roll(session, meeting.id), key=lambda entry: entry.display_name, reverse=True)
    window = QtMainWindow.with_records(db)
    window.show()
    window.group_list.setCurrentIndex(window.group_model.index(window.group_model.row_of(group.id)))  # type: ignore[arg-type]  # listed
    window.show_page(window.check_in)
    panel = window.check_in
    viewport = panel.here_view.viewport()

    class PaintWatch(QObject):
        """Told when the list of those here paints the row of `person`."""

        person: int | None = None
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.person is not None and not self.painted:
                shown = panel.here.match(panel.here.index(0, 0), PARTICIPANT_ID_ROLE, self.person, 1,
                                         Qt.MatchFlag.MatchExactly)  # fmt: skip
                self.painted = bool(shown) and panel.here_view.visualRect(shown[0]).intersects(event.rect())  # type: ignore[attr-defined]  # a Paint event is a QPaintEvent
            return False

    no_modifier = Qt.KeyboardModifier.NoModifier
    watch = PaintWatch()
    viewport.installEventFilter(watch)
    taken, checked_in = [], []
    for entry in roll:
        panel.search.setFocus()
        for char in entry.display_name:  # keyClicks takes ASCII only: "Zoë" is typed key by key
            QTest.sendKeyEvent(QTest.KeyAction.Click, panel.search, Qt.Key.Key_unknown, char, no_modifier)
        app.processEvents()  # the typing is done and drawn before the clock starts
        person = panel.waiting_view.currentIndex().data(PARTICIPANT_ID_ROLE)
        if person is None or entry.status is not None:
            continue
        watch.person, watch.painted = person, False
        started = time.perf_counter()
        QTest.keyClick(panel.search, Qt.Key.Key_Return)
        while not watch.painted and time.perf_counter() - started < 5:
            app.processEvents()
        if not watch.painted:
            raise RuntimeError(f"the row of participant {person} was never painted among those here")
        taken.append((time.perf_counter() - started) * 1000)  # the paint that showed the row has finished
        checked_in.append(person)
    viewport.removeEventFilter(watch)
    window.close()
    with db.begin() as session:  # the figures after this one find the meeting as it was
        for person in checked_in:
            remove_check_in(session, meeting.id, person)
    db.close()
    value = statistics.median(taken)
    label = f"Enter pressed → the person shown as here, {group.member_count} members, median of {len(taken)}"
    return Row(label, value, None, "ms", "≤ 25 ms", value <= 25)


def timer_figures(folder: Path, seconds: float) -> Row:
    """Run a round on the Sharing page, with its real Qt timer, while every core is kept busy, and
    measure how late the shown time changes after the true time has crossed each second."""
    import math
    import multiprocessing

    from PySide6.QtCore import QEventLoop, QTimer

    from facilitator.records import open_records
    from facilitator.rules.attendance import check_in
    from facilitator.rules.groups import create_group
    from facilitator.rules.meetings import open_meeting
    from facilitator.rules.participants import add_participant
    from facilitator.storage.locations import DataLocation
    from ui.app import application
    from ui.shell.main_window import QtMainWindow

    app = application()
    db = open_records(DataLocation.resolve(folder))
    with db.begin() as session:
        group = create_group(session, "Timer", share_minutes=30)
        meeting = open_meeting(session, group.id)
        check_in(session, meeting.id, add_participant(session, group.id, "Ann").id)
    window = QtMainWindow.with_records(db)
    window.show()
    window.group_list.setCurrentIndex(window.group_model.index(window.group_model.row_of(group.id)))  # type: ignore[arg-type]  # listed
    window.show_page(window.share_round)
    panel = window.share_round
    panel.start_or_pause()
    errors: list[float] = []
    original = panel._tick

    def watched() -> None:
        before = panel.turn.time_label.text()
        original()
        remaining = panel.round.timing().remaining  # type: ignore[union-attr]  # the round runs while measured
        if panel.turn.time_label.text() != before:
            # The shown second changed now: how long ago did the true time cross that second?
            errors.append((math.ceil(remaining) - remaining) * 1000)

    panel.timer.timeout.disconnect()
    panel.timer.timeout.connect(watched)
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(os.cpu_count() or 2)]
    for burner in burners:
        burner.start()
    try:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
    finally:
        for burner in burners:
            burner.terminate()
    window.close()
    db.close()
    app.processEvents()
    worst = max(errors[1:])  # the first change follows the start, not a second boundary
    label = f"displayed timer error, {seconds / 60:g}-minute round, all cores busy ({len(errors)} changes)"
    return Row(label, worst, None, "ms", "≤ 50 ms max", worst <= 50)


def _burn() -> None:
    while True:
        pass


# ---- a big roster file imported on the command line, in a fresh process ---------------------

IMPORT = """
import sys
from facilitator.cli import main
code = main(sys.argv[1:])
try:
    import resource
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10))
except ImportError:  # Windows: no peak to read here
    print("nan")
sys.exit(code)
"""


def import_figures(folder: Path, lines: int, runs: int) -> list[Row]:
    """`import-roster` of a file of `lines` names and notes into a group of 40 people, timed from
    the command's start to its end (as the user waits for it), with the process's peak memory.
    Every new name is compared with the 40 ("Did you mean …?"), as with any roster."""
    roster = folder / "big roster.csv"
    roster.write_text("Name,Notes\n" + "".join(f"Person {n:06d},note {n}\n" for n in range(lines)), encoding="utf-8")
    members = folder / "members.csv"
    firsts, lasts = (
        ("Ann", "Bo", "Chloé", "Dara", "Émile", "Kiri", "Łukasz", "Pedro"),
        ("Lee", "Martin", "Nowak", "Ó Sé", "Park"),
    )
    members.write_text("Name\n" + "".join(f"{first} {last}\n" for first in firsts for last in lasts), encoding="utf-8")
    times, peaks = [], []
    for run in range(runs):
        group = f"Imported {run}"
        for command in (["group", "add", group], ["import-roster", str(members), "--group", group]):
            subprocess.run([sys.executable, "-m", "facilitator", "--data-dir", str(folder), *command],
                           check=True, capture_output=True)  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", IMPORT, "--data-dir", str(folder), "import-roster", str(roster), "--group", group],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
        peaks.append(float(done.stdout.splitlines()[-1]))
    seconds, peak = statistics.median(times), statistics.median(peaks)
    label = f"import-roster, a {lines:,}-line CSV file"
    return [
        Row(label, seconds, None, "s", "≤ 10 s", seconds <= 10),
        Row("… its peak memory", peak, None, "MB", "≤ 200 MB", peak <= 200),
    ]


# ---- the run -------------------------------------------------------------------------------


def all_figures(scratch: Path, years: int, runs: int, small: bool) -> list[Row]:
    ten_years = scratch / "ten-years"
    print(f"building data: demo --years {years} (3 groups), and 20 groups × 600 people ...", flush=True)
    build(ten_years, years, 40, 3)
    wide = scratch / "twenty-groups"
    build(wide, years, 500, 20)
    rows = startup_figures(ten_years, runs, years)
    rows.append(handout_figures(ten_years, runs))
    rows.append(report_figures(ten_years, runs))
    rows += check_in_figures(ten_years, runs)
    rows.append(enter_figures(ten_years))
    rows.append(page_figures(wide, runs, "check_in"))
    rows.append(page_figures(ten_years, runs, "history"))
    lines = 10_000 if small else 100_000
    print(f"importing a {lines:,}-line roster ...", flush=True)
    rows += import_figures(ten_years, lines, 1 if small else 3)
    round_seconds = 5.0 if small else 600.0
    print(f"timing a {round_seconds:g}-second round with every core busy ...", flush=True)
    rows.append(timer_figures(scratch / "timer", round_seconds))
    return rows


def print_table(rows: list[Row]) -> None:
    header = ["figure", "Facilitator", "baseline", "ratio", "target", "met"]
    table = [header, *[row.cells() for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print()
    print("| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for line in table[1:]:
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
    print(f"\n{date.today().isoformat()} · {os.cpu_count()} cores · Python {sys.version.split()[0]}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Facilitator's benchmark")
    parser.add_argument("--small", action="store_true", help="small data and a short round: proves it works")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument(
        "--installed",
        type=Path,
        metavar="PATH",
        help="only the start-up of the installed window PATH (a program named facilitator-window) beside "
        "this virtual environment's; exit 1 when it is more than 1.3× slower",
    )
    args = parser.parse_args(argv)
    if args.installed is not None and not os.access(args.installed, os.X_OK):
        parser.error(f"{args.installed} is not a program that can be run")
    years, runs = (1, 3) if args.small else (10, 7)
    # An installed copy starts from compiled bytecode; a checkout may not have it yet (or run
    # with PYTHONDONTWRITEBYTECODE), which would time Python's compiler instead.
    import compileall

    import facilitator
    import resources
    import ui

    for package in (facilitator, resources, ui):
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)  # type: ignore[arg-type]  # packages have a file
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as scratch:
        if args.installed is None:
            rows = all_figures(Path(scratch), years, runs, args.small)
        else:
            data = Path(scratch) / "ten-years"
            print(f"building data: demo --years {years} (3 groups) ...", flush=True)
            build(data, years, 40, 3)
            rows = installed_figures(args.installed.absolute(), data, runs, years)  # absolute: never looked up on PATH
    print_table(rows)
    return 1 if (args.check or args.installed) and False in (row.met for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
