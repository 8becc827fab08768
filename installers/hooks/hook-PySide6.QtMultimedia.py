"""Qt Multimedia for the share round's chime, without a media back end.

Replaces PyInstaller's own hook (a project's hooks come first). The chime uses QSoundEffect and
QMediaDevices, which Qt runs without any back-end plug-in; the FFmpeg plug-in that PyInstaller
would collect links FFmpeg and Qt Quick, about 37 MB that nothing here plays.
"""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
hiddenimports += ["PySide6.QtMultimediaWidgets"]  # as PyInstaller's hook: shiboken's type set-up asks for it
binaries = [entry for entry in binaries if "plugins/multimedia" not in entry[1].replace("\\", "/")]
