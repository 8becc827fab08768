"""The share round from the facilitator's panel, by keyboard, with the room display beside it."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import get_meeting, open_meeting
from facilitator.rules.participants import add_participant
from facilitator.rules.share_round.machine import RoundState
from facilitator.storage.database import Database
from facilitator.storage.models import ShareTurn
from facilitator.text import NameDisplay
from tests.helpers import FakeClock
from ui.actions import MainAction, SharingAction
from ui.app import application
from ui.operations.changes import Change
from ui.pages.sharing.room_display import clock_text
from ui.shell.main_window import QtMainWindow


@pytest.fixture
def meeting_id(db: Database) -> int:
    with db.begin() as session:
        group = create_group(session, "Tuesday Circle", name_display=NameDisplay.FIRST_NAME_INITIAL)
        meeting = open_meeting(session, group.id)
        for name in ("Ann Lee", "Bo Chen", "Cy Diaz"):
            check_in(session, meeting.id, add_participant(session, group.id, name).id)
        return meeting.id


def make_window(db: Database, qtbot) -> QtMainWindow:
    application()
    window = QtMainWindow.with_records(db)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # window-wide shortcuts only reach the active window
        window.show()
        window.activateWindow()
    window.actions_by_name[MainAction.SHOW_SHARING].trigger()
    return window


def turns(db: Database, meeting_id: int) -> list[tuple[int, int, bool, bool]]:
    with db.begin() as session:
        rows = session.scalars(select(ShareTurn).where(ShareTurn.meeting_id == meeting_id).order_by(ShareTurn.position))
        return [(t.position, t.participant_id, t.ended_at is not None, t.passed) for t in rows]


def test_a_round_run_by_keyboard_is_recorded_turn_by_turn(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    assert panel.turn.next_button.toolTip() == "End this turn; the next person begins (N)"  # from SharingAction
    assert panel.pages.currentWidget() is panel._setup_page
    assert panel.setup.setup_people.text() == "3 to share: Ann Lee, Bo Chen, Cy Diaz."
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert panel.round is not None and panel.round.state is RoundState.RUNNING
    assert panel.turn.sharer.text() == "Ann Lee"
    assert [(p, ended) for p, _, ended, _ in turns(db, meeting_id)] == [(0, False)]

    qtbot.keyClick(window, Qt.Key.Key_Plus)
    assert panel.round.timing().allotment == 240
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert panel.turn.sharer.text() == "Bo Chen"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert panel.round.state is RoundState.PAUSED and panel.turn.phase_label.text().startswith("Paused")  # type: ignore[comparison-overlap]  # the key paused it
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert panel.turn.sharer.text() == "Cy Diaz"
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert panel.pages.currentWidget() is panel._summary_page
    recorded = turns(db, meeting_id)
    assert [(p, ended, passed) for p, _, ended, passed in recorded] == [
        (0, True, False),
        (1, True, True),
        (2, True, False),
    ]
    assert (
        panel.round_summary.summary.count() == 3 and panel.round_summary.summary.item(1).text() == "2. Bo Chen — passed"
    )

    qtbot.mouseClick(panel.round_summary.second_round_button, Qt.MouseButton.LeftButton)
    assert panel.turn.sharer.text() == "Bo Chen"
    assert turns(db, meeting_id)[-1][0] == 3
    window.close()


def test_the_room_display_follows_the_round_and_the_groups_privacy(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    display = panel.display
    assert display is not None and display.isVisible()
    assert display.headline() == "Ann L."  # the group shows first name and initial
    assert display.footer() == "Next: Bo C."
    assert display.figure() == "3:00" and display.status() == ""
    panel.display_controls.gentle.setChecked(True)
    assert display.figure() == ""
    panel.display_controls.hide_names.setChecked(True)
    assert (display.headline(), display.footer()) == ("Sharing now", "")
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert display.blank and display.headline() == "" and display.phase() is None
    image = display.grab()
    assert image.width() > 0
    display.close()
    assert panel.display is None
    window.close()


def test_a_round_picks_up_after_a_restart(db: Database, meeting_id: int, qtbot) -> None:
    first = make_window(db, qtbot)
    first.share_round.start_or_pause()
    first.share_round.end_turn(passed=False)
    first.share_round.timer.stop()  # the program "dies" here: nothing more is written
    again = make_window(db, qtbot)
    panel = again.share_round
    assert panel.round is not None and panel.round.state is RoundState.RUNNING
    assert panel.turn.sharer.text() == "Bo Chen"
    assert [s.display_name for s in panel.round.queue] == ["Cy Diaz"]
    assert [t.sharer.display_name for t in panel.round.finished] == ["Ann Lee"]
    first.close()
    again.close()


def test_the_shown_time_changes_within_50_ms_of_the_true_time(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    round_ = panel.round
    assert round_ is not None
    lateness: list[float] = []
    shown = [panel.turn.time_label.text()]

    def watch() -> None:
        text = panel.turn.time_label.text()
        if text != shown[-1]:
            remaining = round_.timing().remaining
            # The text for k seconds should appear as the remaining time crosses k.
            crossed = int(text.split(":")[0]) * 60 + int(text.split(":")[1])
            lateness.append(crossed - remaining)
            shown.append(text)

    panel.timer.timeout.connect(watch)
    started = time.monotonic()
    qtbot.waitUntil(lambda: len(lateness) >= 3, timeout=6000)
    assert time.monotonic() - started < 6
    assert all(0 <= late <= 0.05 for late in lateness), lateness
    assert shown[-1] == clock_text(round_.timing().remaining)
    window.close()


def test_the_display_survives_its_screen_being_unplugged(db: Database, meeting_id: int, qtbot) -> None:
    from PySide6.QtGui import QGuiApplication

    window = make_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    assert panel.display_controls.screen_choice.count() == len(QGuiApplication.screens()) >= 1
    panel.show_display()
    display = panel.display
    assert display is not None
    display.showFullScreen()
    panel.display_controls.screen_removed(display.screen())  # what Qt reports when a projector goes
    assert not display.isFullScreen() and display.isVisible()
    assert display.screen() is QGuiApplication.primaryScreen()
    window.close()


def test_the_queue_can_be_reordered_by_dragging(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    assert [panel.queue_view.list.item(row).text() for row in range(panel.queue_view.list.count())] == [
        "Bo Chen",
        "Cy Diaz",
    ]
    moved = panel.queue_view.list.takeItem(1)  # what a drag does to the list: take, then insert
    panel.queue_view.list.insertItem(0, moved)
    panel._queue_reordered()
    assert [sharer.display_name for sharer in panel.round.queue] == ["Cy Diaz", "Bo Chen"]
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert panel.turn.sharer.text() == "Cy Diaz"
    window.close()


def test_without_sound_the_round_runs_silently_and_says_so_once(qtbot) -> None:
    from ui.pages.sharing.chime import Chime

    application()
    said: list[str] = []
    chime = Chime(said.append)
    chime.play("warning")
    chime.play("time")  # neither raises, with or without a sound device
    if chime.available:
        assert said == []
    else:
        assert len(said) == 1 and said[0].startswith("Chimes are off")


def test_the_chime_sounds_once_at_the_warning_and_once_at_time(db: Database, meeting_id: int, qtbot) -> None:
    from facilitator.rules.share_round.machine import TurnPhase

    class Recorder:
        def __init__(self) -> None:
            self.played: list[str] = []

        def play(self, kind: str) -> None:
            self.played.append(kind)

    window = make_window(db, qtbot)
    panel = window.share_round
    recorder = Recorder()
    panel.chime = recorder  # type: ignore[assignment]  # stands in for the chime
    for person, phase in (
        (1, TurnPhase.CALM),
        (1, TurnPhase.CALM),
        (1, TurnPhase.WARNING),
        (1, TurnPhase.WARNING),
        (1, TurnPhase.TIME),
        (1, TurnPhase.OVERTIME),
        (2, TurnPhase.CALM),
        (2, TurnPhase.OVERTIME),  # a repaint that comes late still chimes once
    ):
        panel._chime_for(person, phase)
    assert recorder.played == ["warning", "time", "time"]
    window.close()


def test_a_latecomer_joins_the_queue_at_the_end_or_next(db: Database, meeting_id: int, qtbot) -> None:
    from facilitator.rules.groups import find_group
    from tests.window_helpers import when_modal_opens

    window = make_window(db, qtbot)
    panel = window.share_round
    panel.start_or_pause()
    with db.begin() as session:
        group = find_group(session, "Tuesday Circle")
        for name in ("Dee Late", "Eve Later"):
            check_in(session, meeting_id, add_participant(session, group.id, name).id)
    when_modal_opens(qtbot, lambda dialog: dialog.accept())
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)  # latecomer next
    with qtbot.waitActive(window):  # as a click on it would: window shortcuts need it in front
        window.activateWindow()
    when_modal_opens(qtbot, lambda dialog: dialog.accept())
    qtbot.keyClick(window, Qt.Key.Key_L)  # latecomer at the end
    assert [s.display_name for s in panel.round.queue] == ["Dee Late", "Bo Chen", "Cy Diaz", "Eve Later"]
    window.close()


def test_the_queue_is_rearranged_and_trimmed_by_keyboard(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    qtbot.keyClick(window, Qt.Key.Key_Space)
    panel.queue_view.list.setFocus()
    panel.queue_view.list.setCurrentRow(1)  # Cy Diaz
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [s.display_name for s in panel.round.queue] == ["Cy Diaz", "Bo Chen"]
    assert panel.queue_view.list.currentItem().text() == "Cy Diaz"  # the highlight follows the person
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [s.display_name for s in panel.round.queue] == ["Bo Chen", "Cy Diaz"]
    qtbot.keyClick(window, Qt.Key.Key_Delete)
    assert [s.display_name for s in panel.round.queue] == ["Bo Chen"]
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert panel.round.timing().allotment == 210
    window.close()


def test_a_restart_keeps_the_rounds_own_queue_and_share_length(db: Database, meeting_id: int, qtbot) -> None:
    first = make_window(db, qtbot)
    panel = first.share_round
    panel.setup.share_length.setValue(150)  # 2:30 tonight, not the group's 3 minutes
    panel.setup.warning_seconds.setValue(45)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    panel.queue_view.list.setCurrentRow(1)
    qtbot.keyClick(first, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)  # Cy before Bo
    panel.timer.stop()  # the program dies here
    again = make_window(db, qtbot)
    resumed = again.share_round.round
    assert resumed is not None and resumed.current is not None
    assert resumed.current.display_name == "Ann Lee"
    assert [s.display_name for s in resumed.queue] == ["Cy Diaz", "Bo Chen"]
    assert (resumed.allotment, resumed.warning, resumed.budget) == (150, 45, 45 * 60)
    first.close()


def test_the_fair_share_follows_the_time_left(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    clock = FakeClock()
    panel.clock = clock
    panel.setup.round_minutes.setValue(9)  # 3 minutes each for 3
    panel.setup.share_length.setValue(180)
    panel.start_or_pause()
    round_ = panel.round
    assert round_ is not None
    clock.advance(300)  # Ann shares 5 minutes: 4 minutes left for two people
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert panel.turn.running_fair.text() == "Each share: 3:00 · fair share of the time left: 2:00 for 2"
    assert panel.turn.use_fair_now.isVisibleTo(panel)
    assert panel.turn.use_fair_now.text() == "Use for Everyone Still to Share"  # not those who went home
    qtbot.keyClick(window, Qt.Key.Key_F)
    assert round_.timing().allotment == 120
    assert not panel.turn.use_fair_now.isVisibleTo(panel)
    window.close()


def test_a_group_that_always_wants_the_fair_share_gets_it_at_every_turn(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    clock = FakeClock()
    panel.clock = clock
    panel.setup.round_minutes.setValue(10)
    panel.setup.auto_fair.setChecked(True)
    assert panel.setup.share_length.text() == "3:15"  # 10 minutes for 3, in quarter minutes
    panel.start_or_pause()
    round_ = panel.round
    assert round_ is not None
    clock.advance(60)  # Ann keeps it short: 9 minutes left for two
    panel.end_turn(passed=False)
    assert round_.timing().allotment == 270
    window.close()


def test_f11_fills_the_screen_and_escape_leaves_it(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    panel.show_display()
    display = panel.display
    assert display is not None
    with qtbot.waitActive(display):  # keys go to the window in front, as they would in the room
        display.activateWindow()
    qtbot.keyClick(display, Qt.Key.Key_F11)
    assert display.isFullScreen()
    qtbot.keyClick(display, Qt.Key.Key_Escape)
    assert not display.isFullScreen()
    window.close()


def test_the_equal_share_is_suggested_and_applied_if_the_group_says_so(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    panel.setup.round_minutes.setValue(11)  # 11 minutes for 3 people
    assert panel.setup.fair_share.text() == "about 3:30 each for 3"
    assert panel.setup.share_length.text() == "3:00"  # only suggested so far
    panel.setup.auto_fair.setChecked(True)
    assert panel.setup.share_length.text() == "3:30"
    window.close()
    again = make_window(db, qtbot)
    assert again.share_round.setup.auto_fair.isChecked()
    again.close()


def test_the_chime_settings_show_as_stored_and_are_kept(db: Database, meeting_id: int, qtbot) -> None:
    from facilitator.storage.preferences import sound_settings

    window = make_window(db, qtbot)
    panel = window.share_round
    assert panel.setup.chime_on.isChecked() and panel.setup.volume.value() == 60
    panel.setup.volume.setValue(30)
    panel.setup.chime_on.setChecked(False)
    with db.begin() as session:
        assert sound_settings(session) == type(sound_settings(session))(volume=30, muted=True)
    window.close()


def test_the_order_choice_changes_the_queue(db: Database, meeting_id: int, qtbot) -> None:
    from facilitator.rules.groups import find_group

    with db.begin() as session:
        group = find_group(session, "Tuesday Circle")
        check_in(session, meeting_id, add_participant(session, group.id, "Aaron Early").id)
    window = make_window(db, qtbot)
    panel = window.share_round
    assert panel.setup.setup_people.text().startswith("4 to share: Aaron Early, Ann Lee")  # rotation: roster order
    panel.setup.ordering.setCurrentIndex(panel.setup.ordering.findData("check_in"))
    assert panel.setup.setup_people.text() == "4 to share: Ann Lee, Bo Chen, Cy Diaz, Aaron Early."
    window.close()


def test_a_resumed_round_keeps_the_sound_settings(db: Database, meeting_id: int, qtbot) -> None:
    from facilitator.storage.preferences import set_sound

    with db.begin() as session:
        set_sound(session, volume=35, muted=False)
    first = make_window(db, qtbot)
    first.share_round.start_or_pause()
    first.share_round.timer.stop()
    again = make_window(db, qtbot)
    panel = again.share_round
    assert panel.round is not None and panel.round.state is RoundState.RUNNING
    assert panel.setup.chime_on.isChecked() and panel.setup.volume.value() == 35
    first.close()
    again.close()


START_A_ROUND_WITH_THE_CHIME = """
from facilitator.records import open_records
from facilitator.rules.attendance import check_in
from facilitator.rules.groups import create_group
from facilitator.rules.meetings import open_meeting
from facilitator.rules.participants import add_participant
from facilitator.storage.locations import DataLocation
from ui.actions import MainAction
from ui.app import application
from ui.shell.main_window import QtMainWindow

