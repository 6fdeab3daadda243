"""What a preview rebuild must look at again: every content file, or only those the watcher saw change.

A full scan walks the content folders (content/load.py's discover) and stats every report file and
snapshot (store.py). At 4,000 reports that is most of a one-report rebuild. When the caller names
every file changed since the last check (serve's watcher does) and each named file under a content
folder is one the last scan found and is still a plain file, nothing was created, deleted or moved:
the last scan's list of files stands, and only the named files need a stat. Anything else (a new,
gone or renamed file, a folder, no list at all, a check that did not finish) means a full scan.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection
from pathlib import Path

from generator.content.load import PAGES_DIR, REPORTS_DIR, SEEDS, Found, discover

# Where discover looks: a path the watcher names under one of these may add or remove a content file.
_SCANNED = tuple(f"{folder}/" for folder in (REPORTS_DIR, PAGES_DIR, SEEDS))


class Rescan:
    """The last full scan's files, and which of them the current check must stat again (None: all of them)."""

    def __init__(self, unwatched: Callable[[str], bool] = lambda rel: False) -> None:
        self.unwatched = unwatched  # files the watcher never reports (it drops editor temp names): stat them always
        self.changed: frozenset[str] | None = None
        self._hint: frozenset[str] | None = None
        self._found: Found | None = None
        self._known: frozenset[str] = frozenset()
        self._always: frozenset[str] = frozenset()
        self._finished = False

    def begin(self, changed: Collection[str] | None) -> None:
        """Start a check; `changed` names every path changed since the last one (relative to the root), or is None if unknown."""
        # A check that stopped half way may have seen a change it did not record: the next one looks at everything.
        self._hint = frozenset(changed) if changed is not None and self._finished else None
        self._finished = False
        self.changed = None

    def discover(self, root: Path) -> Found:
        """The content files: the last scan's if the named changes cannot have added or removed one, else found again."""
        hint = self._hint
        if self._found is not None and hint is not None and all(self._still_there(root, rel) for rel in hint):
            self.changed = hint | self._always
            return self._found
        found = discover(root)
        known = frozenset((*found.reports, *found.pages, *found.snapshots))
        self._found, self._known, self.changed = found, known, None
        self._always = frozenset(rel for rel in known if self.unwatched(rel))
        return found

    def finish(self) -> None:
        """The check recorded every file it looked at: the next one may trust the watcher again."""
        self._finished = True

    def _still_there(self, root: Path, rel: str) -> bool:
        # Only a file under the scanned folders can change the list of files, and only by coming, going or
        # ceasing to be a plain file (a link or a FIFO is listed so the file rule refuses it by name).
        if not f"{rel}/".startswith(_SCANNED) and not any(folder.startswith(f"{rel}/") for folder in _SCANNED):
            return True  # neither in a scanned folder nor one of them or above them (content/ moved away)
        if rel not in self._known:
            return False
        try:
            return stat.S_ISREG(os.lstat(root / rel).st_mode)
        except OSError:
            return False
