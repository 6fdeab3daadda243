"""The check pipeline: load -> validate -> model, the one way `check`, `build` and `serve` read a project.

    discover   which files are content (content/load.py: one rule, subfolders included)
    site       site.yaml and people.yaml validated; the context every report is checked against
    reports    each report file loaded, validated, checked and modelled (reports.py), in this
               process or in forked workers, or taken from the store when nothing it read changed
    project    rules across files (report ids), plain pages, then the Site model (drafts filtered,
               base URL override applied)

Nothing raises for bad content: every problem is a diagnostic, and `Checked.site` is None when
any of them is an error.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.content import schema
from generator.content.checks import check_people, check_site, make_context, report_id_clashes
from generator.content.datechecks import year_now
from generator.content.langchecks import TranslationLinks, site_languages, translation_problems
from generator.content.load import PEOPLE_FILE, SITE_FILE, YamlDoc, discover, load_page, load_yaml_file
from generator.content.pagechecks import check_pages, check_theme
from generator.content.placeholders import yaml_placeholders
from generator.content.validate import validate_doc
from generator.diagnostics import Diagnostic, error
from generator.model.assemble import ModelBuilder, assemble_site, build_config
from generator.model.entities import Site, SiteConfig
from generator.pipeline.cache import code_fingerprint, digest
from generator.pipeline.heap import freeze_for_fork
from generator.pipeline.reports import ReportResult, ReportStep
from generator.pipeline.rescan import Rescan
from generator.pipeline.store import BucketWriter, ReportStore, signature
from generator.pipeline.workers import StageProgress, fork_map, no_progress, worker_count


@dataclass(frozen=True)
class CheckOptions:
    """What to read: drafts or not, an optional base URL override, and how (workers, cache) — never the result."""

    drafts: bool = False
    base_url: str | None = None
    workers: int = 0  # 0: one per core on large projects
    cache: bool = True


@dataclass(frozen=True)
class CheckStats:
    """How much work the check did, for `-v`."""

    reports: int = 0
    pages: int = 0
    checked: int = 0  # report files checked anew (the rest came from the store)
    workers: int = 1
    seconds: float = 0.0
    unpublished: tuple[tuple[str, str], ...] = ()  # (id, file) of the drafts and reports in review left out (no --drafts)


@dataclass(frozen=True)
class Checked:
    """The outcome of the check pipeline: the site model (None on errors) and every diagnostic."""

    site: Site | None
    diagnostics: tuple[Diagnostic, ...]
    inputs: str = ""  # digest of the site-wide inputs: code, site.yaml, people.yaml, pages, options
    report_digests: Mapping[str, str] = dataclasses.field(default_factory=dict)  # report id -> digest of file and snapshot
    stats: CheckStats = CheckStats()
    # The site's configuration when site.yaml and people.yaml are sound, even if reports are not: the theme and its
    # string tables can then be checked too, so that every mistake is reported at once.
    config: SiteConfig | None = None

    @property
    def failed(self) -> bool:
        """True when any diagnostic is an error (and so there is no site)."""
        return self.site is None


def run_check(
    root: Path, options: CheckOptions = CheckOptions(), store: ReportStore | None = None, progress: StageProgress = no_progress, rescan: Rescan | None = None
) -> Checked:
    """Run the check pipeline over the project at `root`; `store` keeps per-report results between runs; `progress` hears how far it got.

    `rescan` (the preview's) says which files may have changed since its last check, so the others are not looked at.
    """
    started = time.perf_counter()
    if not os.path.lexists(root / SITE_FILE):  # a link or a FIFO there is for the file rule to refuse
        hint = "run factcheck in the site's folder or below it, pass --root DIR, or start a site with `factcheck init DIR`"
        return Checked(None, (error(SITE_FILE, 0, 0, "site configuration not found", hint=hint),))
    store = store if store is not None else ReportStore(root if options.cache else None)
    found = rescan.discover(root) if rescan is not None else discover(root)
    changed = rescan.changed if rescan is not None else None
    diags: list[Diagnostic] = []
    site_doc = load_yaml_file(root, SITE_FILE, diags)
    people_doc = load_yaml_file(root, PEOPLE_FILE, diags) if os.path.lexists(root / PEOPLE_FILE) else None
    located_site = validate_doc(site_doc, schema.SITE, diags)
    site_obj = check_site(located_site, diags)
    check_theme(located_site, root, diags)
    diags += yaml_placeholders(site_doc) + (yaml_placeholders(people_doc) if people_doc is not None else [])
    people = check_people(people_doc, diags)
    config = None if any(d.is_error for d in diags) else build_config(site_obj)
    refusals: list[Diagnostic] = []
    snapshots = store.snapshots(root, found.snapshots, refusals, changed)
    diags += refusals
    people_digest = people_doc.digest if people_doc is not None else "-"
    # The year too: the date checks compare with it (content/datechecks.py), so a kept result holds for the year.
    year = year_now()
    store.open(digest(code_fingerprint(), site_doc.digest, people_digest, str(year)))
    # A people.yaml that does not parse (or is no list) names nobody: that is its error, not one in every report.
    people_read = people_doc is None or isinstance(people_doc.node, yaml.SequenceNode)
    step = ReportStep(root, make_context(site_obj, people, snapshots, frozenset(d.path for d in refusals), people_read, year), config, people)
    results, checked, workers = _run_reports(root, found.reports, step, store, options.workers, progress, changed)
    if rescan is not None:
        rescan.finish()  # every file looked at is in the store now
    for result in results:
        diags += result.diagnostics
    diags += report_id_clashes((r.path, r.report_id, r.id_mark) for r in results)
    if any(r.translations for r in results):  # every problem is about a translation some report names
        diags += translation_problems(TranslationLinks(r.path, r.report_id, r.language, r.translations) for r in results)
    diags += found.diagnostics
    page_docs = [load_page(root, rel, diags) for rel in found.pages]
    checked_pages = check_pages(page_docs, diags, site_languages(site_obj))
    # Like a report, pages are modelled only when nothing is wrong: the model repeats no check's error.
    builder = ModelBuilder(config, people) if config is not None and not any(d.is_error for d in diags) else None
    pages = [builder.page(p) for p in checked_pages] if builder is not None else []
    if builder is not None:
        diags += builder.diagnostics
    stats = CheckStats(len(found.reports), len(found.pages), checked, workers, time.perf_counter() - started)
    if builder is None or config is None or any(d.is_error for d in diags):
        return Checked(None, tuple(diags), stats=stats, config=config)
    made = [r for r in results if r.report is not None]
    reports = [r.report for r in made if r.report is not None and (r.status == "published" or (options.drafts and r.status != "withdrawn"))]
    withdrawn = [r.report for r in made if r.report is not None and r.status == "withdrawn"]
    if not options.drafts:  # said by `build` and `serve`: a writer's new report is a draft, missing without a word
        unpublished = tuple((r.report.id, r.path) for r in made if r.report is not None and r.status not in ("published", "withdrawn"))
        stats = dataclasses.replace(stats, unpublished=unpublished)
    site = assemble_site(config, builder.people.values(), reports, pages, options.drafts, withdrawn)
    if options.base_url is not None:
        site = dataclasses.replace(site, config=dataclasses.replace(site.config, base_url=options.base_url))
    report_digests = store.report_digests(results)
    inputs = digest(
        code_fingerprint(), _doc_digest(site_doc), people_digest, *[f"{d.path}:{d.digest}" for d in page_docs], repr((options.drafts, options.base_url))
    )
    return Checked(site, tuple(diags), inputs, report_digests, stats, config)


def _told(progress: StageProgress, kept: int, total: int, ends: list[int], batches: int) -> None:
    progress("Checking reports", kept + (ends[batches - 1] if batches else 0), total)


def _doc_digest(doc: YamlDoc) -> str:
    return doc.digest or "-"


def _run_reports(
    root: Path, paths: tuple[str, ...], step: ReportStep, store: ReportStore, workers: int, progress: StageProgress, changed: Collection[str] | None
) -> tuple[list[ReportResult], int, int]:
    """Every report's result in path order: kept ones from the store, the rest made now; how many were made, by how many processes."""
    results, todo = store.kept(root, paths, changed)
    sigs = {rel: signature(root / rel) for rel in todo}  # before reading: a later edit is then seen as a change
    count = worker_count(len(todo), workers)
    if count > 1:
        freeze_for_fork()  # workers inherit the parent's objects without copying them
    kept = len(paths) - len(todo)
    # With a cache on disk, helpers write the store's buckets themselves, a batch each (see BucketWriter).
    writer = BucketWriter(store, step.batch, results, sigs) if count > 1 and store.folder is not None else None
    if writer is not None:
        batches = store.by_bucket(todo)
    else:
        size = max(1, len(todo) // (count * 48))
        batches = [todo[start : start + size] for start in range(0, len(todo), size)]
    ends = list(itertools.accumulate(len(batch) for batch in batches))
    told = functools.partial(_told, progress, kept, len(paths), ends)
    # Helpers alone check: the models this process then holds are unpickled side by side, not strewn among checking's garbage.
    for made in fork_map(writer or step.batch, batches, count, progress=told, parent_works=False):
        store.received(made)
        for result in made:
            results[result.path] = result
            store.put(sigs[result.path], result)
    if writer is not None:
        store.written(batches)
    store.keep_only(paths)
    return [results[rel] for rel in paths], len(todo), count
