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
from generator.site.jobs import PageJob
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

    `memo` (the preview's) keeps each job's key while the job is the very same object with the
    same site-wide key and dependency digests: most jobs of a rebuild are.
    """
    if site_wide is None:
        return [None] * len(jobs)
    everything = digest(*[f"{rid}={d}" for rid, d in sorted(report_digests.items())])
    keys: list[str | None] = []
    known = memo.known if memo is not None else {}
    kept: dict[int, tuple[PageJob, tuple[str, ...], tuple[str, ...], str]] = {}
    for job in jobs:
        hit = known.get(id(job))
        names = hit[1] if hit is not None and hit[0] is job else tuple(sorted(job.depends))
        values = (site_wide, *(everything if dep == "*" else report_digests.get(dep, "") for dep in names))
        if hit is not None and hit[0] is job and hit[2] == values:
            key = hit[3]
        else:
            deps = "".join(f"{dep}={value};" for dep, value in zip(names, values[1:], strict=True))
            parts = [site_wide, job.url, job.template, job.title, job.description, "produce" if job.produce else "template", deps]
            # Length-prefixed, so that no two part lists give the same text.
            text = "".join(f"{len(part)}:{part}" for part in parts)
            key = hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()
        if memo is not None:
            kept[id(job)] = (job, names, values, key)
        keys.append(key)
    if memo is not None:
        memo.known = kept
    return keys


class KeyMemo:
    """The keys of the last rebuild's jobs, by job identity (see `page_keys`)."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[PageJob, tuple[str, ...], tuple[str, ...], str]] = {}
