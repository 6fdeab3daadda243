"""Watch: notice saved files, drop editor noise, and coalesce each burst into one rebuild.

An editor's save is several events (a temp file written, renamed over the original, a backup
deleted). The debouncer waits until events stop for a moment, so one save is one rebuild: a
short moment when the last event finished a file (closed after writing, or renamed into place),
a longer one otherwise. The clock is injectable so tests can drive it without sleeping.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from watchdog.events import (
    DirAttribEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from generator.content.i18n import SITE_STRINGS
from generator.content.load import CONTENT, PAGES_DIR, PEOPLE_FILE, REPORTS_DIR, SEEDS, SITE_FILE
from generator.diagnostics import one_line
from generator.site.theme import OVERRIDES

# Editors' swap, backup, lock and partial-download files: never content, often many per save.
TEMP_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload", ".bak", "___jb_tmp___", "___jb_old___")
TEMP_NAMES = frozenset({"4913"})  # vim writes and deletes this to test that a folder is writable
# What the watcher asks for: writes, attribute changes (watchdog 7's own events), creations, deletions and
# moves. Reads are events too (inotify IN_OPEN): reacting to them would rebuild forever on our own reads, and
# even dropping them cost about 10 ms of a rebuild at 4,000 reports, so inotify is not asked for them at all.
WATCHED_EVENTS = (
    FileCreatedEvent,
    DirCreatedEvent,
    FileModifiedEvent,
    DirModifiedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileAttribEvent,  # chmod, utime: a report made readable again must be read again
    DirAttribEvent,
)
SETTLE = 0.01  # seconds of calm after a file was finished; `quiet` (longer) after any other event


class ChangeKind(StrEnum):
    """What a changed file is, for the rebuild line and for what must be redone."""

    REPORT = "report"
    PAGE = "page"
    CONFIG = "config"
    SNAPSHOT = "snapshot"
    TEMPLATE = "template"
    STRINGS = "strings"  # a theme's or the site's string table (i18n/<lang>.yaml)
    STATIC = "static"
    OTHER = "other"


@dataclass(frozen=True)
class Change:
    """One changed path, relative to the project root, with its kind."""

    path: str
    kind: ChangeKind


def is_ignored(rel: str, output: str = "site") -> bool:
    """True for editor temp files, hidden files or folders, and anything in the output folder."""
    parts = [p for p in rel.split("/") if p]
    if not parts:
        return True
    if output and (rel == output or rel.startswith(output.rstrip("/") + "/")):
        return True
    name = parts[-1]
    if any(part.startswith(".") for part in parts):  # hidden folders, and emacs' .#lock files
        return True
    if name in TEMP_NAMES or name.endswith(TEMP_SUFFIXES):
        return True
    return name.startswith("#") and name.endswith("#")  # emacs auto-save


def classify(rel: str, theme_dirs: Sequence[str] = ("themes/default",)) -> ChangeKind:
    """The kind of a changed path; `theme_dirs` are the active theme and its parents, relative."""
    if rel in (SITE_FILE, PEOPLE_FILE):
        return ChangeKind.CONFIG
    folders = (
        (REPORTS_DIR, ChangeKind.REPORT),
        (PAGES_DIR, ChangeKind.PAGE),
        (OVERRIDES, ChangeKind.TEMPLATE),
        (SITE_STRINGS, ChangeKind.STRINGS),
        (SEEDS, ChangeKind.SNAPSHOT),
    )
    for folder, kind in folders:
        if rel.startswith(folder + "/"):
            return kind
    for theme in theme_dirs:
        if rel == f"{theme}/theme.yaml" or rel.startswith(f"{theme}/templates/"):
            return ChangeKind.TEMPLATE
        if rel.startswith(f"{theme}/static/"):
            return ChangeKind.STATIC
        if rel.startswith(f"{theme}/i18n/"):
            return ChangeKind.STRINGS
    return ChangeKind.OTHER


def watched_folders(root: Path, theme_dirs: Sequence[str]) -> list[Path]:
    """content/ (config, reports, pages, template overrides), seeds/ and the theme chain's folders, those that exist."""
    wanted = [root / "content", root / SEEDS] + [root / d for d in theme_dirs]
    return [d for d in wanted if d.is_dir()]


MAX_DEPTH = 400  # folders within folders: watchdog walks a watched tree recursively, and a thousand levels exhaust Python's stack


