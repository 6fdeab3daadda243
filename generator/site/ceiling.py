"""The render's memory ceiling: a template that grows a string or a list to gigabytes fails with a diagnostic.

Templates come with pull requests. The sandbox refuses the known one-operation bombs before they
run (sandbox.py), and the deadline stops long loops (deadline.py), but a short template can still
ask for gigabytes in a few steps, each within the rules (a million-character string replaced a
thousandfold, a list of a thousand references to it joined or printed), faster than any deadline
and enough to bring down the machine that builds a newsroom's pull requests. Within the ceiling
the operating system refuses such an allocation and the template gets a MemoryError, which is
reported at its file and line like any template error.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

# How much a process may grow while it renders pages: far beyond what any page needs (a listing of
# thousands of claims takes a few megabytes), far below what would exhaust a CI runner's memory.
RENDER_HEADROOM = 1 << 30
MESSAGE = f"the page needed more than {RENDER_HEADROOM >> 30} GB of memory (a string or a list grown out of bounds in a template?)"


@contextlib.contextmanager
def memory_ceiling(headroom: int = RENDER_HEADROOM) -> Iterator[None]:
    """Within the block, this process's address space may grow by `headroom` bytes at most (Linux, main thread only).

    Forked helpers inherit the limit. Other threads (serve's) are left alone: the limit is the whole
    process's, and two threads setting and restoring it in turn could leave it set for good.
    """
    size = _address_space()
    if size is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    import resource  # POSIX only: imported where _address_space found Linux's /proc

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + headroom if hard == resource.RLIM_INFINITY else min(size + headroom, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:  # already as tight (set by the user, or an enclosing block)
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), None where it cannot be known."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
