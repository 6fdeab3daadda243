"""The output folder's life: one build at a time, an atomic swap, and recovery after a killed build.

At no instant is the output folder missing for good: where the system can exchange two folders
atomically (Linux's renameat2 RENAME_EXCHANGE) the new site takes the old one's place in one
step; elsewhere the two renames are made, and a build killed between them leaves the old site
beside the output folder, where the next build puts it back before doing anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.pipeline.cache import through_link

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def old_site(out: Path) -> Path:
    """Where the old site waits while the two-rename swap runs."""
    return out.parent / f".{out.name}.old"


def previous_site(out: Path) -> Path:
    """Where the site before the current one is kept, for the next build to update in place."""
    return out.parent / f".{out.name}.previous"


def staging_prefix(out: Path) -> str:
    """The name every staging folder of `out` starts with."""
    return f".{out.name}.staging-"


def remove(path: Path) -> None:
    """Remove a leftover folder; a symbolic link in its place is unlinked, never followed."""
    # A pull request can commit `.site.previous` or `.site.old` as a link: what it points at is not ours.
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def is_real_dir(path: Path) -> bool:
    """A folder itself, not a symbolic link to one."""
    return path.is_dir() and not path.is_symlink()


@contextlib.contextmanager
def exclusive(lock_path: Path, what: str, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's build lock for the block; a second build of the same project waits for it."""
    if through_link(lock_path) or lock_path.is_symlink():  # never create or open a file where a link points
        yield
        return
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(lock_path, "a+b")  # noqa: SIM115 - closed below, after unlocking
    except OSError:  # a read-only project: nothing to lock, and no cache to share
        yield
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            waiting(f"Another build of {what} is running; waiting for it to finish.")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def recover(out: Path, marker: str) -> None:
    """Undo what a killed build left: put the old site back if the output folder is missing, remove staging folders."""
    old = old_site(out)
    if is_real_dir(old) and not out.exists() and (old / marker).is_file():
        old.rename(out)
    else:
        remove(old)
    prefix = staging_prefix(out)
    if out.parent.is_dir():
        for entry in os.scandir(out.parent):
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def swap_in(staging: Path, out: Path, keep: Path | None = None) -> None:
    """Put `staging` in place of `out`; the old site is removed afterwards, or kept at `keep`."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        retired = staging  # the old site now lives where the staging folder was
    else:
        retired = old_site(out)
        out.rename(retired)
        staging.rename(out)  # a kill before this line is undone by `recover`
    if keep is not None:
        if retired != keep:
            remove(keep)
            retired.rename(keep)
        return
    shutil.rmtree(retired, ignore_errors=True)
