"""Give memory that was freed back to the system (issue 17: the study's Excel export).

glibc's ``malloc`` keeps freed blocks in its heap for reuse instead of returning them: after
the snapshot read of a 4-million-coding study, ~560 MiB that no object holds any more stayed
in the process (``RssAnon``). :func:`give_back` asks glibc to return them (``malloc_trim``,
milliseconds). :func:`map_large_blocks` keeps large blocks out of the heap in the first
place. Elsewhere (macOS, Windows, musl) both do nothing.
"""

from __future__ import annotations

import ctypes
import sys

#: Blocks of this size or more get their own mapping (and go back to the system when freed).
MAP_FROM = 1 << 20
_M_MMAP_THRESHOLD = -3              # mallopt's parameter number (glibc's malloc.h)

_libc = None
_mapped = False


def _glibc():
    global _libc
    if _libc is None:
        _libc = False
        if sys.platform.startswith("linux"):
            try:
                lib = ctypes.CDLL("libc.so.6")
                lib.malloc_trim, lib.mallopt          # both or neither (glibc)
                _libc = lib
            except (OSError, AttributeError):
                _libc = False
    return _libc


def give_back() -> None:
    """Return freed heap memory to the system, where the C library can (glibc)."""
    lib = _glibc()
    if lib:
        lib.malloc_trim(0)


def map_large_blocks() -> bool:
    """From now on, have glibc map every block of `MAP_FROM` bytes or more on its own, and
    unmap it when it is freed; True when set (glibc), False elsewhere. Once per process.

    Why: glibc's threshold for that starts at 128 KiB but rises to the size of each large
    block freed (up to 32 MiB); after the first big numpy temporary is freed, arrays of a
    few MiB come from the heap, and freed ones stay there until a trim. A fixed threshold
    ends that: the study's export peaked ~20 MiB lower in the report of each item (152 ->
    132 MiB over the open project) and in the snapshot read (83 -> 68 MiB), at no cost in
    time that the bench could see (bench/README.md, round eight)."""
    global _mapped
    if not _mapped:
        lib = _glibc()
        _mapped = bool(lib) and bool(lib.mallopt(_M_MMAP_THRESHOLD, MAP_FROM))
    return _mapped