def too_deep(folders: Iterable[Path], limit: int = MAX_DEPTH) -> Path | None:
    """A folder nested more than `limit` levels below one of `folders` (links not followed), or None."""
    stack = [(folder, 0) for folder in folders if folder.is_dir()]
    while stack:
        here, depth = stack.pop()
        if depth > limit:
            return here
        with contextlib.suppress(OSError), os.scandir(here) as entries:
            stack += [(Path(entry.path), depth + 1) for entry in entries if entry.is_dir(follow_symlinks=False)]
    return None


def describe(changes: Sequence[Change]) -> str:
    """A short phrase for the terminal: one path, or a count by kind."""
    if not changes:
        return "start"
    if len(changes) == 1:
        return one_line(changes[0].path)  # a file name can hold escape codes (a checked-out pull request's): never sent raw
    kinds = sorted({c.kind.value for c in changes})
    return f"{len(changes)} files ({', '.join(kinds)})"


class Debouncer:
    """Collects paths and hands them over once no new one arrived for `quiet` seconds.

    When the last event finished writing a file (`complete`), `settle` seconds of calm are enough:
    the save is done, and the wait only gathers what an editor does right after (drop a backup).
    `max_wait` bounds the delay while events keep coming (a long copy), so the preview still
    moves. All times come from `clock`, so tests use a fake one.
    """

    def __init__(self, quiet: float = 0.05, max_wait: float = 1.0, clock: Callable[[], float] = time.monotonic, settle: float = 0.01) -> None:
        self.quiet = quiet
        self.settle = min(settle, quiet)
        self.max_wait = max_wait
        self.clock = clock
        self._paths: dict[str, None] = {}
        self._first = 0.0
        self._last = 0.0
        self._complete = False

    def add(self, paths: Iterable[str], complete: bool = False) -> None:
        """Record changed paths now; `complete` when the event finished writing one of them."""
        now = self.clock()
        if not self._paths:
            self._first = now
        self._last = now
        self._complete = complete
        for path in paths:
            self._paths[path] = None

    def due_in(self) -> float | None:
        """Seconds until the batch is ready (0 if it is), or None when nothing is pending."""
        if not self._paths:
            return None
        now = self.clock()
        wait = self.settle if self._complete else self.quiet
        return max(0.0, min(self._last + wait, self._first + self.max_wait) - now)

    def take(self) -> list[str] | None:
        """The batch, in arrival order, if it is ready; else None (and the batch keeps growing)."""
        if self.due_in() != 0.0:
            return None
        batch = list(self._paths)
        self._paths.clear()
        return batch


# Events after which a file is complete: written and closed, or renamed into place (an atomic save).
COMPLETING_EVENT_TYPES = frozenset({"closed", "moved"})


class _Handler(FileSystemEventHandler):
    def __init__(self, sink: Callable[[list[str], str], None]) -> None:
        self.sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type == "modified":
            return  # a folder is "modified" whenever a file in it is; the file's own event says which
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        # The file a completing event finishes: the closed one, or a rename's destination.
        done = paths[-1] if event.event_type in COMPLETING_EVENT_TYPES and not event.is_directory else ""
        self.sink(paths, done)


_OBSERVERS = "watchdog.observers"  # whose warnings (an inotify queue that overflowed) mean events were lost


