"""A pytest plugin that makes PySide6 (and the `ui` package) impossible to import.

`make test` runs the core tests with it (`pytest -p tests.block_qt tests/core`), so a core
module that pulls in Qt fails there, proving that `studio` stays headless.
"""

import sys

for name in ("PySide6", "shiboken6", "ui"):
    sys.modules[name] = None  # type: ignore[assignment]  # import → ImportError
