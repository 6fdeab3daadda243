"""What `serve` keeps between rebuilds: the files as last read, and each report's check and model.

SourceFiles re-reads only the files that changed (or, on a rescan, whose signature changed).
CheckCache replays a report's validation while its text and what the checks read from the rest
of the project are unchanged; CachingModelBuilder reuses the Report made from the same checked
result. incremental.py runs the stages over these caches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from generator.content.anchors import Anchor
from generator.content.checks import CheckedReport, Context, check_report_doc
from generator.content.load import PAGES_DIR, PEOPLE_FILE, REPORTS_DIR, SEEDS, SITE_FILE, PageDoc, Project, YamlDoc, load_page, load_project, load_yaml_file
from generator.content.markdown import MarkdownRenderer
from generator.content.validate import Located, Obj, get_obj, get_text, get_texts
from generator.diagnostics import Diagnostic
from generator.model.assemble import ModelBuilder
from generator.model.entities import Person, Report, SiteConfig

Signature = tuple[int, int, int]  # mtime_ns, size, inode: enough to notice a file changed on a rescan
ReportHook = Callable[[YamlDoc], None]


@dataclass
class _File:
    sig: Signature
    doc: YamlDoc | PageDoc
    diags: tuple[Diagnostic, ...]


def _sig(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _order(rel: str) -> int:
    # Snapshots, then site.yaml and people.yaml, then reports: a report read is checked at once (see `refresh`).
    if rel.startswith(SEEDS + "/") or rel == SEEDS:
        return 0
    if rel in (SITE_FILE, PEOPLE_FILE):
        return 1
    return 2


class SourceFiles:
    """The project's content files as last read; re-reads only changed files (load.py's rules).

    A report's YAML node tree is the largest thing a project holds, and it is needed only to check
    the file: once the checker has remembered the result, `refresh` keeps the file's digest and
    diagnostics and drops the tree; `full_doc` parses the file again should a check need it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.yaml: dict[str, _File] = {}  # site.yaml, people.yaml and reports
        self.pages: dict[str, _File] = {}
        self.snapshots: dict[str, bytes] = {}
        self._snapshot_sigs: dict[str, Signature] = {}
        self._reports: list[str] | None = None  # report paths in load order, while no report comes or goes
        self._hook: ReportHook | None = None

    def refresh(self, changed: Collection[str] | None, report_read: ReportHook | None = None) -> None:
        """Re-read the named files (None: compare every file's signature and re-read what differs).

        `report_read` is called with each report file read (after the snapshots, site.yaml and
        people.yaml of this refresh), so its result can be remembered before the next file is read.
        """
        self._hook = report_read
        try:
            if changed is None:
                self._rescan_all()
                return
            for rel in sorted(changed, key=_order):
                parent = rel.rpartition("/")[0]
                if rel in (SITE_FILE, PEOPLE_FILE) or parent == REPORTS_DIR:
                    self._read_yaml(rel, force=True)
                elif parent == PAGES_DIR:
                    self._read_page(rel, force=True)
                elif rel.startswith(SEEDS + "/"):
                    self._read_snapshot(rel)
                elif rel in ("content", REPORTS_DIR, PAGES_DIR, SEEDS):  # a whole folder moved or went away
                    self._rescan_all()
        finally:
            self._hook = None

    def _rescan_all(self) -> None:
        seeds = self.root / SEEDS
        found = {p.relative_to(self.root).as_posix() for p in seeds.rglob("*")} if seeds.is_dir() else set()
        for rel in sorted(found | set(self.snapshots)):
            self._read_snapshot(rel, force=False)
        for rel in [SITE_FILE, PEOPLE_FILE, *sorted(set(self._listing(REPORTS_DIR)) | set(self.yaml))]:
            self._read_yaml(rel, force=False)
        for rel in [*self._listing(PAGES_DIR), *self.pages]:
            self._read_page(rel, force=False)

    def _listing(self, rel_dir: str) -> list[str]:
        folder = self.root / rel_dir
        return [f"{rel_dir}/{e.name}" for e in os.scandir(folder)] if folder.is_dir() else []

    def _included(self, rel: str, suffix: str) -> bool:
        # load.py's rule: regular files with the suffix, not hidden, directly in the folder.
        name = rel.rpartition("/")[2]
        return rel in (SITE_FILE, PEOPLE_FILE) or (name.endswith(suffix) and Path(name).suffix == suffix and not name.startswith("."))

    def _read_yaml(self, rel: str, force: bool) -> None:
        path = self.root / rel
        sig = _sig(path) if path.is_file() and self._included(rel, ".yaml") else None
        if sig is None:
            if self.yaml.pop(rel, None) is not None:
                self._reports = None
            return
        old = self.yaml.get(rel)
        if force or old is None or old.sig != sig:
            diags: list[Diagnostic] = []
            doc = load_yaml_file(self.root, rel, diags)
            if old is None:
                self._reports = None
            if self._hook is not None and doc.node is not None and rel not in (SITE_FILE, PEOPLE_FILE):
                self._hook(doc)
                doc = YamlDoc(doc.path, None, doc.line_offset, doc.digest)  # checked and remembered: the tree can go
            self.yaml[rel] = _File(sig, doc, tuple(diags))

    def full_doc(self, doc: YamlDoc) -> YamlDoc:
        """A report's document with its node tree, parsed again if it was dropped."""
        if doc.node is not None or not doc.digest:
            return doc
        fresh = load_yaml_file(self.root, doc.path, [])
        if fresh.digest != doc.digest:
            # Changed on disk since it was read, and not yet reported: check what is there, read it again next time.
            known = self.yaml.get(doc.path)
            if known is not None:
                known.sig = (0, 0, 0)
        return fresh

    def _read_page(self, rel: str, force: bool) -> None:
        path = self.root / rel
        sig = _sig(path) if path.is_file() and self._included(rel, ".md") else None
        if sig is None:
            self.pages.pop(rel, None)
            return
        old = self.pages.get(rel)
        if force or old is None or old.sig != sig:
            diags: list[Diagnostic] = []
            doc = load_page(self.root, rel, diags)
            self.pages[rel] = _File(sig, doc, tuple(diags))

    def _read_snapshot(self, rel: str, force: bool = True) -> None:
        path = self.root / rel
        hidden = any(part.startswith(".") for part in rel.split("/")[1:])
        if path.is_dir() and not hidden:
            for child in path.rglob("*"):
                self._read_snapshot(child.relative_to(self.root).as_posix(), force)
            return
        sig = _sig(path) if path.is_file() and not hidden else None
        if sig is None:
            for known in [k for k in self.snapshots if k == rel or k.startswith(rel + "/")]:
                self.snapshots.pop(known, None)
                self._snapshot_sigs.pop(known, None)
            return
        if force or self._snapshot_sigs.get(rel) != sig:
            self.snapshots[rel] = path.read_bytes()
            self._snapshot_sigs[rel] = sig

    def project(self) -> Project:
        """The project as `load_project` would return it."""
        site = self.yaml.get(SITE_FILE)
        if site is None:
            return load_project(self.root)  # no site.yaml: load stops at once with one diagnostic
        people = self.yaml.get(PEOPLE_FILE)
        if self._reports is None:
            self._reports = sorted(r for r in self.yaml if r.startswith(REPORTS_DIR + "/"))
        yaml = self.yaml
        reports = [yaml[rel] for rel in self._reports]
        pages = [self.pages[rel] for rel in sorted(self.pages)]
        files = [site, *([people] if people else []), *reports, *pages]
        diags = tuple(d for f in files if f.diags for d in f.diags)
        docs = cast(tuple[YamlDoc, ...], tuple([r.doc for r in reports]))  # report files hold YamlDocs (_read_yaml)
        return Project(
            self.root,
            _yaml(site.doc),
            _yaml(people.doc) if people else None,
            docs,
            tuple(_page(p.doc) for p in pages),
            self.snapshots,
            diags,
        )


