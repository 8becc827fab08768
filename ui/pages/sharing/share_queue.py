"""Who is still to share, in order: reordered by dragging or by keys, latecomers added, people taken out."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from facilitator.rules.share_round.machine import Sharer
from ui.actions import SharingAction, action_button
from ui.common.plain import plain_label
from ui.common.widgets import named


class QtShareQueue(QWidget):
    """The queue as the round has it; a drag says the new order, and the panel sends it on."""

    reordered = Signal()

    def __init__(self, actions: dict[SharingAction, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = named(QListWidget(), "roundQueue")
        self.list.setAccessibleName("Still to share, in order; drag to reorder")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.model().rowsMoved.connect(lambda *_: self.reordered.emit())
        buttons = QGridLayout()
        for row, column, name in (
            (0, 0, SharingAction.LATECOMER_AT_END),
            (0, 1, SharingAction.LATECOMER_NEXT),
            (0, 2, SharingAction.REMOVE),
            (1, 0, SharingAction.EARLIER),
            (1, 1, SharingAction.LATER),
            (1, 2, SharingAction.LEAVING_EARLY),
        ):
            buttons.addWidget(action_button(actions[name]), row, column)
        buttons.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plain_label("Still to share", object_name="sectionTitle"))
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_queue(self, queue: Sequence[Sharer]) -> None:
        """The queue, the highlight staying on the person it was on."""
        highlighted = self.highlighted()
        self.list.clear()
        for sharer in queue:
            item = QListWidgetItem(queue_text(sharer))
            item.setData(Qt.ItemDataRole.UserRole, sharer.participant_id)
            self.list.addItem(item)
            if sharer.participant_id == highlighted:
                self.list.setCurrentItem(item)

    def highlighted(self) -> int | None:
        """The person highlighted in the queue, by id; None when nobody is."""
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def order(self) -> list[int]:
        """The people as the list shows them now (after a drag), by id."""
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]


def queue_text(sharer: Sharer) -> str:
    """A person as the queue shows them, with why they share sooner if they do."""
    return f"{sharer.display_name} — leaving early" if sharer.leaving_early else sharer.display_name
