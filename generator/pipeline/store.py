"""Results of earlier runs of the per-report step, kept so an unchanged report is not checked again.

One store serves `serve` (in memory, for the life of the preview) and `build` and `check` (read
from and saved to .cache/factcheck/reports/, in buckets by file path, so that an edit rewrites
one small bucket and not the results of every report). A result is reused only while the site-wide
inputs it was made with are unchanged (the store's key: the generator's code, site.yaml and
people.yaml), the report file's text is the same and the snapshot it reads is the same. Files
with errors are never kept: they are checked again each time, so their hints stay current.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.content.files import read_project_file
from generator.content.load import read_snapshot
from generator.diagnostics import Diagnostic
from generator.model.arena import move_packed_texts
from generator.pipeline.cache import CACHE_DIR, cache_key, digest, load_pickle, save_pickle
from generator.pipeline.heap import collector_paused
from generator.pipeline.reports import ReportResult
from generator.pipeline.workers import Aside

# mtime_ns, size, inode, ctime_ns: a file with the same signature was not touched. The change time moves with a
# chmod too: a report made unreadable since the last run is read again, and its error reported, not its old result kept.
Signature = tuple[int, int, int, int]


def signature(path: str | Path) -> Signature | None:
    """The file's signature, or None if it cannot be seen."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def text_digest(root: Path, rel: str) -> str:
    """The digest load.parse_yaml gives the file's text (BOM dropped), or "" if refused or unreadable."""
    data = read_project_file(root, rel, [])  # the file rule: a FIFO or a link leaving the project is never read
    try:
        return hashlib.sha256(data.decode("utf-8-sig").encode("utf-8")).hexdigest() if data is not None else ""
    except UnicodeDecodeError:
        return ""


BUCKETS = 64
SNAPSHOTS_FILE = "snapshots.pickle"  # each snapshot's signature and digest


def _bucket(rel: str) -> int:
    return hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=2).digest()[0] % BUCKETS


@dataclass
class _Entry:
    sig: Signature
    text: str  # digest of the text the result was made from
    snapshot_digest: str
    result: ReportResult


@dataclass
class _Snapshot:
    sig: Signature
    digest: str


class Snapshots(Mapping[str, bytes]):
    """The accepted snapshots' bytes by path, read when a report being checked asks (a report taken from the store reads none).

    Never held: the snapshots of 40,000 reports are 118 MB, which the build's process would hold through the
    check and the planning for nothing (the model keeps each article's text packed). A file is read twice in a
    cold build (digested here, then checked); from the page cache that is microseconds.
    """

    def __init__(self, root: Path, table: Mapping[str, _Snapshot]) -> None:
        self._root, self._table = root, table

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self._table:
            raise KeyError(rel)
        # Accepted under the file rule when its signature was last seen; read under the rule again all the same.
        data = read_snapshot(self._root, rel, [])
        if data is None:
            raise KeyError(rel)
        return data

    def __contains__(self, rel: object) -> bool:
        return rel in self._table  # listed: whether it can be read is for __getitem__ to find

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


