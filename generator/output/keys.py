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
    """A digest of every file of the theme chain and of content/templates."""
    dirs: list[Path] = [*theme.chain, *([theme.overrides] if theme.overrides else [])]
    return files_fingerprint(dirs)


def site_wide_key(inputs: str, theme_digest: str, plan: SitePlan) -> str | None:
    """The part of every page's key that is the same for all pages; None if the globals cannot be vouched for."""
    made = value_fingerprint(dict(plan.globals), plan.site)
    return None if made is None else digest(inputs, theme_digest, made)


def page_keys(jobs: Sequence[PageJob], report_digests: Mapping[str, str], site_wide: str | None) -> list[str | None]:
    """Each page's key, in the order of `jobs`; None (always render) when there is no site-wide key."""
    if site_wide is None:
        return [None] * len(jobs)
    everything = digest(*[f"{rid}={d}" for rid, d in sorted(report_digests.items())])
    keys: list[str | None] = []
    for job in jobs:
        parts = [site_wide, job.url, job.template, job.title, job.description, "produce" if job.produce else "template"]
        for dep in sorted(job.depends):
            parts.append(everything if dep == "*" else f"{dep}={report_digests.get(dep, '')}")
        # Length-prefixed, so that no two part lists give the same text.
        text = "".join(f"{len(part)}:{part}" for part in parts)
        keys.append(hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest())
    return keys