application()
db = open_records(DataLocation.resolve())
with db.begin() as session:
    group = create_group(session, "Tuesday Circle")
    meeting = open_meeting(session, group.id)
    check_in(session, meeting.id, add_participant(session, group.id, "Ann Lee").id)
window = QtMainWindow.with_records(db)
window.show()
window.actions_by_name[MainAction.SHOW_SHARING].trigger()
window.share_round.start_or_pause()
print("chime available" if window.share_round.chime.available else window.statusBar().currentMessage())
"""


def test_starting_a_round_with_the_chime_keeps_the_terminal_quiet() -> None:
    """Qt Multimedia, loading its sound back-ends, tells the terminal about every library it did not
    find; the facilitator's terminal hears nothing of it, and a computer without sound is told
    so in the window. (Loaded once per process, hence a fresh one.)"""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(
        [sys.executable, "-c", START_A_ROUND_WITH_THE_CHIME], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    said = run.stdout.strip().splitlines()[-1]
    if said.startswith("Chimes are off: sound is not available here"):
        pytest.skip(f"Qt Multimedia cannot load here (no sound library), so it has nothing to print: {said}")
    noise = [line for line in run.stderr.splitlines() if "multimedia" in line.lower() or "pulseaudio" in line.lower()]
    assert noise == []
    assert said in ("chime available", "Chimes are off: this computer has no sound output.")


def test_qt_messages_while_the_chime_loads_are_held_off_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    """What can be tested without a sound library: a Qt message in the chime's loading is held,
    not printed, and the handler before it is back afterwards."""
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    from ui.pages.sharing.chime import qt_messages_held

    before = qInstallMessageHandler(None)
    try:
        with qt_messages_held() as held:
            qWarning("qt.multimedia.symbolsresolver: Couldn't load pipewire-0.3 library")
        qWarning("after the chime loaded")
    finally:
        qInstallMessageHandler(before)
    assert held == ["qt.multimedia.symbolsresolver: Couldn't load pipewire-0.3 library"]
    assert capfd.readouterr().err.splitlines() == ["after the chime loaded"]


def test_the_previous_turn_comes_back_from_its_button_and_after_the_round(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    panel = window.share_round
    clock = panel.clock = FakeClock()
    back = panel.turn.back_button
    assert back.toolTip() == "Presenter remote, during a turn or after the round: the previous turn again (PgUp)"
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not back.isEnabled()  # the first turn: nothing to go back to
    clock.advance(70)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert panel.turn.sharer.text() == "Bo Chen" and back.isEnabled()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert panel.round is not None and panel.round.state is RoundState.PAUSED
    assert panel.turn.sharer.text() == "Ann Lee" and panel.turn.time_label.text() == clock_text(110)
    assert panel.queue_view.list.item(0).text().startswith("Bo Chen") and not back.isEnabled()
    assert [(p, ended) for p, _, ended, _ in turns(db, meeting_id)] == [(0, False)]
    for key in (Qt.Key.Key_Space, Qt.Key.Key_N, Qt.Key.Key_N, Qt.Key.Key_P):
        qtbot.keyClick(window, key)
    assert panel.pages.currentWidget() is panel._summary_page and panel.round_summary.back_button.isEnabled()
    qtbot.mouseClick(panel.round_summary.back_button, Qt.MouseButton.LeftButton)
    assert panel.pages.currentWidget() is panel._running_page and panel.turn.sharer.text() == "Cy Diaz"
    assert [(p, ended) for p, _, ended, _ in turns(db, meeting_id)] == [(0, True), (1, True), (2, False)]
    panel.show_display()
    assert panel.display is not None and panel.actions_by_name[SharingAction.BACK] in panel.display.actions()
    window.close()


def test_the_values_typed_in_the_set_up_stay_when_the_page_refreshes(db: Database, meeting_id: int, qtbot) -> None:
    window = make_window(db, qtbot)
    setup = window.share_round.setup
    assert (setup.share_length.text(), setup.round_minutes.value()) == ("3:00", 45)  # the group's and the plan's
    setup.share_length.selectAll()
    qtbot.keyClicks(setup.share_length, "2:30")
    setup.round_minutes.selectAll()
    qtbot.keyClicks(setup.round_minutes, "20")
    setup.warning_seconds.selectAll()
    qtbot.keyClicks(setup.warning_seconds, "45")
    with db.begin() as session:  # someone checks in while the facilitator sets the round up
        dee = add_participant(session, get_meeting(session, meeting_id).group_id, "Dee Fox")
        check_in(session, meeting_id, dee.id)
    window.share_round.on_changes(Change.ATTENDANCE, None)
    assert setup.setup_people.text() == "4 to share: Ann Lee, Bo Chen, Cy Diaz, Dee Fox."
    assert (setup.share_length.text(), setup.warning_seconds.value(), setup.round_minutes.value()) == ("2:30", 45, 20)
    assert setup.fair_share.text() == "about 5:00 each for 4"  # the suggestion follows the people and the time typed
    setup.ordering.setCurrentIndex(2)  # another order: the values stay too
    assert (setup.share_length.text(), setup.warning_seconds.value(), setup.round_minutes.value()) == ("2:30", 45, 20)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    round_ = window.share_round.round
    assert round_ is not None and (round_.allotment, round_.warning, round_.budget) == (150, 45, 20 * 60)
    # A later meeting starts from the group's values again.
    setup.prepare(meeting_id=meeting_id + 1, share_seconds=180, warning_seconds=60, round_minutes=45, people=3)
    assert (setup.share_length.text(), setup.warning_seconds.value(), setup.round_minutes.value()) == ("3:00", 60, 45)
    window.close()
