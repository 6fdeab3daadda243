"""The disk sink: write a page plan into the output folder, atomically, keeping what did not change.

Pages are written into a staging folder beside the output folder, then swapped in (swap.py), so a
failed or killed build leaves the previous site as it was. With the cache on, a page whose key
(keys.py) is unchanged is not rendered: it is kept in the staging folder when that folder is the
site before last being updated (`.site.previous`), or hard-linked from the current site. Pages
are rendered by forked workers straight into the staging folder on large sites.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.content.files import static_files
from generator.diagnostics import Diagnostic, error
from generator.output.filesets import worth_a_helper
from generator.output.pagewriter import KEEP, LINK, RENDER, Chunk, PageWriter, facts_of, page_runs, unlink
from generator.output.parts import Split, parts_folder, split_work
from generator.output.swap import exclusive, is_real_dir, previous_site, recover, remove, staging_prefix, swap_in
from generator.pipeline.cache import CACHE_DIR, PageManifest
from generator.pipeline.heap import MemoryBudget, collect_page_garbage_often, freeze_for_fork
from generator.pipeline.workers import StageProgress, fork_map, no_progress, runs_without, worker_count
from generator.site import urls
from generator.site.jobs import EVERYTHING_KEY, FileSet, RenderedPage, joined
from generator.site.plan import SitePlan, expand
from generator.site.render import install_globals, load_templates
from generator.site.theme import Theme

# Written into every output folder, so a later build knows the folder is ours to replace.
MARKER = ".factcheck-site"
MARKER_TEXT = b"Built by factcheck. This folder is replaced on every build.\n"


@dataclass(frozen=True)
class WriteStats:
    """What the write did, for the closing line and `-v`."""

    files: int = 0
    rendered: int = 0
    kept: int = 0  # unchanged pages kept or hard-linked instead of rendered
    removed: int = 0  # files of the previous site the new one no longer has


def check_output_dir(out: Path, root: Path) -> list[Diagnostic]:
    """Errors for output folders that would destroy content or anything not built by us."""
    out_r, root_r = out.resolve(), root.resolve()
    problems = []
    if out_r == root_r or out_r in root_r.parents:
        problems.append("is the project folder or contains it")
    for inner in ("content", "themes", "seeds", "generator", ".git"):
        target = (root_r / inner).resolve()
        if out_r == target or out_r in target.parents or target in out_r.parents:
            problems.append(f"overlaps the project's {inner}/ folder")
    if any(parent.exists() and not parent.is_dir() for parent in out_r.parents):
        problems.append("is inside a file, not a folder")
    elif out.is_symlink():  # the swap would move the link away and leave its target behind, half updated
        problems.append("is a symbolic link")
    elif out_r.exists() and not out_r.is_dir():
        problems.append("is a file")
    elif out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MARKER).is_file():
        problems.append(f"is a non-empty folder that factcheck did not create (no {MARKER} in it)")
    hint = "choose an empty or new folder, e.g. --out site"
    return [error(str(out), 0, 0, f"refusing to write the site here: the output folder {problems[0]}", "--out", hint)] if problems else []


def copy_static(dirs: Iterable[Path], root: Path) -> list[RenderedPage]:
    """Theme assets as pages under static/, parents first so children override them."""
    files: dict[str, bytes] = {}
    for folder in dirs:
        if folder.is_relative_to(root):
            files.update(("static/" + rel, data) for rel, data in static_files(folder, root))  # the file rule: no links out, no FIFOs
        else:  # a packaged theme's files come with factcheck itself
            found = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
            files.update(("static/" + p.relative_to(folder).as_posix(), p.read_bytes()) for p in found)
    return [RenderedPage(name, data) for name, data in sorted(files.items())]


def plain_path(path: str) -> bool:
    """True for a relative output path that stays inside the output folder."""
    return bool(path) and "\\" not in path and "\0" not in path and not path.startswith("/") and all(seg not in ("", ".", "..") for seg in path.split("/"))


def path_problems(paths: Iterable[str]) -> list[Diagnostic]:
    """Errors for output paths that clash or would leave the output folder."""
    seen: set[str] = set()
    problems: list[Diagnostic] = []
    for path in paths:
        if not plain_path(path) or path == MARKER:
            problems.append(error(path, 0, 0, "output path escapes the output folder or is reserved"))
        elif path in seen:
            problems.append(error(path, 0, 0, "two pages would write the same output file"))
        seen.add(path)
    return problems


class _FileSets:
    """A plan's file sets (the search index), written by the build's own process while the helpers render pages (on a large site, after).

    In a fresh staging folder each file is written as it is made, rather than held to the end (5 MB at
    4,000 reports); a reused folder (the previous site) outlives a failed build, and a file under a name
    no manifest lists would stay in it for good, so there they are written once the build has succeeded.
    """

    def __init__(self, plan: SitePlan, staging: Path, reuse: bool) -> None:
        self.plan, self.staging, self.reuse = plan, staging, reuse
        prefixes = tuple(fs.prefix for fs in plan.file_sets)
        self.taken = {path for path in _page_paths(plan) if path.startswith(prefixes)} if prefixes else set()  # pages a file could clash with
        self.written: list[tuple[str, int]] = []  # (path, size)
        self.held: list[RenderedPage] = []
        self.clashing: list[str] = []  # files that would clash or leave the folder: never written, path_problems reports them

    def make(self, sets: Sequence[FileSet] | None = None) -> None:
        """Make every file set's files (or these sets' instead): write them, hold them, or set aside those that clash."""
        for job in (job for fs in (self.plan.file_sets if sets is None else sets) for job in expand(fs)):
            if job.produce is None:
                continue
            page = RenderedPage(urls.output_path(job.url), joined(job.produce()))
            if not plain_path(page.path) or page.path == MARKER or page.path in self.taken:
                self.clashing.append(page.path)
            elif self.reuse:
                self.held.append(page)
            else:
                _write_file(self.staging, page)
                self.written.append((page.path, len(page.data)))

    def paths(self) -> list[str]:
        """Every file made, written or not."""
        return [*(path for path, _ in self.written), *(page.path for page in self.held), *self.clashing]

    def finish(self) -> list[tuple[str, int]]:
        """Write the files held back (the build succeeded); (path, size) of every file written."""
        for page in self.held:
            _write_file(self.staging, page)
        return [*self.written, *((page.path, len(page.data)) for page in self.held)]


def _page_paths(plan: SitePlan) -> Iterator[str]:
    """Each planned page's output file, in plan order."""
    return (urls.output_path(job.url) for job in plan.jobs)


