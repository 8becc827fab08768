"""Small builders for the widgets every page uses, so that they look and behave alike."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPushButton, QTableView

from ui.plain import without_mnemonic


def button(text: str, tip: str, accessible: str = "") -> QPushButton:
    """A push button that says what it does: a tooltip, and a spoken name without the mnemonic."""
    widget = QPushButton(text)
    widget.setToolTip(tip)
    widget.setAccessibleName(accessible or without_mnemonic(text).rstrip("…"))
    widget.setAutoDefault(False)
    return widget


def table_view(name: str, accessible: str, model: QAbstractItemModel, *, stretch: int = 0) -> QTableView:
    """A read-only table of whole rows, one selected at a time; column `stretch` takes the room."""
    view = QTableView(objectName=name)
    view.setModel(model)  # before the header modes below, which need the model's columns
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