class ReportStore:
    """Per-report results for one key; in memory, and also on disk when given a project root."""

    def __init__(self, root: Path | None = None, save_later: bool = False, move_texts: bool = False) -> None:
        self.folder = root / CACHE_DIR / "reports" if root is not None else None
        self.save_later = save_later  # keep_only leaves the writing to `save` or `saving` (build, check)
        # A build's (and check's) models hold their packed texts in shared mappings (`received`); never the
        # preview's, which keeps a store for hours and would keep every mapping an edited report left behind.
        self.move_texts = move_texts
        self.key = ""
        self.entries: dict[str, _Entry] = {}
        self._snapshots: dict[str, _Snapshot] = {}
        self._dirty: set[int] = set()  # buckets to write
        self._combined: dict[tuple[str, str], str] = {}  # (text digest, snapshot digest) -> the report's digest

    def open(self, key: str) -> None:
        """Use the results made for `key`; any others are dropped."""
        if key == self.key:
            return
        self.key, self.entries, self._dirty = key, {}, set()
        if self.folder is None:
            return
        with collector_paused():  # every object loaded lives for the whole run: scanning them for cycles finds none
            stored_buckets = [load_pickle(self.folder / f"{bucket:02x}.pickle") for bucket in range(BUCKETS)]
        for bucket, stored in enumerate(stored_buckets):
            if isinstance(stored, dict) and stored.get("key") == key and isinstance(stored.get("entries"), dict):
                self.entries.update(stored["entries"])
                self.received(entry.result for entry in stored["entries"].values())
            else:
                self._dirty.add(bucket)  # missing, damaged or stale: written anew on save

    def received(self, results: Iterable[ReportResult]) -> None:
        """Results just made or loaded, before the next are: their models' packed texts go to a shared mapping (with `move_texts`).

        Done batch by batch as they come, so that the heap's room they leave is taken by the next batch's
        objects and the page plan's: room left free until the render forks would be taken by both processes'
        garbage, each page of it then a page of each.
        """
        if self.move_texts:
            move_packed_texts(result.report for result in results if result.report is not None)

    def snapshots(self, root: Path, names: Iterable[str], diags: list[Diagnostic], changed: Container[str] | None = None) -> Snapshots:
        """These snapshots, read again only when a file's signature changed; refusals go to `diags`.

        `changed` (the preview's watcher, pipeline/rescan.py): only these files may have changed; the others are not looked at.
        """
        if not self._snapshots and self.folder is not None:
            saved = load_pickle(self.folder / SNAPSHOTS_FILE)  # signatures and digests from the last run
            if isinstance(saved, dict):
                self._snapshots = {rel: _Snapshot(sig, dig) for rel, (sig, dig) in saved.items()}
        table: dict[str, _Snapshot] = {}
        base = os.fspath(root)
        for rel in names:
            known = self._snapshots.get(rel)
            if known is not None and changed is not None and rel not in changed:
                table[rel] = known
                continue
            sig = signature(f"{base}/{rel}")  # a string: a Path per file costs more than the stat
            if known is None or sig is None or known.sig != sig:
                data = read_snapshot(root, rel, diags)
                if data is None or sig is None:
                    continue
                known = _Snapshot(sig, hashlib.sha256(data).hexdigest())
            table[rel] = known
        if self.folder is not None and {rel: (s.sig, s.digest) for rel, s in table.items()} != {rel: (s.sig, s.digest) for rel, s in self._snapshots.items()}:
            save_pickle(self.folder / SNAPSHOTS_FILE, {rel: (snap.sig, snap.digest) for rel, snap in table.items()})
        self._snapshots = table
        return Snapshots(root, table)

    def snapshot_digest(self, rel: str) -> str:
        """The digest of a snapshot read by the last `snapshots` call; "" if there is none."""
        known = self._snapshots.get(rel)
        return known.digest if known is not None else ""

    def report_digests(self, results: Iterable[ReportResult]) -> dict[str, str]:
        """The digest of each modelled report's file and snapshot among `results`, by report id, in one pass (the preview's every rebuild)."""
        snapshots, combined = self._snapshots, self._combined
        made: dict[str, str] = {}
        for result in results:
            if result.report is None:
                continue
            snap = snapshots.get(result.snapshot) if result.snapshot else None
            key = (result.digest, snap.digest if snap is not None else "")
            # Remembered while the store lives: digesting every report again on every rebuild of the preview
            # would cost more than checking the edited one.
            both = combined.get(key)
            if both is None:
                both = combined[key] = digest(*key)
            made[result.report_id] = both
        return made

    def kept(self, root: Path, paths: Iterable[str], changed: Collection[str] | None) -> tuple[dict[str, ReportResult], list[str]]:
        """The kept result of each of `paths` that has one (see `lookup`), and the paths to check now."""
        results: dict[str, ReportResult] = {}
        todo: list[str] = []
        entries = self.entries
        # When the watcher names every change and no snapshot is among them, a file it does not name keeps its
        # result as it stands: its snapshot's digest is the one it was checked against. A pass over every
        # report on each save, so no call a report.
        watched = changed if changed is not None and not any(rel in self._snapshots for rel in changed) else None
        for rel in paths:
            entry = entries.get(rel) if watched is not None and rel not in watched else None
            hit = entry.result if entry is not None else self.lookup(root, rel, changed)
            if hit is not None:
                results[rel] = hit
            else:
                todo.append(rel)
        return results, todo

    def lookup(self, root: Path, rel: str, changed: Container[str] | None = None) -> ReportResult | None:
        """The kept result for a report file, if the file and its snapshot are unchanged (`changed`: as in `snapshots`)."""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        if changed is not None and rel not in changed:
            return self._if_snapshot_holds(entry)
        sig = signature(f"{os.fspath(root)}/{rel}")  # every report is looked up on every rebuild: no Path per file
        if sig is None:
            return None
        if sig != entry.sig:
            if text_digest(root, rel) != entry.text:
                return None
            entry.sig = sig  # touched but not changed: no need to read it next time
            self._dirty.add(_bucket(rel))
        return self._if_snapshot_holds(entry)

    def _if_snapshot_holds(self, entry: _Entry) -> ReportResult | None:
        if entry.result.snapshot and self.snapshot_digest(entry.result.snapshot) != entry.snapshot_digest:
            return None
        return entry.result

    def put(self, sig: Signature | None, result: ReportResult) -> None:
        """Keep a result made from the file as it was at `sig` (never one with errors)."""
        self._dirty.add(_bucket(result.path))
        entry = self._entry(sig, result)
        if entry is None:
            self.entries.pop(result.path, None)
        else:
            self.entries[result.path] = entry

    def _entry(self, sig: Signature | None, result: ReportResult) -> _Entry | None:
        if sig is None or result.has_errors or not result.digest:
            return None
        return _Entry(sig, result.digest, self.snapshot_digest(result.snapshot) if result.snapshot else "", result)

    def by_bucket(self, paths: Iterable[str]) -> list[list[str]]:
        """`paths` in batches of one bucket each, in bucket order: what a BucketWriter checks."""
        batches: dict[int, list[str]] = {}
        for rel in paths:
            batches.setdefault(_bucket(rel), []).append(rel)
        return [batches[bucket] for bucket in sorted(batches)]

    def write_bucket(self, batch: Sequence[str], kept: Iterable[str], made: Iterable[ReportResult], sigs: Mapping[str, Signature | None]) -> None:
        """Write the bucket of `batch`: the kept results of `kept` (its other paths) and the results `made` of the batch's files as they were at `sigs`."""
        entries = {rel: self.entries[rel] for rel in kept}
        for result in made:
            entry = self._entry(sigs.get(result.path), result)
            if entry is not None:
                entries[result.path] = entry
        if self.folder is not None and batch:
            save_pickle(self.folder / f"{_bucket(batch[0]):02x}.pickle", {"key": self.key, "entries": entries})

    def written(self, buckets: Iterable[list[str]]) -> None:
        """These batches' buckets were written by BucketWriters (in the check's helpers): `save` leaves them alone."""
        self._dirty -= {_bucket(batch[0]) for batch in buckets if batch}

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget the files that are gone, then save if on disk and anything changed (unless `save_later`: see `saving`)."""
        wanted = set(paths)
        if len(self._combined) > 2 * len(wanted) + 64:  # digests of old versions: forgotten now and then
            self._combined = {}
        gone = [rel for rel in self.entries if rel not in wanted]
        for rel in gone:
            del self.entries[rel]
            self._dirty.add(_bucket(rel))
        if not self.save_later:
            self.save()

    def save(self) -> None:
        """Write the buckets that changed since the last save (if on disk)."""
        if self.folder is not None and self._dirty:
            buckets: dict[int, dict[str, _Entry]] = {bucket: {} for bucket in self._dirty}
            for rel, entry in self.entries.items():
                bucket = _bucket(rel)
                if bucket in buckets:
                    buckets[bucket][rel] = entry
            for bucket, entries in sorted(buckets.items()):
                save_pickle(self.folder / f"{bucket:02x}.pickle", {"key": self.key, "entries": entries})
        self._dirty = set()

    def saving(self, fork: bool) -> Aside[None]:
        """`save`, in a forked process (with `fork`) while this one plans the pages; wait for it with `finish()`."""
        # Pickling every result is a third of a second at 12,836 reports, while the other core would wait.
        side = Aside(self.save, fork and self.folder is not None and bool(self._dirty))
        if side.forked:
            self._dirty = set()  # the helper writes them
        return side


class BucketWriter:
    """A check helper's step for a batch of one bucket's reports (`by_bucket`): check them, then write their bucket at once.

    A build used to save every result in a process forked while it planned its pages, and pickling them
    there copied every page of the model that process read: 550 MB at 40,000 reports. A check helper
    holds the results it just made, and the bucket's other entries (reports kept from the last run) it
    was forked with.
    """

    def __init__(
        self, store: ReportStore, check: Callable[[Sequence[str]], list[ReportResult]], kept: Iterable[str], sigs: Mapping[str, Signature | None]
    ) -> None:
        self._store, self._check, self._sigs = store, check, sigs
        self._kept: dict[int, list[str]] = {}
        for rel in kept:
            self._kept.setdefault(_bucket(rel), []).append(rel)
        cache_key()  # made (or read) here, before the helpers fork: two making it at once could each seal with a key of their own

    def __call__(self, batch: Sequence[str]) -> list[ReportResult]:
        """The results of the batch's reports, their bucket written."""
        made = self._check(batch)
        if batch:
            self._store.write_bucket(batch, self._kept.get(_bucket(batch[0]), ()), made, self._sigs)
        return made
