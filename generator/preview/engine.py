"""The preview engine: `serve`'s rebuild on every save, through the same stages as `build`.

A rebuild runs the check pipeline with a store kept in memory (so only the report files that
changed are checked again), plans every page (build.prepare) and wraps the plan in a MemorySite
that keeps the bytes of every page whose key is unchanged. The pages of the edited reports are
rendered at once, so a template error shows up now; every other changed page is made when first
requested. After a theme change, one page of each template is rendered at once instead.
`Engine(lazy=False)` (tests, benchmarks) makes every file in the rebuild.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.build import PUBLISHED, BuildOptions, BuildResult, Memos, memory_site, prepare
from generator.model.entities import Site
from generator.output.memory import MemorySite
from generator.pipeline.rescan import Rescan
from generator.site import languages, urls
from generator.site.plan import ReportPlanner
from generator.site.theme import Theme, make_environment

_URL = operator.attrgetter("url")
EAGER_LIMIT = 500  # pages of edited reports rendered in the rebuild itself; beyond that, on request


@dataclass
class Good:
    """The last build that succeeded: what requests are served from."""

    site: Site
    theme: Theme
    files: MemorySite


@dataclass
class Outcome:
    """One successful rebuild: its files, and the result as `render_site` gives it (pages listed only when not lazy)."""

    result: BuildResult
    files: MemorySite
    rendered: int  # pages rendered during the rebuild
    full: bool  # the theme changed (or this is the first build): no page was kept
    seconds: float
    checked_files: int = 0


class Engine:
    """Rebuilds a project in memory, keeping the last good build and every page that did not change."""

    def __init__(
        self,
        root: Path,
        options: BuildOptions = PUBLISHED,
        preview_planners: Sequence[ReportPlanner] = (),
        lazy: bool = False,
        unwatched: Callable[[str], bool] | None = None,
    ) -> None:
        """`unwatched`: the files whose changes the caller's `changed` lists leave out (serve's watcher drops editor temp names)."""
        self.root = root
        self.options = options
        self.preview_planners = preview_planners
        self.lazy = lazy
        self.rescan = Rescan(unwatched) if unwatched is not None else Rescan()
        self.memos = Memos(rescan=self.rescan)
        self.good: Good | None = None
        self._env: jinja2.Environment | None = None
        self._theme_digest = ""
        self._digests: dict[str, str] = {}  # report id -> digest, as of the last good build

    def rebuild(self, changed: Collection[str] | None = None) -> Outcome:
        """Rebuild from what is on disk now; raise BuildFailed (keeping the last good build) on errors.

        `changed` names every path (relative to the root) created, changed, deleted or moved since the last
        rebuild, as serve's watcher saw them; then only those files are looked at again (pipeline/rescan.py).
        None when that is not known: every file is.
        """
        started = time.perf_counter()
        self.rescan.begin(changed)
        prepared = prepare(self.root, self.options, self.memos, self.preview_planners)
        full = self._env is None or prepared.theme_digest != self._theme_digest
        if full:
            self._env = make_environment(prepared.theme)
        assert self._env is not None
        previous = self.good.files if self.good is not None and not full else None
        files = memory_site(prepared, self.root, self._env, previous)
        pages = [] if self.lazy else files.pages()
        if self.lazy and full:
            _first_of_each_template(files)
        elif self.lazy:
            edited = {rid for rid, d in prepared.checked.report_digests.items() if self._digests.get(rid) != d}
            # The edited reports' own pages: what the writer is looking at. Listings, other reports' claim
            # pages that cite them as related, and the files that show everything wait for a request.
            for path in _edited_pages(files, edited)[:EAGER_LIMIT]:
                files.make(path)
        self.good = Good(prepared.site, prepared.theme, files)
        self._theme_digest = prepared.theme_digest
        self._digests = dict(prepared.checked.report_digests)
        seconds = time.perf_counter() - started
        result = BuildResult(prepared.site, pages, prepared.diagnostics, seconds, len(pages), prepared.checked.stats)
        return Outcome(result, files, files.rendered, full, seconds, prepared.checked.stats.checked)


def _edited_pages(files: MemorySite, edited: set[str]) -> list[str]:
    """The pages not made yet of the edited reports themselves (report, claims, article), not those that list or cite them, in URL order."""
    jobs = files.plan.jobs  # in URL order: each report's own pages are together, found without a pass over them all
    found: dict[str, str] = {}
    default = files.plan.site.config.default_language
    roots = sorted({"", *(languages.language_root(code, default) for code in files.plan.language_sites)})  # es/ for Spanish...
    for rid, root in itertools.product(edited, roots):
        prefix = root + urls.report(rid)
        for n in range(bisect.bisect_left(jobs, prefix, key=_URL), len(jobs)):
            job = jobs[n]
            if not job.url.startswith(prefix):
                break
            # Share cards are fetched by link previews, not by the writer's browser: they wait for a request.
            if rid in job.depends and not job.lists_site and job.produce is None and files.made(job.path) is None:
                found[job.url] = job.path
    return [found[url] for url in sorted(found)]


def _first_of_each_template(files: MemorySite) -> None:
    # Every template is compiled by its first page, so a template error shows now, not on some later request.
    seen: set[str] = set()
    for job in files.plan.jobs:  # in URL order
        if job.template and job.template not in seen:
            seen.add(job.template)
            files.make(job.path)


def render_clean(root: Path, options: BuildOptions = PUBLISHED) -> BuildResult:
    """A from-scratch build through the engine (for tests and the benchmark)."""
    return Engine(root, options).rebuild(None).result


__all__ = ["Engine", "Outcome", "render_clean"]
