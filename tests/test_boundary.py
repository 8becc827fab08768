"""The core never imports Qt or the UI layer: checked in the source and in a running interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import facilitator

CORE = Path(facilitator.__file__).parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "ui")


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names.extend(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def test_no_core_module_names_qt_or_the_ui_layer() -> None:
    offenders = [
        f"{path.relative_to(CORE.parent)} imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_the_scan_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport ui.app\n", encoding="utf-8")
    assert _imported_modules(sample) == ["PySide6.QtCore", "ui.app"]


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = sorted(
        "facilitator." + ".".join(path.relative_to(CORE).with_suffix("").parts)
        for path in CORE.rglob("*.py")
        if path.name != "__main__.py" and "versions" not in path.parts and path.parent.name != "migrations"
    )
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert len(modules) > 10
    assert result.stdout.strip() == "[]"


def test_the_window_is_drawn_before_the_records_load_and_documents_load_later_still(tmp_path: Path) -> None:
    """The launcher draws the window before SQLAlchemy is even imported; ReportLab, pdfium and
    the bidi packages and Babel load when a document is first made, never at start-up."""
    script = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from ui.shell.main_window import OpeningPage, QtMainWindow\n"
        "def loaded(names): return sorted({m.split('.')[0] for m in sys.modules} & names)\n"
        "drawn = []\n"
        "paint = OpeningPage.paintEvent\n"
        "def first_paint(page, event):\n"
        "    drawn.append(loaded({'sqlalchemy', 'reportlab'}))\n"
        "    paint(page, event)\n"
        "OpeningPage.paintEvent = first_paint\n"
        "open_records = QtMainWindow.open_records\n"
        "def opened(window, db):\n"
        "    open_records(window, db)\n"
        "    heavy = loaded({'reportlab', 'pypdfium2', 'arabic_reshaper', 'bidi', 'babel'})\n"
        "    print(drawn[0], heavy, window.windowTitle(), window.welcome_page.isVisible(), flush=True)\n"
        "    os._exit(0)\n"
        "QtMainWindow.open_records = opened\n"
        "from ui.app import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[] [] Facilitator True"


def test_the_window_undoes_pysides_source_scan_of_every_later_import(tmp_path: Path) -> None:
    """PySide6 reads (and keeps) the source of every module imported after it; once `ui` has
    loaded, modules load as Python loads them. Without `ui`, the scan is there to see."""
    (tmp_path / "sample_module.py").write_text("VALUE = 1\n", encoding="utf-8")

    def kept_after(first: str) -> str:
        script = (
            f"import sys, linecache\nsys.path.insert(0, {str(tmp_path)!r})\nimport {first}\nimport sample_module\n"
            "print(any(name.endswith('sample_module.py') for name in linecache.cache))\n"
        )
        return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout

    assert kept_after("PySide6.QtCore").strip() == "True"
    assert kept_after("ui").strip() == "False"
