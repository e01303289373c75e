"""Give memory that was freed back to the system (issue 17: the study's Excel export).

glibc's ``malloc`` keeps freed blocks in its heap for reuse instead of returning them: after
the snapshot read of a 4-million-coding study, ~560 MiB that no object holds any more stayed
in the process (``RssAnon``). :func:`give_back` asks glibc to return them (``malloc_trim``,
milliseconds). Elsewhere (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys

_trim = None


def give_back() -> None:
    """Return freed heap memory to the system, where the C library can (glibc)."""
    global _trim
    if _trim is None:
        _trim = False
        if sys.platform.startswith("linux"):
            try:
                _trim = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):
                _trim = False
    if _trim:
        _trim(0)
