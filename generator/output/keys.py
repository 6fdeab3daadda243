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
from collections.abc import Mapping, Sequence
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
    changed = memo.changes(report_digests, site_wide) if memo is not None else None
    everything = ""
    keys: list[str | None] = []
    known = memo.known if memo is not None else {}
    # Made anew each time: an entry holds only while its job was in the last call (`changed` is since then).
    kept: dict[int, tuple[PageJob, str]] = {}
    get, append = known.get, keys.append
    for job in jobs:
        jid = id(job)
        hit = get(jid)
        if hit is None or hit[0] is not job or changed is None or not changed.isdisjoint(job.depends):
            if not everything:
                # One line a report (ids and digests hold no newline or '='): one update, not two a report.
                everything = hashlib.sha256("\n".join(f"{rid}={d}" for rid, d in sorted(report_digests.items())).encode("utf-8")).hexdigest()
            deps = "".join(f"{dep}={everything if dep == EVERYTHING_KEY else report_digests.get(dep, '')};" for dep in sorted(job.depends))
            parts = [site_wide, job.url, job.template, job.title, job.description, "produce" if job.produce else "template", deps]
            # Length-prefixed, so that no two part lists give the same text.
            text = "".join(f"{len(part)}:{part}" for part in parts)
            hit = (job, hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest())
        kept[jid] = hit
        append(hit[1])
    if memo is not None:
        memo.known = kept
    return keys


class KeyMemo:
    """The keys of the last rebuild's jobs, by job identity, and the digests they were made from (see `page_keys`)."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[PageJob, str]] = {}
        self.site_wide = ""
        self.digests: dict[str, str] = {}

    def changes(self, report_digests: Mapping[str, str], site_wide: str) -> frozenset[str] | None:
        """The dependency names whose value changed since the last call ("*" if any report did); None if everything may have."""
        before, self.digests = self.digests, dict(report_digests)
        if site_wide != self.site_wide:
            self.site_wide = site_wide
            return None
        changed = {rid for rid, d in report_digests.items() if before.get(rid) != d} | (before.keys() - report_digests.keys())
        return frozenset(changed | {EVERYTHING_KEY}) if changed else frozenset()
