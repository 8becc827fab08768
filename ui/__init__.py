"""The Qt desktop layer of Facilitator. It presents the core (`facilitator`) and owns no rules.

Loading it first undoes PySide6's scanning import hook (see `import_hook`), so nothing the
window loads afterwards pays PySide6's scan of its source.
"""

from ui.import_hook import restore_python_import

restore_python_import()