def _yaml(doc: YamlDoc | PageDoc) -> YamlDoc:
    assert isinstance(doc, YamlDoc)
    return doc


def _page(doc: YamlDoc | PageDoc) -> PageDoc:
    assert isinstance(doc, PageDoc)
    return doc


# A checked report once its model is made: only what check_project and build_model read again (its id,
# status and the id's position). Its model comes from the cache; should it ever be needed again, the file
# is read and checked again (CachingModelBuilder raises Recheck).
_SLIM_ANCHORS: dict[str, Anchor] = {}


def _slim(located: Located, checked: CheckedReport | None) -> tuple[Located, CheckedReport | None]:
    value = located.value if isinstance(located.value, dict) else {}
    kept: Obj = {k: value[k] for k in ("id", "status") if k in value}
    light = Located(located.path, kept, {"id": located.mark("id")}, located.root_mark)
    if checked is None:
        return light, None
    return light, CheckedReport(light, kept, "", _SLIM_ANCHORS)


def is_slim(checked: CheckedReport) -> bool:
    """True for a checked report reduced to what replaying it needs (its model must come from the cache)."""
    return checked.anchors is _SLIM_ANCHORS


@dataclass
class _Checked:
    digest: str
    ctx_key: tuple[object, ...]
    snapshot: str
    snapshot_bytes: bytes | None
    names: frozenset[str]
    located: Located
    checked: CheckedReport | None
    diags: tuple[Diagnostic, ...]


