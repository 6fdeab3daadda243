"""Page keys: the one reading of a page's dependencies, for the build's cache and the preview alike.

A page's key digests everything its bytes can come from: the site-wide inputs (the generator's
code, site.yaml, people.yaml, the plain pages, the build options, the theme's files and the
templates' globals), the page's own plan (URL, template, title, description), and each key it
depends on: a report id stands for that report's file and snapshot, "*" for every report, and
any other key ("mix:...", "span:...", "hub:...") carries its value in itself. Two builds give a
page the same key only if they would render the same bytes, so `build` keeps the file and
`serve` keeps the bytes it already made.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

from generator.pipeline.cache import digest, files_fingerprint, value_fingerprint
from generator.site.jobs import EVERYTHING_KEY, PageJob
from generator.site.plan import SitePlan
from generator.site.theme import Theme


def theme_fingerprint(theme: Theme) -> str:
    """A digest of every file of the theme chain (its string tables included), of content/templates and of content/i18n."""
    dirs: list[Path] = [*theme.chain, *([theme.overrides] if theme.overrides else []), *([theme.strings] if theme.strings else [])]
    return files_fingerprint(dirs)


def site_wide_key(inputs: str, theme_digest: str, plan: SitePlan) -> str | None:
    """The part of every page's key that is the same for all pages; None if the globals cannot be vouched for."""
    made = [value_fingerprint(dict(plan.globals), plan.site)]
    # A multilingual site's other languages: each language's globals hold only its own site.
    made += [value_fingerprint(dict(values), plan.language_sites.get(code)) for code, values in sorted(plan.other_languages.items())]
    return None if None in made else digest(inputs, theme_digest, *[m for m in made if m is not None])


def page_keys(jobs: Sequence[PageJob], report_digests: Mapping[str, str], site_wide: str | None, memo: KeyMemo | None = None) -> list[str | None]:
    """Each page's key, in the order of `jobs`; None (always render) when there is no site-wide key.

    `memo` (the preview's) keeps each job's key while the job is the very same object, the site-wide
    key is the same and none of the reports it depends on changed: most jobs of a rebuild.
    """
    if site_wide is None:
        return [None] * len(jobs)
    if memo is not None:
        return memo.keys_for(jobs, report_digests, site_wide)
    make = _KeyMaker(report_digests, site_wide, lambda: everything_digest(report_digests))
    return [make(job) for job in jobs]


EVERYTHING_BUCKETS = 64  # reports' digests are hashed in this many groups, so that one edit hashes one group again


def _bucket(rid: str) -> int:
    return zlib.crc32(rid.encode("utf-8")) % EVERYTHING_BUCKETS


def _bucket_digest(rids: Iterable[str], report_digests: Mapping[str, str]) -> str:
    # One line a report (ids and digests hold no newline or '='): one update, not two a report.
    lines = "\n".join(f"{rid}={report_digests[rid]}" for rid in sorted(rids))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _top_digest(buckets: Mapping[int, str]) -> str:
    return hashlib.sha256("".join(f"{n}:{d};" for n, d in sorted(buckets.items())).encode("utf-8")).hexdigest()


def everything_digest(report_digests: Mapping[str, str]) -> str:
    """What "*" stands for in a key: every report's digest (a digest of the digests of each group of reports)."""
    groups: dict[int, list[str]] = {}
    for rid in report_digests:
        groups.setdefault(_bucket(rid), []).append(rid)
    return _top_digest({n: _bucket_digest(rids, report_digests) for n, rids in groups.items()})


class _KeyMaker:
    """Makes page keys for one set of report digests; `everything` ("*") is worked out on first need."""

    def __init__(self, report_digests: Mapping[str, str], site_wide: str, everything: Callable[[], str]) -> None:
        self.digests, self.site_wide, self.make_everything, self.everything = report_digests, site_wide, everything, ""

    def __call__(self, job: PageJob) -> str:
        if not self.everything and EVERYTHING_KEY in job.depends:
            self.everything = self.make_everything()
        everything, digests = self.everything, self.digests
        deps = "".join(f"{dep}={everything if dep == EVERYTHING_KEY else digests.get(dep, '')};" for dep in job.depends)
        parts = [self.site_wide, job.url, job.template, job.title, job.page_description(), "produce" if job.produce else "template", deps]
        # Length-prefixed, so that no two part lists give the same text.
        text = "".join(f"{len(part)}:{part}" for part in parts)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


