"""A guard against a refcount bug of PySide6 6.12 on Python 3.11.

Its generated wrappers return None from void methods without taking a reference (harmless on
Python 3.12+, where None, True and False are immortal). On 3.11 every call such as
`widget.update()` costs None one reference, and after a few thousand calls the interpreter
aborts with "none_dealloc: deallocating None" (checked here: 1,000 `update()` calls took 1,000
references). Until the app runs on Python 3.12+, give those singletons a reference count that
no session can use up.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40


def protect_singletons() -> bool:
    """Make None, True and False practically immortal on Python < 3.12; True when applied."""
    if sys.version_info >= (3, 12) or getattr(sys, "_studio_singletons_guarded", False):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE
    sys._studio_singletons_guarded = True  # type: ignore[attr-defined]
    return True
