"""The facilitator's side of the share round: the order, the timer's controls, the queue.

The round itself is the core's `ShareRound`; every turn is written to the database as it
starts, pauses, resumes and ends, so a crash loses nothing and the round can be picked up.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator.rules.groups import GroupInfo
from facilitator.rules.meetings import MeetingInfo, open_meeting_of
from facilitator.rules.share_round.machine import Clock, RoundState, ShareRound, TurnPhase, fair_share_seconds
from facilitator.rules.share_round.order import Ordering, sharing_order
from facilitator.rules.share_round.turns import (
    finished_turns,
    resumed_round,
    round_saved,
    time_added,
    turn_ended,
    turn_paused,
    turn_resumed,
    turn_started,
    waiting_order,
)
from facilitator.storage.preferences import fair_share_applied, set_fair_share_applied, set_sound, sound_settings
from facilitator.text import NameDisplay
from ui.common.plain import plain_label
from ui.common.style import SUBTITLE_POINTS, set_points
from ui.common.widgets import DurationSpinBox, button
from ui.operations.changes import Change
from ui.operations.runner import Operations
from ui.pages.sharing.chime import Chime
from ui.pages.sharing.room_display import QtRoomDisplay, clock_text, phase_words

IDLE_REPAINT_MS = 500
FAIR_STEP, FAIR_MIN = 15, 60  # fair shares in quarter minutes, never under a minute
# Keys of the Sharing tab, with what they do (also listed on Help → Keyboard Shortcuts).
SHARING_KEYS = (
    ("Space", "start, pause or go on"),
    ("N", "next person"),
    ("P", "the person passes"),
    ("+", "a minute more"),
    ("H", "half a minute more"),
    ("F", "everyone left gets the fair share"),
    ("L", "a latecomer joins the end of the queue"),
    ("Shift+L", "a latecomer shares next"),
    ("Ctrl+Up", "the highlighted person shares earlier"),
    ("Ctrl+Down", "the highlighted person shares later"),
    ("Delete", "take the highlighted person out of the queue"),
    ("B", "blank the room display"),
    ("Ctrl+D", "show the room display"),
)
ORDERINGS = (
    (Ordering.ROTATE, "Rotate: start after last week's first sharer"),
    (Ordering.CHECK_IN, "In the order people arrived"),
    (Ordering.SHUFFLE, "Shuffled"),
)


CONCERNS = Change.ATTENDANCE | Change.ROSTER


class QtShareRoundPanel(QWidget):
    counts_changed = Signal(str)  # the round's progress, for a permanent place in the status bar
    notice = Signal(str)  # something to say once (no sound here, say)

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareRoundPanel")
        self._operations = operations
        self.group: GroupInfo | None = None
        self.meeting: MeetingInfo | None = None
        self.round: ShareRound | None = None
        self.display: QtRoomDisplay | None = None
        self.chime: Chime | None = None
        self._suggested = 180
        self._last_phase: tuple[int, TurnPhase] | None = None
        self.clock: Clock = time.monotonic  # the round's time; tests put a fake clock here
        # The timer only repaints; the time itself comes from the round's monotonic clock. It is
        # aimed at the moment the shown second changes, so the display is never a tick behind.
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

        # -- nothing to run
        self.idle_text = plain_label("", object_name="sectionTitle")
        idle_page = QWidget()
        idle_layout = QVBoxLayout(idle_page)
        idle_layout.addStretch(1)
        idle_layout.addWidget(self.idle_text, 0, Qt.AlignmentFlag.AlignHCenter)
        idle_layout.addStretch(2)

        # -- setting up the round
        self.ordering = QComboBox(objectName="roundOrdering")
        for value, text in ORDERINGS:
            self.ordering.addItem(text, value)
        self.ordering.setToolTip("Who goes first, and in what order")
        self.ordering.currentIndexChanged.connect(lambda _index: self._reorder_setup())
        self.share_length = DurationSpinBox(15)
        self.share_length.setObjectName("roundShareLength")
        self.share_length.setRange(30, 30 * 60)
        self.share_length.setToolTip("Each person's time, in minutes and seconds")
        self.share_length.setAccessibleName("Each share, minutes and seconds")
        self.warning_seconds = QSpinBox(objectName="roundWarning")
        self.warning_seconds.setRange(0, 300)
        self.warning_seconds.setSingleStep(15)
        self.warning_seconds.setSuffix(" s before the end")
        self.warning_seconds.setToolTip("When the display turns to its warning colour and words")
        self.round_minutes = QSpinBox(objectName="roundBudget")
        self.round_minutes.setRange(5, 180)
        self.round_minutes.setValue(45)
        self.round_minutes.setSuffix(" min for the round")
        self.round_minutes.setToolTip("Time you have for the whole round; suggests an equal share")
        self.fair_share = plain_label("")
        self.round_minutes.valueChanged.connect(lambda _v: self._suggest())
        self.use_fair = button("Use This Share", "Give everyone the suggested equal share (F)")
        self.use_fair.clicked.connect(self._use_suggestion)
        self.auto_fair = QCheckBox("Always, for this group", objectName="autoFairShare")
        self.auto_fair.setToolTip("Give everyone the equal share for the time there is, without asking")
        self.auto_fair.toggled.connect(self._auto_fair_changed)
        self.start_button = button("Start Round", "Begin with the first person (Space)")
        self.start_button.setObjectName("primaryButton")
        self.start_button.clicked.connect(self.start_or_pause)
        form = QFormLayout()
        form.addRow("&Order:", self.ordering)
        form.addRow("&Each share:", self.share_length)
        form.addRow("&Warning:", self.warning_seconds)
        budget = QHBoxLayout()
        budget.addWidget(self.round_minutes)
        budget.addWidget(self.fair_share, 1)
        budget.addWidget(self.use_fair)
        budget.addWidget(self.auto_fair)
        form.addRow("Time for all:", budget)
        self.chime_on = QCheckBox("Soft chime at the warning and at time", objectName="chimeOn")
        self.chime_on.setToolTip("A gentle sound; the room display always shows the same in colour and words")
        self.volume = QSlider(Qt.Orientation.Horizontal, objectName="chimeVolume")
        self.volume.setRange(0, 100)
        self.volume.setAccessibleName("Chime volume")
        self.volume.setToolTip("How loud the chime is")
        self.chime_on.toggled.connect(lambda _on: self._sound_changed())
        self.volume.valueChanged.connect(lambda _value: self._sound_changed())
        sound = QHBoxLayout()
        sound.addWidget(self.chime_on)
        sound.addWidget(self.volume, 1)
        form.addRow("Sound:", sound)
        self.setup_people = plain_label("")
        self.setup_people.setWordWrap(True)
        setup_page = QWidget()
        setup_layout = QVBoxLayout(setup_page)
        setup_layout.addWidget(plain_label("Sharing round", object_name="sectionTitle"))
        setup_layout.addLayout(form)
        setup_layout.addWidget(self.setup_people)
        setup_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        setup_layout.addStretch(1)

        # -- the round running
        self.sharer = plain_label("", object_name="pageTitle")
        self.time_label = plain_label("", object_name="roundTime")
        self.phase_label = plain_label("")
        set_points(self.phase_label, SUBTITLE_POINTS)
        self.queue = QListWidget(objectName="roundQueue")
        self.queue.setAccessibleName("Still to share, in order; drag to reorder")
        self.queue.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.queue.model().rowsMoved.connect(lambda *_: self._queue_reordered())
        self.pause_button = button("Pause", "Pause or go on (Space)")
        self.next_button = button("Next", "End this turn; the next person begins (N)")
        self.pass_button = button("Pass", "They pass; offered a second round at the end (P)")
        self.more_30 = button("+30 s", "Give half a minute more (H)")
        self.more_60 = button("+1 min", "Give a minute more (+)")
        self.running_fair = plain_label("")
        self.running_fair.setObjectName("runningFairShare")
        self.use_fair_now = button("Use for Everyone Left", "Whoever is sharing and all still waiting get this (F)")
        self.use_fair_now.clicked.connect(self.apply_fair_share)
        self.latecomer_button = button(
            "Latecomer at the End…", "Someone who arrived late joins the end of the queue (L)"
        )
        self.latecomer_next_button = button("Latecomer Next…", "Someone who arrived late shares next (Shift+L)")
        self.remove_button = button("Remove from Queue", "Take the highlighted person out of the queue (Delete)")
        self.earlier_button = button("Earlier", "The highlighted person shares earlier (Ctrl+Up)")
        self.later_button = button("Later", "The highlighted person shares later (Ctrl+Down)")
        self.pause_button.clicked.connect(self.start_or_pause)
        self.next_button.clicked.connect(lambda: self.end_turn(passed=False))
        self.pass_button.clicked.connect(lambda: self.end_turn(passed=True))
        self.more_30.clicked.connect(lambda: self.add_time(30))
        self.more_60.clicked.connect(lambda: self.add_time(60))
        self.latecomer_button.clicked.connect(lambda: self.add_latecomer(next_up=False))
        self.latecomer_next_button.clicked.connect(lambda: self.add_latecomer(next_up=True))
        self.remove_button.clicked.connect(self.remove_selected)
        self.earlier_button.clicked.connect(lambda: self.move_selected(-1))
        self.later_button.clicked.connect(lambda: self.move_selected(1))
        controls = QGridLayout()
        for position, each in enumerate(
            (self.pause_button, self.next_button, self.pass_button, self.more_30, self.more_60)
        ):
            controls.addWidget(each, 0, position)
        running_page = QWidget()
        running_layout = QVBoxLayout(running_page)
        running_layout.addWidget(self.sharer)
        running_layout.addWidget(self.time_label)
        running_layout.addWidget(self.phase_label)
        running_layout.addLayout(controls)
        fair_row = QHBoxLayout()
        fair_row.addWidget(self.running_fair)
        fair_row.addWidget(self.use_fair_now)
        fair_row.addStretch(1)
        running_layout.addLayout(fair_row)
        running_layout.addWidget(plain_label("Still to share", object_name="sectionTitle"))
        running_layout.addWidget(self.queue, 1)
        queue_buttons = QGridLayout()
        queue_buttons.addWidget(self.latecomer_button, 0, 0)
        queue_buttons.addWidget(self.latecomer_next_button, 0, 1)
        queue_buttons.addWidget(self.remove_button, 0, 2)
        queue_buttons.addWidget(self.earlier_button, 1, 0)
        queue_buttons.addWidget(self.later_button, 1, 1)
        queue_buttons.setColumnStretch(3, 1)
        running_layout.addLayout(queue_buttons)

        # -- after the round
        self.summary = QListWidget(objectName="roundSummary")
        self.summary.setAccessibleName("Who shared, who passed, and for how long")
        self.second_round_button = button("Second Round for Those Who Passed", "Offer those who passed a turn now")
        self.second_round_button.clicked.connect(self.second_round)
        summary_page = QWidget()
        summary_layout = QVBoxLayout(summary_page)
        summary_layout.addWidget(plain_label("Round summary (for you, not printed)", object_name="sectionTitle"))
        summary_layout.addWidget(self.summary, 1)
        summary_layout.addWidget(self.second_round_button, 0, Qt.AlignmentFlag.AlignLeft)

        # -- the room display's options, always at hand
        self.screen_choice = QComboBox(objectName="displayScreen")
        self.screen_choice.setAccessibleName("Screen for the room display")
        self.screen_choice.setToolTip("Where the room display goes: another screen fills it; this one gets a window")
        self._list_screens()
        QGuiApplication.instance().screenAdded.connect(lambda _screen: self._list_screens())  # type: ignore[union-attr]
        QGuiApplication.instance().screenRemoved.connect(self._screen_removed)  # type: ignore[union-attr]
        self.display_button = button("Show Room Display", "Open the timer the room sees, in its own window (Ctrl+D)")
        self.display_button.clicked.connect(self.show_display)
        self.gentle = QCheckBox("Gentle mode: a ring, no digits", objectName="gentleMode")
        self.gentle.setToolTip("For groups that find a countdown stressful")
        self.hide_names = QCheckBox("No names on the display", objectName="hideNames")
        self.hide_names.setToolTip("The display says “Sharing now” instead of a name")
        self.blank = QCheckBox("Blank the display", objectName="blankDisplay")
        self.blank.setToolTip("A neutral screen, no names, for a sensitive moment (B)")
        for box in (self.gentle, self.hide_names, self.blank):
            box.toggled.connect(lambda _on: self._apply_display_options())
        display_row = QGridLayout()
        display_row.addWidget(self.display_button, 0, 0)
        display_row.addWidget(self.screen_choice, 0, 1)
        display_row.addWidget(self.gentle, 1, 0)
        display_row.addWidget(self.hide_names, 1, 1)
        display_row.addWidget(self.blank, 1, 2)
        display_row.setColumnStretch(3, 1)

        self.pages = QStackedWidget()
        for page in (idle_page, setup_page, running_page, summary_page):
            self.pages.addWidget(page)
        self._idle_page, self._setup_page, self._running_page, self._summary_page = (
            idle_page,
            setup_page,
            running_page,
            summary_page,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.pages, 1)
        layout.addLayout(display_row)

        for keys, action in (
            (SHARING_KEYS[0][0], self.start_or_pause),
            ("N", lambda: self.end_turn(passed=False)),
            ("P", lambda: self.end_turn(passed=True)),
            ("+", lambda: self.add_time(60)),
            ("H", lambda: self.add_time(30)),
            ("F", self.apply_fair_share),
            ("L", lambda: self.add_latecomer(next_up=False)),
            ("Shift+L", lambda: self.add_latecomer(next_up=True)),
            ("Ctrl+Up", lambda: self.move_selected(-1)),
            ("Ctrl+Down", lambda: self.move_selected(1)),
            ("Delete", self.remove_selected),
            ("B", self.blank.toggle),
            ("Ctrl+D", self.show_display),
        ):
            # Window-wide while the Sharing tab is showing, wherever the focus is.
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)

    # ---- what is shown --------------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        if group is None or group.id != getattr(self.group, "id", None):
            self._drop_round()
        self.group = group
        self.refresh()

    def on_changes(self, changes: Change, initiator: object | None) -> None:
        # A meeting opened or closed matters even out of sight: a round may be running.
        if initiator is not self and (changes & Change.MEETING or changes & CONCERNS and self.isVisible()):
            self.refresh()

    def shut_down(self) -> None:
        self.timer.stop()
        if self.display is not None:
            self.display.close()

    def refresh(self) -> None:
        group = self.group
        if group is None:
            return
        meeting = self._operations.run(lambda session: open_meeting_of(session, group.id))
        if meeting is None:
            self._drop_round()
            self.meeting = None
            self.idle_text.setText("Open tonight's meeting and check people in; the round starts here.")
            self.pages.setCurrentWidget(self._idle_page)
            return
        if self.meeting is None or self.meeting.id != meeting.id:
            self._drop_round()
        self.meeting = meeting
        if self.round is None:
            self._prepare(group, meeting)
        self._apply_display_options()
        self._show_state()

    def _prepare(self, group: GroupInfo, meeting: MeetingInfo) -> None:
        """A round to pick up (after a crash) or the set-up for a new one."""

        ordering = Ordering(self.ordering.currentData())

        def read(session):  # type: ignore[no-untyped-def]
            resumed = resumed_round(session, meeting.id, clock=self.clock)
            if resumed is not None:
                return resumed, [], []
            waiting = waiting_order(session, meeting.id, ordering, seed=meeting.id)
            return None, finished_turns(session, meeting.id), waiting

        found = self._operations.run(read)
        if found is None:
            return
        resumed, done, waiting = found
        applied = self._operations.run(lambda session: fair_share_applied(session, group.id))
        self.auto_fair.blockSignals(True)
        self.auto_fair.setChecked(bool(applied))
        self.auto_fair.blockSignals(False)
        sound = self._operations.run(sound_settings)
        if sound is not None:
            # Shown as stored: setting the widgets must not write them back half-set.
            for widget in (self.chime_on, self.volume):
                widget.blockSignals(True)
            self.chime_on.setChecked(not sound.muted)
            self.volume.setValue(sound.volume)
            for widget in (self.chime_on, self.volume):
                widget.blockSignals(False)
        if resumed is not None:
            self.round = resumed
            self._ensure_chime()
            self._schedule()
            return
        self._waiting = waiting
        self._done = done
        self.share_length.setValue(group.share_seconds)
        self.warning_seconds.setValue(group.warning_seconds)
        self._suggest()

    def _reorder_setup(self) -> None:
        if self.round is None and self.group is not None and self.meeting is not None:
            self._prepare(self.group, self.meeting)
            self._show_state()

    def _show_state(self) -> None:
        round_ = self.round
        if round_ is None:
            waiting = getattr(self, "_waiting", [])
            names = ", ".join(sharer.display_name for sharer in waiting)
            self.setup_people.setText(
                f"{len(waiting)} to share: {names}." if waiting else "Nobody checked in is waiting to share yet."
            )
            self.start_button.setEnabled(bool(waiting))
            self.pages.setCurrentWidget(self._setup_page)
        elif round_.state is RoundState.FINISHED:
            self.summary.clear()
            for turn in round_.finished:
                used = "passed" if turn.passed else clock_text(turn.seconds_used)
                self.summary.addItem(QListWidgetItem(f"{turn.position + 1}. {turn.sharer.display_name} — {used}"))
            self.second_round_button.setEnabled(bool(round_.passed))
            self.pages.setCurrentWidget(self._summary_page)
        else:
            self.pages.setCurrentWidget(self._running_page)
            self._fill_queue()
            self._show_fair_share()
        self._tick()

    def _tick(self) -> None:
        round_ = self.round
        if round_ is not None and round_.current is not None:
            timing = round_.timing()
            assert timing is not None
            self.sharer.setText(round_.current.display_name)
            remaining = timing.remaining
            self.time_label.setText(clock_text(remaining) if remaining > 0 else f"+{clock_text(-remaining)}")
            self._chime_for(round_.current.participant_id, timing.phase)
            words = phase_words(timing) or "Sharing"
            self.phase_label.setText(f"Paused · {words}" if round_.state is RoundState.PAUSED else words)
            self.pause_button.setText("Go On" if round_.state is RoundState.PAUSED else "Pause")
            shared = len([turn for turn in round_.finished if not turn.passed])
            self.counts_changed.emit(f"Sharing: {shared} shared · {len(round_.queue)} to go")
        if self.display is not None:
            self.display.update()
        self._schedule()

    def _schedule(self) -> None:
        round_ = self.round
        timing = round_.timing() if round_ is not None else None
        if round_ is None or timing is None or round_.state is not RoundState.RUNNING:
            if round_ is not None and round_.state is RoundState.PAUSED:
                self.timer.start(IDLE_REPAINT_MS)
            return
        remaining = timing.remaining
        part = remaining - math.floor(remaining) if remaining > 0 else 1 - ((-remaining) - math.floor(-remaining))
        self.timer.start(max(1, math.ceil(part * 1000) + 1))

    def _chime_for(self, person: int, phase: TurnPhase) -> None:
        """Chime once when a turn reaches its warning, and once when its time is up."""
        before = self._last_phase
        self._last_phase = (person, phase)
        if before is None or before[0] != person or self.chime is None:
            return
        if before[1] is TurnPhase.CALM and phase is TurnPhase.WARNING:
            self.chime.play("warning")
        elif before[1] in (TurnPhase.CALM, TurnPhase.WARNING) and phase in (TurnPhase.TIME, TurnPhase.OVERTIME):
            self.chime.play("time")

    def _sound_changed(self) -> None:
        volume, muted = self.volume.value(), not self.chime_on.isChecked()
        self._operations.run(lambda session: set_sound(session, volume=volume, muted=muted))
        self._tune_chime()

    def _ensure_chime(self) -> None:
        if self.chime is None:
            self.chime = Chime(self.notice.emit, self)
        self._tune_chime()

    def _tune_chime(self) -> None:
        if self.chime is not None:
            self.chime.volume = self.volume.value() / 100
            self.chime.muted = not self.chime_on.isChecked()

    def _fill_queue(self) -> None:
        round_ = self.round
        self.queue.clear()
        if round_ is None:
            return
        for sharer in round_.queue:
            item = QListWidgetItem(sharer.display_name)
            item.setData(Qt.ItemDataRole.UserRole, sharer.participant_id)
            self.queue.addItem(item)

    def _suggest(self) -> None:
        people = max(1, len(getattr(self, "_waiting", [])))
        self._suggested = fair_share_seconds(self.round_minutes.value() * 60, people, step=FAIR_STEP, minimum=FAIR_MIN)
        self.fair_share.setText(f"about {clock_text(self._suggested)} each for {people}")
        if self.auto_fair.isChecked():
            self._use_suggestion()

    def _use_suggestion(self) -> None:
        self.share_length.setValue(self._suggested)

    def _show_fair_share(self) -> None:
        """While the round runs: the equal share of the time left for whoever is still to share."""
        round_ = self.round
        fair = round_.fair_share(step=FAIR_STEP, minimum=FAIR_MIN) if round_ is not None else None
        if round_ is None or fair is None:
            self.running_fair.setText("")
            self.use_fair_now.hide()
            return
        people = len(round_.queue) + (round_.current is not None)
        self.running_fair.setText(
            f"Each share: {clock_text(round_.allotment)} · fair share of the time left: {clock_text(fair)} for {people}"
        )
        self.use_fair_now.setVisible(fair != round(round_.allotment))

    def _auto_fair_changed(self, on: bool) -> None:
        group = self.group
        if group is not None:
            self._operations.run(lambda session: set_fair_share_applied(session, group.id, on) or True)
        if on:
            self._use_suggestion()

    # ---- actions --------------------------------------------------------------------------

    def start_or_pause(self) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        round_ = self.round
        if round_ is None:
            waiting = getattr(self, "_waiting", [])
            if not waiting:
                return
            seconds = self.share_length.value()
            self.round = round_ = ShareRound(
                queue=list(waiting),
                allotment=seconds,
                warning=min(self.warning_seconds.value(), seconds - 1),
                budget=self.round_minutes.value() * 60,
                finished=list(self._done),
                clock=self.clock,
            )
            first = round_.start()
            self._record(lambda s: turn_started(s, meeting.id, first, round_.current_position))
            self._ensure_chime()
            self._schedule()
        elif round_.state is RoundState.RUNNING:
            round_.pause()
            position = round_.current_position
            self._record(lambda s: turn_paused(s, meeting.id, position))
        elif round_.state is RoundState.PAUSED:
            round_.resume()
            position = round_.current_position
            self._record(lambda s: turn_resumed(s, meeting.id, position))
        elif round_.state is RoundState.IDLE:
            first = round_.start()
            self._record(lambda s: turn_started(s, meeting.id, first, round_.current_position))
            self._schedule()
        self._show_state()

    def end_turn(self, *, passed: bool) -> None:
        meeting, round_ = self.meeting, self.round
        if meeting is None or round_ is None or round_.current is None:
            return
        following = round_.pass_turn() if passed else round_.next()
        ended = round_.finished[-1]
        if following is not None and self.auto_fair.isChecked():
            self._fair_share_for_the_rest(round_)

        def record(session):  # type: ignore[no-untyped-def]
            turn_ended(session, meeting.id, ended.position, seconds_used=ended.seconds_used, passed=ended.passed)
            if following is not None:
                turn_started(session, meeting.id, following, round_.current_position)

        self._record(record)
        if following is None:
            self.timer.stop()
        self._show_state()

    def add_time(self, seconds: int) -> None:
        meeting, round_ = self.meeting, self.round
        if meeting is None or round_ is None or round_.current is None:
            return
        round_.add_time(seconds)
        position = round_.current_position
        self._record(lambda s: time_added(s, meeting.id, position, seconds))
        self._tick()

    def add_latecomer(self, *, next_up: bool = False) -> None:
        meeting, round_ = self.meeting, self.round
        if meeting is None or round_ is None or round_.state is RoundState.FINISHED:
            return
        order = self._operations.run(lambda session: sharing_order(session, meeting.id, Ordering.CHECK_IN)) or []
        candidates = [sharer for sharer in order if not round_.includes(sharer.participant_id)]
        if not candidates:
            self._operations.tell("Everyone checked in is already in the round. Check the latecomer in first.")
            return
        labels = [sharer.display_name for sharer in candidates]
        label, accepted = QInputDialog.getItem(self, "Add Latecomer", "Who arrived:", labels, 0, False)
        if accepted:
            round_.add_latecomer(candidates[labels.index(label)], next_up=next_up)
            self._record(lambda _session: None)
            self._show_state()

    def remove_selected(self) -> None:
        item = self.queue.currentItem()
        if self.round is not None and self.round.state is not RoundState.FINISHED and item is not None:
            self.round.remove(item.data(Qt.ItemDataRole.UserRole))
            self._record(lambda _session: None)
            self._show_state()

    def move_selected(self, step: int) -> None:
        """Move the highlighted person in the queue one place earlier (-1) or later (+1)."""
        round_, row = self.round, self.queue.currentRow()
        if round_ is None or round_.state is RoundState.FINISHED or row < 0:
            return
        target = row + step
        if not 0 <= target < len(round_.queue):
            return
        person = self.queue.item(row).data(Qt.ItemDataRole.UserRole)
        round_.move(person, target)
        self._record(lambda _session: None)
        self._fill_queue()
        self.queue.setCurrentRow(target)

    def apply_fair_share(self) -> None:
        """Before the round: use the suggestion. During it: the person sharing and everyone
        waiting get an equal share of what is left of the round's time."""
        round_ = self.round
        if round_ is None:
            if self.pages.currentWidget() is self._setup_page:
                self._use_suggestion()
            return
        if round_.current is not None and self._fair_share_for_the_rest(round_):
            self._record(lambda _session: None)
            self._show_state()

    def _fair_share_for_the_rest(self, round_: ShareRound) -> bool:
        fair = round_.fair_share(step=FAIR_STEP, minimum=FAIR_MIN)
        if fair is None or fair == round(round_.allotment):
            return False
        round_.set_allotment(fair)
        return True

    def second_round(self) -> None:
        if self.round is not None:
            self.round.second_round()
            self.start_or_pause()

    def show_display(self) -> None:
        if self.round is None and self.group is None:
            return
        if self.display is None:
            self.display = QtRoomDisplay(self.round or _no_round(), NameDisplay.FULL)
            self.display.closed.connect(self._display_closed)
        self._apply_display_options()
        screens = QGuiApplication.screens()
        index = self.screen_choice.currentIndex()
        self.display.show_on(screens[index] if 0 <= index < len(screens) else QGuiApplication.primaryScreen())

    # ---- inside -----------------------------------------------------------------------------

    def _apply_display_options(self) -> None:
        if self.display is None:
            return
        self.display.round = self.round or _no_round()
        self.display.name_display = self.group.name_display if self.group else NameDisplay.FULL
        self.display.gentle = self.gentle.isChecked()
        self.display.hide_names = self.hide_names.isChecked()
        self.display.blank = self.blank.isChecked()
        self.display.update()

    def _list_screens(self) -> None:
        self.screen_choice.clear()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.geometry().size()
            self.screen_choice.addItem(f"Screen {number}: {screen.name()} ({size.width()}×{size.height()})")
        self.screen_choice.setCurrentIndex(self.screen_choice.count() - 1)  # a projector is usually the last

    def _screen_removed(self, screen: QScreen) -> None:
        if self.display is not None:
            self.display.screen_removed(screen)
        self._list_screens()

    def _display_closed(self) -> None:
        self.display = None

    def _queue_reordered(self) -> None:
        round_ = self.round
        if round_ is None:
            return
        order = [self.queue.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.queue.count())]
        for position, participant_id in enumerate(order):
            round_.move(participant_id, position)
        self._record(lambda _session: None)

    def _record(self, work) -> None:  # type: ignore[no-untyped-def]
        """Write a change to the round, and the round's queue and settings with it, at once."""
        meeting, round_ = self.meeting, self.round

        def write(session):  # type: ignore[no-untyped-def]
            work(session)
            if meeting is not None and round_ is not None:
                round_saved(session, meeting.id, round_)
            return True

        self._operations.run(write)
        self._apply_display_options()

    def _drop_round(self) -> None:
        """Let go of the round shown (group switched, meeting closed). A turn still in progress
        stays recorded, so coming back picks it up again."""
        self.timer.stop()
        self.round = None
        self._waiting = []
        self._done = []
        self._last_phase = None
        self._apply_display_options()


def _no_round() -> ShareRound:
    """What the room display shows between rounds: nobody sharing."""
    return ShareRound(queue=[], allotment=60, warning=0)