def _varying(job: PageJob) -> list[str]:
    # The dependencies whose value can change under a job: report ids and "*". A key with a colon carries its
    # value ("span:...", "mix:...") and report ids are slugs, so only a new job can change those.
    return [name for name in job.depends if ":" not in name]


class KeyMemo:
    """The keys of the last rebuild's jobs, by job identity, and what they were made from (see `page_keys`).

    A rebuild plans some 25,000 jobs at 4,000 reports and an edit changes a few hundred, so the work
    here follows the change: which jobs are new, gone or depend on a changed report is found with set
    operations and an index from each dependency to its jobs, and only those jobs get a new key.
    """

    def __init__(self) -> None:
        self.jobs: dict[int, PageJob] = {}  # holds the last call's jobs, so no other object can take their ids
        self.keys: dict[int, str] = {}
        self.by_dependency: dict[str, set[int]] = {}
        self.site_wide = ""
        self.digests: dict[str, str] = {}
        self.groups: dict[int, set[str]] = {}  # the reports of each group of everything_digest, and each group's digest
        self.group_digests: dict[int, str] = {}
        self.dirty: set[int] = set()  # groups whose digest is out of date

    def keys_for(self, jobs: Sequence[PageJob], report_digests: Mapping[str, str], site_wide: str) -> list[str | None]:
        """page_keys with this memo: the keys of jobs that are new or depend on a change made again, the others kept."""
        ids = list(map(id, jobs))
        now = dict(zip(ids, jobs, strict=True))
        changed = self.changes(report_digests, site_wide)
        self._regroup(changed)
        if changed is None:
            self.keys, self.by_dependency = {}, {}
            stale: Iterable[int] = now
            new: AbstractSet[int] = now.keys()
        else:
            # filterfalse over the ids, not a difference of key views, which copies every id into a set first.
            for gone in list(itertools.filterfalse(now.__contains__, self.jobs)):
                self._forget(gone, self.jobs[gone])
            new = set(itertools.filterfalse(self.jobs.__contains__, ids))
            touched = set().union(*(self.by_dependency.get(name, ()) for name in changed))
            stale = new | touched
        make = _KeyMaker(report_digests, site_wide, self._everything)
        for jid in stale:
            job = now[jid]
            self.keys[jid] = make(job)
            if jid in new:
                for name in _varying(job):
                    self.by_dependency.setdefault(name, set()).add(jid)
        self.jobs = now
        return list(map(self.keys.__getitem__, ids))

    def _regroup(self, changed: AbstractSet[str] | None) -> None:
        """Put the reports that changed in their group of everything_digest, and mark those groups to hash again."""
        if changed is None:
            self.groups, self.group_digests = {}, {}
            changed = self.digests.keys()
        for rid in changed:
            if rid != EVERYTHING_KEY:
                n = _bucket(rid)
                members = self.groups.setdefault(n, set())
                (members.add if rid in self.digests else members.discard)(rid)
                self.dirty.add(n)

    def _everything(self) -> str:
        """everything_digest of the last digests, hashing again only the groups of reports that changed."""
        for n in self.dirty:
            if self.groups.get(n):
                self.group_digests[n] = _bucket_digest(self.groups[n], self.digests)
            else:
                self.groups.pop(n, None)
                self.group_digests.pop(n, None)
        self.dirty = set()
        return _top_digest(self.group_digests)

    def _forget(self, jid: int, job: PageJob) -> None:
        del self.keys[jid]
        for name in _varying(job):
            known = self.by_dependency[name]
            known.discard(jid)
            if not known:
                del self.by_dependency[name]

    def changes(self, report_digests: Mapping[str, str], site_wide: str) -> frozenset[str] | None:
        """The dependency names whose value changed since the last call ("*" if any report did); None if everything may have."""
        before, self.digests = self.digests, dict(report_digests)
        if site_wide != self.site_wide:
            self.site_wide = site_wide
            return None
        changed = {rid for rid, d in report_digests.items() if before.get(rid) != d} | (before.keys() - report_digests.keys())
        return frozenset(changed | {EVERYTHING_KEY}) if changed else frozenset()
