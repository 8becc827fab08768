"""The facilitator's side of the share round: the set-up, the turn in progress, the queue, the summary.

The round is the core's `RoundKeeper`: each intent here is one call that moves the round and saves
it in the same transaction, so a crash loses nothing and the round can be picked up again. This
page only shows what the keeper answers and repaints the time from the round's own clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from facilitator.rules.groups import GroupInfo
from facilitator.rules.meetings import MeetingInfo, open_meeting_of
from facilitator.rules.share_round.keeper import RoundKeeper, RoundView, round_minutes_planned
from facilitator.rules.share_round.machine import Clock, RoundState, ShareRound, TurnPhase
from facilitator.rules.share_round.order import Ordering
from facilitator.storage.preferences import (
    SoundSettings,
    fair_share_applied,
    set_fair_share_applied,
    set_sound,
    sound_settings,
)
from facilitator.text import NameDisplay
from ui.actions import SharingAction, create_sharing_actions
from ui.common.plain import ask_choice, plain_label
from ui.operations.changes import Change
from ui.operations.runner import REFUSED, Operations, Session
from ui.pages.sharing.chime import Chime
from ui.pages.sharing.display_controls import QtDisplayControls
from ui.pages.sharing.room_display import AFTER_MEETING, BEFORE_ROUND, QtRoomDisplay
from ui.pages.sharing.round_setup import QtRoundSetup
from ui.pages.sharing.round_summary import QtRoundSummary
from ui.pages.sharing.share_queue import QtShareQueue
from ui.pages.sharing.turn_view import QtTurnView

IDLE_REPAINT_MS = 500
# The Sharing page's keys and what they do, for Help → Keyboard Shortcuts (from `SharingAction`).


CONCERNS = Change.ATTENDANCE | Change.ROSTER


class QtShareRoundPanel(QWidget):
    counts_changed = Signal(str)  # the round's progress, for a permanent place in the status bar

    def __init__(self, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareRoundPanel")
        self._operations = operations
        self.group: GroupInfo | None = None
        self.meeting: MeetingInfo | None = None
        self.keeper = RoundKeeper()
        self.chime: Chime | None = None
        self._last_phase: tuple[int, TurnPhase] | None = None
        self._between_turns = ""  # the room display's words while nobody shares: none until a meeting opens
        # The timer only repaints; the time itself comes from the round's monotonic clock. It is
        # aimed at the moment the shown second changes, so the display is never a tick behind.
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.actions_by_name = create_sharing_actions(self)
        self._build_pages()
        self._connect()
        self._turn_keys_follow(None)

    def _build_pages(self) -> None:
        actions = self.actions_by_name
        self.idle_text = plain_label("", object_name="sectionTitle")
        self._idle_page = QWidget()
        idle_layout = QVBoxLayout(self._idle_page)
        idle_layout.addStretch(1)
        idle_layout.addWidget(self.idle_text, 0, Qt.AlignmentFlag.AlignHCenter)
        idle_layout.addStretch(2)
        self.setup = self._setup_page = QtRoundSetup(actions)
        self.turn = QtTurnView(actions)
        self.queue_view = QtShareQueue(actions)
        self._running_page = QWidget()
        running_layout = QVBoxLayout(self._running_page)
        running_layout.addWidget(self.turn)
        running_layout.addWidget(self.queue_view, 1)
        self.round_summary = self._summary_page = QtRoundSummary(actions)
        self.display_controls = QtDisplayControls(actions)
        self.pages = QStackedWidget()
        for page in (self._idle_page, self._setup_page, self._running_page, self._summary_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.display_controls)

    def _connect(self) -> None:
        for name, intent in (
            (SharingAction.START_OR_PAUSE, self.start_or_pause),
            (SharingAction.NEXT, lambda: self.end_turn(passed=False)),
            (SharingAction.PASS, lambda: self.end_turn(passed=True)),
            (SharingAction.MINUTE_MORE, lambda: self.add_time(60)),
            (SharingAction.HALF_MINUTE_MORE, lambda: self.add_time(30)),
            (SharingAction.FAIR_SHARE, self.apply_fair_share),
            (SharingAction.LATECOMER_AT_END, lambda: self.add_latecomer(next_up=False)),
            (SharingAction.LATECOMER_NEXT, lambda: self.add_latecomer(next_up=True)),
            (SharingAction.EARLIER, lambda: self.move_selected(-1)),
            (SharingAction.LATER, lambda: self.move_selected(1)),
            (SharingAction.REMOVE, self.remove_selected),
            (SharingAction.LEAVING_EARLY, self.leaving_early),
            (SharingAction.SHOW_DISPLAY, self.show_or_hide_display),
            (SharingAction.START, self.start_or_go_on),
            (SharingAction.REMOTE_NEXT, lambda: self.end_turn(passed=False)),
            (SharingAction.PAUSE, self.pause),
            (SharingAction.BACK, self.back),
        ):
            self.actions_by_name[name].triggered.connect(intent)
        self.setup.ordering_changed.connect(self._reorder_setup)
        self.setup.auto_fair_changed.connect(self._auto_fair_changed)
        self.setup.sound_changed.connect(self._sound_changed)
        self.queue_view.reordered.connect(self._queue_reordered)
        self.round_summary.second_round_button.clicked.connect(self.second_round)

    # ---- for the window and the tests -------------------------------------------------------

    @property
    def round(self) -> ShareRound | None:
        """The round going on, whose clock the time is read from; None before it starts."""
        return self.keeper.round

    @property
    def clock(self) -> Clock:
        return self.keeper.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.keeper.clock = clock

    @property
    def display(self) -> QtRoomDisplay | None:
        return self.display_controls.display

    # ---- what is shown --------------------------------------------------------------------

    def show_group(self, group: GroupInfo | None) -> None:
        if group is None or group.id != getattr(self.group, "id", None):
            self.meeting, self._between_turns = None, ""
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
        if meeting is REFUSED:
            return
        if meeting is None:
            if self.meeting is not None:  # it has just closed: the room is thanked
                self._between_turns = AFTER_MEETING
            self._drop_round()
            self.meeting = None
            self.idle_text.setText("Open tonight's meeting and check people in; the round starts here.")
            self.pages.setCurrentWidget(self._idle_page)
            return
        if self.meeting is None or self.meeting.id != meeting.id:
            self._drop_round()
        self.meeting = meeting
        self._between_turns = BEFORE_ROUND
        if self.keeper.round is None:
            self._prepare(group, meeting)
        self._show(self.keeper.view())

    def _prepare(self, group: GroupInfo, meeting: MeetingInfo) -> None:
        """A round to pick up (after a crash) or the set-up for a new one, in one read."""
        ordering = Ordering(self.setup.ordering.currentData())

        def read(session: Session) -> tuple[RoundView, int, bool, SoundSettings]:
            view = self.keeper.load(session, meeting.id, ordering)
            planned = round_minutes_planned(session, meeting.id)
            return view, planned, fair_share_applied(session, group.id), sound_settings(session)

        found = self._operations.run(read)
        if found is REFUSED:
            return
        view, planned, applied, sound = found
        self.setup.show_stored(auto_fair=applied, sound=sound)
        if self.keeper.round is not None:
            self._ensure_chime()
            return
        self.setup.prepare(
            meeting_id=meeting.id,
            share_seconds=group.share_seconds,
            warning_seconds=group.warning_seconds,
            round_minutes=planned,
            people=len(view.waiting),
        )

    def _reorder_setup(self) -> None:
        if self.keeper.round is None and self.group is not None and self.meeting is not None:
            self._prepare(self.group, self.meeting)
            self._show(self.keeper.view())

    def _show(self, view: RoundView) -> None:
        round_ = self.keeper.round
        if round_ is None:
            self.setup.show_waiting(view)
            self.pages.setCurrentWidget(self._setup_page)
        elif view.state is RoundState.FINISHED:
            self.round_summary.show_view(view)
            self.pages.setCurrentWidget(self._summary_page)
        else:
            self.pages.setCurrentWidget(self._running_page)
            self.queue_view.show_queue(view.waiting)
            self.turn.show_view(view)
        if round_ is not None:
            self.counts_changed.emit(f"Sharing: {view.progress}")
        self._show_on_display()
        self._turn_keys_follow(round_)
        self._tick()

    def _turn_keys_follow(self, round_: ShareRound | None) -> None:
        """A remote's Page Down and Esc act on a turn only while one is on, and Page Up only when
        there is a turn to go back to; otherwise they are left to the lists and dialogs that use them."""
        on = round_ is not None and round_.state in (RoundState.RUNNING, RoundState.PAUSED)
        for name in (SharingAction.REMOTE_NEXT, SharingAction.PAUSE):
            self.actions_by_name[name].setEnabled(on)
        self.actions_by_name[SharingAction.BACK].setEnabled(round_ is not None and round_.can_go_back)

    def _tick(self) -> None:
        round_ = self.keeper.round
        if round_ is not None and round_.current is not None:
            timing = round_.timing()
            assert timing is not None
            self.turn.show_timing(round_.current, timing, paused=round_.state is RoundState.PAUSED)
            self._chime_for(round_.current.participant_id, timing.phase)
        if self.display is not None:
            self.display.update()
        self._schedule()

    def _schedule(self) -> None:
        round_ = self.keeper.round
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

    def _sound_changed(self, volume: int, muted: bool) -> None:
        self._operations.run(lambda session: set_sound(session, volume=volume, muted=muted))
        self._tune_chime()

    def _ensure_chime(self) -> None:
        if self.chime is None:
            self.chime = Chime(self._operations.say, self)
        self._tune_chime()

    def _tune_chime(self) -> None:
        if self.chime is not None:
            self.chime.volume = self.setup.volume.value() / 100
            self.chime.muted = not self.setup.chime_on.isChecked()

    def _auto_fair_changed(self, on: bool) -> None:
        group = self.group
        if group is not None:
            self._operations.run(lambda session: set_fair_share_applied(session, group.id, on))

    def _show_on_display(self) -> None:
        name_display = self.group.name_display if self.group else NameDisplay.FULL
        self.display_controls.show_round(self.keeper.round, name_display, self._between_turns)

    # ---- intents ----------------------------------------------------------------------------

    def start_or_pause(self) -> None:
        round_ = self.keeper.round
        if self.meeting is None:
            return
        if round_ is None:
            if not self.keeper.view().waiting:
                return
            share, warning, budget = self.setup.chosen()
            self._send(
                lambda s: self.keeper.start(s, share_seconds=share, warning_seconds=warning, budget_seconds=budget)
            )
            self._ensure_chime()
        elif round_.state is RoundState.RUNNING:
            self._send(self.keeper.pause)
        elif round_.state is RoundState.PAUSED:
            self._send(self.keeper.resume)

    def start_or_go_on(self) -> None:
        """A remote's F5: the round starts, or goes on after a pause; it never pauses it."""
        round_ = self.keeper.round
        if round_ is None or round_.state is RoundState.PAUSED:
            self.start_or_pause()

    def pause(self) -> None:
        round_ = self.keeper.round
        if self.meeting is not None and round_ is not None and round_.state is RoundState.RUNNING:
            self._send(self.keeper.pause)

    def end_turn(self, *, passed: bool) -> None:
        round_ = self.keeper.round
        if self.meeting is None or round_ is None or round_.current is None:
            return
        every_turn = self.setup.auto_fair.isChecked()
        self._send(lambda s: self.keeper.end_turn(s, passed=passed, fair_share_each_turn=every_turn))
        if round_.current is None:
            self.timer.stop()

    def back(self) -> None:
        """The previous turn again, paused: the person sharing now waits first again."""
        round_ = self.keeper.round
        if self.meeting is not None and round_ is not None and round_.can_go_back:
            self._send(self.keeper.back)

    def add_time(self, seconds: int) -> None:
        round_ = self.keeper.round
        if self.meeting is not None and round_ is not None and round_.current is not None:
            self._send(lambda s: self.keeper.add_time(s, seconds))

    def add_latecomer(self, *, next_up: bool = False) -> None:
        round_ = self.keeper.round
        if self.meeting is None or round_ is None or round_.state is RoundState.FINISHED:
            return
        candidates = self._operations.run(self.keeper.latecomers) or []
        if not candidates:
            self._operations.tell("Everyone marked here is already in the round. Mark the latecomer here first.")
            return
        labels = [sharer.display_name for sharer in candidates]
        place = ask_choice(self, "Add Latecomer", "Who arrived:", labels)
        if place is not None:
            chosen = candidates[place]
            self._send(lambda s: self.keeper.add_latecomer(s, chosen, next_up=next_up))

    def remove_selected(self) -> None:
        round_, person = self.keeper.round, self.queue_view.highlighted()
        if round_ is not None and round_.state is not RoundState.FINISHED and person is not None:
            self._send(lambda s: self.keeper.remove(s, person))

    def leaving_early(self) -> None:
        """The highlighted person (or the one chosen, if nobody is) must leave early: they share next."""
        round_ = self.keeper.round
        if round_ is None or round_.state is RoundState.FINISHED or not round_.queue:
            return
        person = self.queue_view.highlighted()
        if person is None:
            labels = [sharer.display_name for sharer in round_.queue]
            place = ask_choice(self, "Leaving Early", "Who must leave early:", labels)
            if place is None:
                return
            person = round_.queue[place].participant_id
        chosen = person
        self._send(lambda s: self.keeper.leaving_early(s, chosen))

    def move_selected(self, step: int) -> None:
        """Move the highlighted person in the queue one place earlier (-1) or later (+1)."""
        round_, row, person = self.keeper.round, self.queue_view.list.currentRow(), self.queue_view.highlighted()
        if round_ is None or round_.state is RoundState.FINISHED or row < 0 or person is None:
            return
        target = row + step
        if 0 <= target < len(round_.queue):
            self._send(lambda s: self.keeper.move(s, person, target))

    def apply_fair_share(self) -> None:
        """Before the round: use the suggestion. During it: the person sharing and everyone
        waiting get an equal share of what is left of the round's time."""
        round_ = self.keeper.round
        if round_ is None:
            if self.pages.currentWidget() is self._setup_page:
                self.setup.use_suggestion()
            return
        if round_.current is not None and self.keeper.view().fair_share_offered:
            self._send(self.keeper.use_fair_share)

    def second_round(self) -> None:
        if self.keeper.round is not None:
            self._send(self.keeper.second_round)

    def show_or_hide_display(self) -> None:
        if self.display is not None:
            self.display.close()
        else:
            self.show_display()

    def show_display(self) -> None:
        if self.keeper.round is None and self.group is None:
            return
        self._show_on_display()
        self.display_controls.open_display()

    # ---- inside -----------------------------------------------------------------------------

    def _send(self, move: Callable[[Session], RoundView]) -> None:
        """One move of the round and its save, in one transaction; a refused move is shown by the
        runner and the round stays as it was."""
        self._show(self._operations.run(move) or self.keeper.view())

    def _queue_reordered(self) -> None:
        """After a drag: the list already shows the new order, so it is only refilled if refused,
        once the drop is over (refilling inside it would pull the dragged item from under Qt)."""
        if self.keeper.round is None:
            return
        order = self.queue_view.order()
        if self._operations.run(lambda s: self.keeper.reorder(s, order)) is REFUSED:
            QTimer.singleShot(0, self, lambda: self._show(self.keeper.view()))
        self._show_on_display()

    def _drop_round(self) -> None:
        """Let go of the round shown (group switched, meeting closed). A turn still in progress
        stays recorded, so coming back picks it up again."""
        self.timer.stop()
        self.keeper.drop()
        self._last_phase = None
        self._show_on_display()
        self._turn_keys_follow(None)