class CheckCache:
    """A report checker for `check_project` that remembers each file's result.

    A result stays valid while the file's text, the ratings, people and reviewer rule, and
    the one snapshot the report points at are unchanged (a missing snapshot's hint lists
    the others, so then the set of snapshot names counts too).
    """

    def __init__(self, full_doc: Callable[[YamlDoc], YamlDoc] = lambda doc: doc) -> None:
        self.entries: dict[str, _Checked] = {}
        self.misses = 0
        self.full_doc = full_doc
        self._key: tuple[object, ...] = ()
        self._ctx: Context | None = None  # the context self._key was worked out for
        self._fresh: set[str] = set()

    def __call__(self, doc: YamlDoc, ctx: Context, diags: list[Diagnostic]) -> tuple[Located, CheckedReport | None]:
        """Check one report, or replay the remembered result."""
        if ctx is not self._ctx:  # check_project passes one context for all its files: work the key out once
            key: tuple[object, ...] = (ctx.ratings, ctx.people, ctx.reviewers_required)
            self._ctx, self._key = ctx, self._key if key == self._key else key
        key = self._key  # the same tuple object as in the entries, while it holds: comparisons stop at identity
        hit = self.entries.get(doc.path)
        if hit is not None and doc.digest and hit.digest == doc.digest and hit.ctx_key == key and self._snapshot_same(hit, ctx):
            if hit.diags:
                diags.extend(hit.diags)
            return hit.located, hit.checked
        self.misses += 1
        start = len(diags)
        located, checked = check_report_doc(self.full_doc(doc), ctx, diags)
        value = located.value if isinstance(located.value, dict) else {}
        snapshot = get_text(get_obj(value, "article"), "snapshot")
        data = ctx.snapshots.get(snapshot) if snapshot else None
        names = frozenset(ctx.snapshots) if snapshot and data is None else frozenset()
        self.entries[doc.path] = _Checked(doc.digest, key, snapshot, data, names, located, checked, tuple(diags[start:]))
        self._fresh.add(doc.path)
        return located, checked

    @staticmethod
    def _snapshot_same(hit: _Checked, ctx: Context) -> bool:
        if not hit.snapshot:
            return True
        data = ctx.snapshots.get(hit.snapshot)
        if data is not None and data is hit.snapshot_bytes:
            return True
        if data is not hit.snapshot_bytes and data != hit.snapshot_bytes:
            return False
        return data is not None or hit.names == frozenset(ctx.snapshots)

    def slim(self, path: str) -> CheckedReport | None:
        """Reduce a remembered result to what replaying it needs; the slim checked report (None if none)."""
        hit = self.entries.get(path)
        if hit is None or (hit.checked is not None and is_slim(hit.checked)):
            return hit.checked if hit else None
        hit.located, hit.checked = _slim(hit.located, hit.checked)
        return hit.checked

    def take_fresh(self) -> set[str]:
        """The files checked anew since the last call."""
        fresh, self._fresh = self._fresh, set()
        return fresh

    def forget(self, paths: Collection[str]) -> None:
        """Drop the remembered results of these files."""
        for path in paths:
            self.entries.pop(path, None)

    def forget_slim(self) -> bool:
        """Drop every slimmed result (their models are gone); True if there were any."""
        slim = [path for path, hit in self.entries.items() if hit.checked is not None and is_slim(hit.checked)]
        self.forget(slim)
        return bool(slim)


ModelCache = dict[str, tuple[CheckedReport, Report, tuple[Diagnostic, ...]]]


class Recheck(Exception):
    """A report's model must be made again, but its check result was slimmed: check the file again."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class CachingModelBuilder(ModelBuilder):
    """A ModelBuilder that reuses the Report made from the same CheckedReport last time."""

    def __init__(
        self, config: SiteConfig, people: list[Obj], md: MarkdownRenderer, cache: ModelCache, persons: dict[tuple[str, ...], Person] | None = None
    ) -> None:
        self.persons = {} if persons is None else persons  # each person as last made (a bio is markdown to render)
        super().__init__(config, people, md)
        self.cache = cache

    def person(self, row: Obj) -> Person:
        """A person, made again only when one of its fields changed."""
        fields = ("id", "name", "role", "bio", "photo")
        key = (*(get_text(row, f) for f in fields), str("bio" in row), *get_texts(row, "same_as"))
        made = self.persons.get(key)
        if made is None:
            made = self.persons[key] = super().person(row)
        return made

    def report(self, checked: CheckedReport) -> Report:
        """The report model, from the cache when its checked input is the very same object."""
        hit = self.cache.get(checked.doc.path)
        if hit is not None and hit[0] is checked:
            if hit[2]:
                self.diagnostics.extend(hit[2])
            return hit[1]
        if is_slim(checked):
            raise Recheck(checked.doc.path)
        start = len(self.diagnostics)
        report = super().report(checked)
        self.cache[checked.doc.path] = (checked, report, tuple(self.diagnostics[start:]))
        return report


__all__ = ["CachingModelBuilder", "CheckCache", "ModelCache", "Recheck", "SourceFiles", "is_slim"]