def _inode(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class _Lost(logging.Handler):
    """Hears the observer's warnings: after one, the watcher cannot vouch that it saw every change."""

    def __init__(self, watcher: Watcher) -> None:
        super().__init__(logging.WARNING)
        self.watcher = watcher

    def emit(self, record: logging.LogRecord) -> None:
        """Mark the watcher's batches as incomplete."""
        self.watcher.events_lost()


class Watcher:
    """Watches folders and calls `on_batch` (on its own thread) with each coalesced batch of changes."""

    def __init__(
        self,
        root: Path,
        on_batch: Callable[[list[Change]], object],
        *,
        poll: bool = False,
        quiet: float = 0.05,
        output: str = "site",
    ) -> None:
        self.root = root.resolve()
        self.on_batch = on_batch
        self.output = output
        self.theme_dirs: tuple[str, ...] = ()
        self.observer: BaseObserver = PollingObserver(timeout=0.5) if poll else Observer()
        self.debouncer = Debouncer(quiet, settle=min(quiet, SETTLE))
        self._cond = threading.Condition()
        self._stopping = False
        self._watches: dict[Path, ObservedWatch] = {}
        self._inodes: dict[Path, tuple[int, int] | None] = {}  # each watched folder as it was when scheduled
        self._missed = True  # changes may have gone unseen since `complete` last said (nothing was watched yet)
        self._gone: set[Path] = set()  # watched folders an event named: deleted or moved, and their watch with them
        self._lost = _Lost(self)
        self._handler = _Handler(self._add)
        self._thread = threading.Thread(target=self._loop, name="factcheck-rebuild", daemon=True)

    def _top_names(self) -> set[str]:
        """The project's entries a build reads: content/, seeds/ and the theme chain's top folders (themes/)."""
        return {CONTENT, SEEDS, *(d.split("/")[0] for d in self.theme_dirs)}

    def folders(self) -> list[Path]:
        """What to watch: content/ (config, reports, pages, template overrides), seeds/ and the theme chain."""
        return watched_folders(self.root, self.theme_dirs)

    def set_theme(self, theme_dirs: Sequence[str]) -> None:
        """Follow the active theme and its parents (paths relative to the root); re-schedule if they (or the folders there are) changed."""
        self.theme_dirs = tuple(theme_dirs)
        wanted = set(self.folders())
        if wanted == set(self._watches):
            return
        for folder in list(self._watches):
            if folder not in wanted:
                self.observer.unschedule(self._watches.pop(folder))
        for folder in sorted(wanted - set(self._watches)):
            self._schedule(folder)
        # What changed in a folder before it was watched was not seen: the next rebuild must look at every file.
        self._missed = True

    def _schedule(self, folder: Path) -> None:
        self._watches[folder] = self.observer.schedule(self._handler, str(folder), recursive=True, event_filter=list(WATCHED_EVENTS))
        self._inodes[folder] = _inode(folder)

    def complete(self) -> bool:
        """True if the batches since the last call named every change under content/ and seeds/ (see Engine.rebuild)."""
        with self._cond:  # not a lost-events warning taken back the moment it came
            missed, self._missed = self._missed, False
        for folder in (self.root / CONTENT, self.root / SEEDS):
            # A watch follows the folder it was set on: one deleted and made again is watched no more.
            if folder not in self._watches or folder in self._gone or self._inodes.get(folder) != _inode(folder):
                self._gone.discard(folder)
                if folder in self._watches:
                    self.observer.unschedule(self._watches.pop(folder))
                if folder.is_dir():
                    self._schedule(folder)
                missed = True
        return not missed

    def events_lost(self) -> None:
        """The observer dropped events: the next batch may not name every change."""
        with self._cond:
            self._missed = True

    def start(self) -> None:
        """Start watching and the rebuild thread."""
        for folder in self.folders():
            if folder not in self._watches:
                self._schedule(folder)
        # The project's own entries, not below them: a content/ or seeds/ made anew (`rm -rf seeds && mkdir seeds`),
        # or moved back, has no watch on it until a rebuild sets one, and nothing else would set off that rebuild.
        self.observer.schedule(self._handler, str(self.root), recursive=False, event_filter=list(WATCHED_EVENTS))
        logging.getLogger(_OBSERVERS).addHandler(self._lost)
        self.observer.start()
        self._thread.start()

    def stop(self) -> None:
        """Stop both threads; a rebuild in progress finishes first."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self.observer.stop()
        self.observer.join(timeout=5)
        logging.getLogger(_OBSERVERS).removeHandler(self._lost)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=30)

    def _add(self, abs_paths: list[str], done: str = "") -> None:
        rels = []
        complete = False
        for path in abs_paths:
            try:
                rel = Path(path).relative_to(self.root).as_posix()
            except ValueError:
                continue
            if Path(path) in self._watches:
                self._gone.add(Path(path))  # an event about the watched folder itself: it went, or was moved
            if "/" not in rel and rel not in self._top_names():
                continue  # an entry of the project's own folder that no build reads (README.md, .git, site/)
            if not is_ignored(rel, self.output):
                rels.append(rel)
                complete = complete or path == done  # a file we watch is finished (not a temp or backup file)
        if rels:
            with self._cond:
                self.debouncer.add(rels, complete)
                self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                batch = None
                while batch is None and not self._stopping:
                    self._cond.wait(self.debouncer.due_in())
                    batch = self.debouncer.take()
                if self._stopping or batch is None:
                    return
            self.on_batch([Change(path, classify(path, self.theme_dirs)) for path in batch])
