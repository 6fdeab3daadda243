"""`factcheck build` at speed: build.py's stages over worker processes and the cache, with the same output.

Check: the parent reads site.yaml, people.yaml, pages and snapshots (load_project); each report
file is loaded, checked and modelled by a worker (parallel.py), or taken from the cache
(cache.py). Then check_project and build_model run as always over those per-report results,
through build.CheckHooks, so every cross-file rule and the order of diagnostics stay theirs.

Write: workers render pages straight into the staging folder, so no page is held in memory; a
page whose key is unchanged is hard-linked from the previous site instead. write.py's swap then
puts the folder in place. When the fast path cannot vouch for a result it raises Fallback, and
build() takes the plain path, which also gives the canonical error for unusual failures.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.build import TEMPLATE_ERRORS, BuildOptions, BuildResult, CheckHooks, Plan, plan_site
from generator.content import schema as s
from generator.content.checks import CheckedProject, CheckedReport, Context, _context, check_people, check_site
from generator.content.files import read_project_file
from generator.content.load import Project, YamlDoc
from generator.content.validate import Located, Obj, validate_doc
from generator.diagnostics import BuildFailed, Diagnostic
from generator.model.assemble import ModelBuilder, build_config
from generator.model.entities import Report, Site, SiteConfig
from generator.output.disk import MARKER, MARKER_TEXT, check_output_dir, copy_static, swap_in
from generator.pipeline.cache import PageManifest, ReportCache, code_fingerprint, digest, files_fingerprint, value_fingerprint
from generator.pipeline.workers import ReportResult, ReportWorker, chunks, fork_map, freeze_for_fork, worker_count
from generator.site import render, urls
from generator.site.render import PageJob, RenderedPage, install_globals, render_job
from generator.site.theme import Theme, template_diagnostic


class Fallback(Exception):
    """The fast path cannot vouch for its result: build the plain way."""


def _text_digest(path: Path) -> str:
    # The same digest load.parse_yaml gives the file's text (BOM dropped), or "" if unreadable.
    data = read_project_file(path.parent, path.name, [])  # the file rule: a FIFO or a link out is not read here
    try:
        return hashlib.sha256(data.decode("utf-8-sig").encode("utf-8")).hexdigest() if data is not None else ""
    except UnicodeDecodeError:
        return ""


class ReportPhase:
    """The check hooks: report files go to workers or come from the cache, then are replayed."""

    def __init__(self, root: Path, options: BuildOptions) -> None:
        self.root = root
        self.options = options
        self.positions: list[tuple[str, int]] = []
        self.results: dict[str, ReportResult] = {}
        self.ctx: Context | None = None
        self.config: SiteConfig | None = None
        self.people: list[Obj] = []
        self.project: Project | None = None
        self.report_digests: dict[str, str] = {}  # report id -> digest of its file and snapshot
        self.misses = 0

    def hooks(self) -> CheckHooks:
        """The hooks for build.check."""
        return CheckHooks(load_report=self.load_report, loaded=self.loaded, check_one=self.check_one, model_builder=self.model_builder)

    def load_report(self, root: Path, rel: str, diags: list[Diagnostic]) -> YamlDoc:
        """Note where the file's load diagnostics belong; the file itself is read later, by a worker."""
        self.positions.append((rel, len(diags)))
        return YamlDoc(rel, None)

    def loaded(self, project: Project) -> Project:
        """Load, check and model every report, then put the load diagnostics where load_project would."""
        scratch: list[Diagnostic] = []
        site = check_site(validate_doc(project.site, s.SITE, scratch), scratch)
        self.people = check_people(project.people, scratch)
        self.ctx = _context(site, self.people, project.snapshots, project.refused)
        self.config = None if any(d.is_error for d in scratch) else build_config(site)
        self.project = project
        self._run_reports(project)
        merged: list[Diagnostic] = []
        done = 0
        for rel, position in self.positions:
            merged += project.diagnostics[done:position]
            merged += self.results[rel].load
            done = position
        merged += project.diagnostics[done:]
        return dataclasses.replace(project, diagnostics=tuple(merged))

    def _run_reports(self, project: Project) -> None:
        assert self.ctx is not None
        snapshots = project.snapshots
        snap_digests: dict[str, str] = {}

        def snapshot_digest(rel: str) -> str:
            if rel not in snap_digests:
                data = snapshots.get(rel)
                snap_digests[rel] = digest(data) if data is not None else ""
            return snap_digests[rel]

        cache = None
        if self.options.cache:
            people = project.people.digest if project.people else "-"
            key = digest(code_fingerprint(), project.site.digest, people, repr((self.ctx.ratings, self.ctx.people, self.ctx.reviewers_required)))
            cache = ReportCache(self.root, key)
        texts: dict[str, str] = {}
        todo: list[str] = []
        for rel, _ in self.positions:
            hit = None
            if cache is not None:
                texts[rel] = _text_digest(self.root / rel)
                hit = cache.get(rel, texts[rel], snapshot_digest) if texts[rel] else None
            if hit is not None and isinstance(hit, ReportResult):
                self.results[rel] = hit
            else:
                todo.append(rel)
        self.misses = len(todo)
        worker = ReportWorker(self.root, self.ctx, self.config, self.people)
        count = worker_count(len(todo), self.options.workers)
        if count > 1:
            freeze_for_fork()
        for result in fork_map(worker, todo, count, chunksize=max(1, len(todo) // (count * 16))):
            self.results[result.path] = result
            clean = not any(d.is_error for d in (*result.load, *result.check, *result.model))
            if cache is not None and clean and result.digest and result.digest == texts.get(result.path):
                cache.put(result.path, result.digest, result.snapshot, snapshot_digest(result.snapshot) if result.snapshot else "", result)
        for rel, _ in self.positions:
            result = self.results[rel]
            if result.report is not None:
                snap = snapshot_digest(result.snapshot) if result.snapshot else ""
                self.report_digests[result.report_id] = digest(result.digest, snap)
        if cache is not None:
            cache.save()

    def check_one(self, doc: YamlDoc, ctx: Context, diags: list[Diagnostic]) -> tuple[Located, CheckedReport | None]:
        """Replay a report's check: its diagnostics, and what the cross-file rules read (id, status)."""
        if ctx != self.ctx:
            raise Fallback("the checking context differs from the one the workers used")
        result = self.results[doc.path]
        diags.extend(result.check)
        value: Obj | None = {"id": result.report_id, "status": result.status} if result.is_mapping else None
        located = Located(doc.path, value, {"id": result.id_mark}, result.root_mark)
        return located, (CheckedReport(located, value or {}, "", {}) if result.checked else None)

    def model_builder(self, checked: CheckedProject) -> ModelBuilder:
        """A builder that hands out the workers' report models."""
        return _ReplayBuilder(build_config(checked.site), checked.people, self)


class _ReplayBuilder(ModelBuilder):
    """build_model's builder, returning the report models the workers made."""

    def __init__(self, config: SiteConfig, people: list[Obj], phase: ReportPhase) -> None:
        if phase.config is None or config != phase.config or people != phase.people:
            raise Fallback("the site configuration differs from the one the workers used")
        super().__init__(config, people)
        self.phase = phase

    def report(self, checked: CheckedReport) -> Report:
        """The model a worker made for this report."""
        result = self.phase.results[checked.doc.path]
        if result.report is None:
            raise Fallback(f"no model for {checked.doc.path}")
        self.diagnostics.extend(result.model)
        return result.report


@dataclass(frozen=True)
class _Chunk:
    """What a worker wrote: (index, size, mtime_ns, inode) per file, or the first template error."""

    facts: list[tuple[int, int, int, int]]
    failure: tuple[int, Diagnostic] | None


KEEP, LINK, RENDER = "keep", "link", "render"  # what to do with each page's file in the staging folder


class PageWriter:
    """Renders (or links, or keeps) a run of planned pages in the staging folder; made in the parent.

    Files are always replaced by unlinking and creating, never rewritten in place, because
    unchanged files are hard links shared with the live site.
    """

    def __init__(self, plan: Plan, root: Path, out: Path, staging: Path, paths: list[str], actions: list[str], fresh: bool) -> None:
        self.env: jinja2.Environment = plan.env
        self.site: Site = plan.site
        self.theme: Theme = plan.theme
        self.jobs: list[PageJob] = plan.jobs
        self.root, self.out, self.staging = root, out, staging
        self.paths, self.actions, self.fresh = paths, actions, fresh

    def _replace(self, target: Path) -> None:
        if not self.fresh:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()

    def __call__(self, run: range) -> _Chunk:
        """Write the pages with these indexes; stop at the first template error."""
        facts: list[tuple[int, int, int, int]] = []
        made: set[Path] = set()
        for index in run:
            rel = self.paths[index]
            target = self.staging / rel
            action = self.actions[index]
            if action != KEEP and target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if action == LINK:
                self._replace(target)
                try:
                    os.link(self.out / rel, target)
                except OSError:
                    action = RENDER
            if action == RENDER:
                try:
                    page = render_job(self.env, self.jobs[index], self.site)
                except TEMPLATE_ERRORS as exc:
                    return _Chunk(facts, (index, template_diagnostic(exc, self.theme, self.root)))
                if page.path != rel:
                    raise Fallback(f"page {rel} was rendered as {page.path}")
                self._replace(target)
                target.write_bytes(page.data)
            st = os.stat(target)
            facts.append((index, st.st_size, st.st_mtime_ns, st.st_ino))
        return _Chunk(facts, None)


def previous_site(out: Path) -> Path:
    """Where the site before the current one is kept, beside the output folder, for the next build to update."""
    return out.parent / f".{out.name}.previous"


def _prune(folder: Path, wanted: set[str]) -> None:
    """Remove files (and folders left empty) that the new site does not have."""
    for here, dirs, files in os.walk(folder, topdown=False):
        rel_dir = os.path.relpath(here, folder)
        prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
        for name in files:
            if prefix + name not in wanted:
                os.unlink(os.path.join(here, name))
        for name in dirs:
            path = os.path.join(here, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)


def _plain(path: str) -> bool:
    # Paths write_site would accept without question; anything else takes the plain path and its checks.
    return bool(path) and "\\" not in path and "\0" not in path and not path.startswith("/") and all(seg not in ("", ".", "..") for seg in path.split("/"))


def _page_keys(plan: Plan, phase: ReportPhase, options: BuildOptions) -> list[str | None]:
    """Each page's cache key; None where the page must be rendered anyway."""
    project = phase.project
    assert project is not None
    made = [value_fingerprint(make(plan.site), plan.site) for make in render._GLOBALS_MAKERS]
    if any(m is None for m in made):
        return [None] * len(plan.jobs)
    theme_dirs = [*plan.theme.chain, *([plan.theme.overrides] if plan.theme.overrides else [])]
    site_wide = digest(
        code_fingerprint(),
        files_fingerprint(theme_dirs),
        project.site.digest,
        project.people.digest if project.people else "-",
        *[f"{p.path}:{p.digest}" for p in project.pages],
        repr((options.drafts, options.base_url)),
        *[m or "" for m in made],
    )
    keys: list[str | None] = []
    for job in plan.jobs:
        parts = [site_wide, job.url, job.template, job.title, job.description, "produce" if job.produce else "template"]
        for dep in sorted(job.depends):
            if dep.startswith("page:"):
                continue  # every page's text is in the site-wide part
            dep_digest = phase.report_digests.get(dep)
            if dep_digest is None:  # "*" or a kind of dependency this cache does not know
                parts = []
                break
            parts.append(f"{dep}={dep_digest}")
        keys.append(digest(*parts) if parts else None)
    return keys


def write_fast(plan: Plan, phase: ReportPhase, root: Path, out: Path, options: BuildOptions) -> int:
    """Render and write every page into a staging folder, then swap it in; the number of files."""
    static = copy_static(plan.theme.static_dirs)
    paths = [urls.output_path(job.url) for job in plan.jobs]
    every = paths + [page.path for page in static]
    if len(set(every)) != len(every) or not all(_plain(p) for p in every) or MARKER in every:
        raise Fallback("duplicate or unusual output paths")
    try:
        check_output_dir(out, root)
    except BuildFailed:
        raise Fallback("the output folder is refused") from None
    install_globals(plan.env, plan.site)
    manifest = PageManifest(root, out) if options.cache else None
    keys = _page_keys(plan, phase, options) if manifest else [None] * len(paths)
    keep = previous_site(out) if options.cache else None
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = not (manifest is not None and manifest.previous is not None and keep is not None and (keep / MARKER).is_file())
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent)) if fresh else keep
    assert staging is not None
    actions = []
    for path, key in zip(paths, keys, strict=True):
        if manifest is not None and not fresh and manifest.same(manifest.previous.get(path) if manifest.previous else None, staging, path, key):
            actions.append(KEEP)
        elif manifest is not None and manifest.reusable(out, path, key):
            actions.append(LINK)
        else:
            actions.append(RENDER)
    try:
        if not fresh:
            _prune(staging, set(every) | {MARKER})
        writer = PageWriter(plan, root, out, staging, paths, actions, fresh)
        count = worker_count(actions.count(RENDER) // 4, options.workers)
        if count > 1:
            freeze_for_fork()
        written = fork_map(writer, chunks(len(paths), count * 8), count)
        failures = [chunk.failure for chunk in written if chunk.failure is not None]
        if failures:
            raise BuildFailed([*plan.diagnostics, min(failures, key=lambda f: f[0])[1]])
        for page in [*static, RenderedPage(MARKER, MARKER_TEXT)]:
            target = staging / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            target.write_bytes(page.data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site folder is meant to be read
        if keep is not None and not fresh:
            staging = staging.rename(staging.with_name(f".{out.name}.staging-{os.getpid()}"))
        elif keep is not None and keep.exists():
            shutil.rmtree(keep)  # a previous site the manifest does not describe: of no use
        swap_in(staging, out, keep)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if manifest is not None:
        facts = {paths[i]: (key, size, mtime, ino) for chunk in written for i, size, mtime, ino in chunk.facts if (key := keys[i]) is not None}
        manifest.save(facts, manifest.files if keep is not None and keep.exists() else None)
    return len(paths) + len(static)


def build_fast(root: Path, out: Path, options: BuildOptions) -> BuildResult:
    """Build the site into `out` with workers and the cache; raise Fallback when the plain path must do it."""
    started = time.perf_counter()
    phase = ReportPhase(root, options)
    plan = plan_site(root, options, phase.hooks())
    written = write_fast(plan, phase, root, out, options)
    return BuildResult(plan.site, [], plan.diagnostics, time.perf_counter() - started, written)