def _write_file(staging: Path, page: RenderedPage) -> None:
    """Write a file that is not a planned page (a file set's, a theme's static file, the marker) into the staging folder."""
    target = staging / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    unlink(target)
    target.write_bytes(page.data)


def _clear(folder: Path, wanted: set[str], later: tuple[str, ...] = ()) -> int:
    """Remove from a reused staging folder every file the new site does not have, and any link or special file; how many went.

    The folder is the site before last, and a checkout may have put anything there (git replaces ignored
    files without asking): a file no page makes would be published, and a link to a folder would take the
    pages written through it out of the folder. Only plain files the build plans stay. Files under `later`
    (the file sets', whose names are known once they are made) are left for a second call.
    """
    removed = 0
    emptied: set[Path] = set()
    stack = [(folder, "")]
    while stack:
        here, prefix = stack.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), rel + "/"))
                    continue
                if entry.is_file(follow_symlinks=False) and (rel in wanted or rel.startswith(later)):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)  # a link itself, never what it points to
                    removed += 1
                emptied.add(here)
    # Folders left empty go too, deepest first, and their parents if emptied in turn.
    for parent in sorted({p for here in emptied for p in (here, *here.parents) if folder in p.parents}, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            parent.rmdir()  # only succeeds when empty
    return removed


@dataclass(frozen=True)
class DiskSink:
    """Where and how to write: the project root, the output folder, the cache and worker settings."""

    root: Path
    out: Path
    cache: bool = True
    workers: int = 0
    waiting: Callable[[str], None] = lambda message: None
    progress: StageProgress = no_progress

    def write(self, plan: SitePlan, env: jinja2.Environment, theme: Theme, keys: Sequence[str | None]) -> tuple[WriteStats, list[Diagnostic]]:
        """Write the plan's pages, its file sets and the theme's static files, then swap the folder in."""
        static = copy_static(theme.static_dirs, self.root)
        problems = check_output_dir(self.out, self.root) + path_problems(itertools.chain(_page_paths(plan), (page.path for page in static)))
        if problems:
            return WriteStats(), problems
        with exclusive(self.root / CACHE_DIR / "build.lock", str(self.root), self.waiting):
            try:
                self.out.parent.mkdir(parents=True, exist_ok=True)
                recover(self.out, MARKER)
                return self._write(plan, env, theme, keys, static)
            except OSError as exc:  # a full disk, a file size limit, a folder made read-only meanwhile
                recover(self.out, MARKER)  # its staging folder goes; the old site is put back if the swap was cut short
                hint = "the previous site is unchanged: make room on the disk (or fix the folder's permissions) and build again"
                return WriteStats(), [error(str(exc.filename or self.out), 0, 0, f"cannot write the site: {exc.strerror or exc}", hint=hint)]

    def _write(
        self, plan: SitePlan, env: jinja2.Environment, theme: Theme, keys: Sequence[str | None], static: list[RenderedPage]
    ) -> tuple[WriteStats, list[Diagnostic]]:
        out = self.out
        install_globals(env, plan.site, plan.globals, plan.other_languages)
        manifest = PageManifest(self.root, out) if self.cache else None
        keep = previous_site(out) if self.cache else None
        reuse = manifest is not None and manifest.previous is not None and keep is not None and is_real_dir(keep) and (keep / MARKER).is_file()
        if keep is not None and not reuse:
            remove(keep)  # a previous site the manifest does not describe (or a link): of no use
        staging = keep if reuse and keep is not None else Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=out.parent))
        # The file sets' names are known once they are made (below): their old files are pruned then.
        prefixes = tuple(fs.prefix for fs in plan.file_sets)
        removed = 0
        if reuse:  # before any page is judged unchanged: a folder replaced by a link would show the live site's files
            removed = _clear(staging, {*_page_paths(plan), *(f.path for f in static), MARKER}, prefixes)
        actions = [self._action(manifest, staging, path, key, reuse) for path, key in zip(_page_paths(plan), keys, strict=True)]
        count = worker_count(actions.count(RENDER) // 4, self.workers)
        large = count > 1 and not worth_a_helper(sum(len(report.claims) for report in plan.site.reports))
        # With helpers, work made in parts (an export of every claim; a large site's search index) is made part by
        # part by whichever process is free.
        split = split_work(plan.jobs, [action == RENDER for action in actions], plan.file_sets if large else ()) if count > 1 else Split()
        with parts_folder(out, split.works()) as parts:
            writer = PageWriter(env, plan, theme, self.root, out, staging, actions, fresh=not reuse, parts=parts)
            file_sets = _FileSets(plan, staging, reuse)
            written = self._render(plan, writer, count, file_sets, large, split)
        paths = list(_page_paths(plan))  # the helpers are gone: no one copies them now
        extra = [*file_sets.paths(), *(page.path for page in static)]
        failures = sorted({d for chunk in written for d in chunk.failures}, key=lambda d: d.sort_key())
        failures += path_problems([*paths, *extra])  # the file sets' names are known only now
        if failures:
            if not reuse:
                shutil.rmtree(staging, ignore_errors=True)
            return WriteStats(), failures
        every = {*paths, *extra, MARKER}
        removed += _clear(staging, every) if reuse else 0
        made = file_sets.finish()
        for page in [*static, RenderedPage(MARKER, MARKER_TEXT)]:
            _write_file(staging, page)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site folder is meant to be read
        if not reuse and manifest is not None and manifest.files:
            removed = len(manifest.files.keys() - every)
        swap_in(staging, out, keep)
        if manifest is not None:
            # Every file is listed; a page without a key and the other files get "", which never matches a key.
            # Given as they come, never held as a dict of them all: 50 MB at 250,000 pages, at the build's end.
            facts = ((paths[i], (keys[i] or "", size, mtime, ino)) for chunk in written for i, size, mtime, ino in chunk.files())
            others = ((path, ("", size, 0, 0)) for path, size in [*made, *((page.path, len(page.data)) for page in static)])
            manifest.save(itertools.chain(facts, others), manifest.files if keep is not None and keep.exists() else None)
        rendered = sum(chunk.rendered for chunk in written)
        return WriteStats(len(paths) + len(extra), rendered, len(paths) - rendered, removed), []

    def _render(self, plan: SitePlan, writer: PageWriter, count: int, file_sets: _FileSets, large: bool, split: Split) -> list[Chunk]:
        """Render every page to render with `count` processes, make the file sets and join the work made in parts."""
        if count > 1:
            load_templates(writer.env)
            freeze_for_fork()
            collect_page_garbage_often()
        # On a large site, the files made from the whole site at once (feeds, the sitemap) are made before the
        # helpers are forked: each reads every report or every page, and after a fork whatever a process reads is
        # copied (reference counts); in a helper's lifetime, all of it at once, which no memory budget can cut
        # short. Work made in parts is not among them (the exports; the search index of a large site): each part
        # reads its own claims, a unit of work like a page. A smaller site's file sets are made while the helpers render.
        parted = {index for index, _ in split.jobs}
        whole = [i for i, job in enumerate(plan.jobs) if job.produce is not None and job.depends == (EVERYTHING_KEY,) and i not in parted] if large else []
        first = writer(whole)
        budget = MemoryBudget() if count > 1 else None  # made here, before the fork: a share of this process's memory
        # Small runs, so that no worker is left with a long one at the end while the other waits, and a helper past
        # its memory budget ends soon after (page_runs). The parts come first: the longest work first, and the build's
        # process joins them at the end.
        total = len(plan.jobs)
        runs = [*writer.parts.runs(total), *runs_without(page_runs(total, count), {*whole, *parted})]
        done = list(itertools.accumulate((len(run) if run.start < total else 0 for run in runs), initial=len(whole)))
        meanwhile = None if large else file_sets.make
        written = [
            first,
            *fork_map(
                writer,
                runs,
                count,
                progress=lambda n: self.progress("Writing pages", done[n], total),
                meanwhile=meanwhile,
                retire=budget,
            ),
        ]
        if any(chunk.failures for chunk in written):
            return written  # a process that failed made no more parts: there is nothing whole to join
        # Seconds of the build's process alone on a large site (the exports joined, the search index finished): the
        # progress line says so rather than stand at its total.
        finishing = len(split.jobs) + (len(plan.file_sets) if large else 0)
        joined: list[tuple[int, os.stat_result]] = []
        for work, (index, _) in enumerate(split.jobs):
            self.progress("Finishing files", work, finishing)
            joined.append((index, writer.join(index, work)))
        if large:  # the helpers are gone: the file sets now, from their parts where they were made in parts
            self.progress("Finishing files", len(split.jobs), finishing)
            read = writer.parts.read
            finished = {k: functools.partial(made.finish, read(split.set_work(position))) for position, (k, made) in enumerate(split.sets)}
            file_sets.make([dataclasses.replace(fs, make=finished[k]) if k in finished else fs for k, fs in enumerate(plan.file_sets)])
        if finishing:
            self.progress("Finishing files", finishing, finishing)
        return [*written, facts_of(joined)]

    def _action(self, manifest: PageManifest | None, staging: Path, path: str, key: str | None, reuse: bool) -> str:
        if manifest is None:
            return RENDER
        if reuse and manifest.same(manifest.previous.get(path) if manifest.previous else None, staging, path, key):
            return KEEP
        if manifest.reusable(self.out, path, key):
            return LINK
        return RENDER
