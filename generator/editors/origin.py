"""Where this factcheck was installed from, as the requirement a new site's workflows install the same from.

pip records a package installed from a git repository, an archive's address or a folder in the
package's `direct_url.json` (PEP 610); a package from an index has none. A site's CI can install
the first two again, pinned to the very commit or file; a folder on this machine it cannot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from generator import __version__
from generator.content.names import host_problem, split_url, without_user
from generator.diagnostics import printable
from generator.editors.init import writable_requirement

DISTRIBUTION = "factcheck-ssg"
PLACEHOLDER = f"{DISTRIBUTION} @ git+https://github.com/ORG/REPO@TAG"  # the shape of a requirement naming a newsroom's copy
ELSEWHERE = f"'{PLACEHOLDER}'"
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a full git object id (SHA-1 or SHA-256), not a branch name


@dataclass(frozen=True)
class Origin:
    """What a new site's workflows should `pip install`, and why that may not be what runs here ('' when it is)."""

    requirement: str
    warning: str = ""


def workflow_requirement(given: str | None, version: str = __version__) -> Origin:
    """What a new site's workflows install: `given` (init's --requirement), else what runs here (installed_origin)."""
    if given is None:
        return installed_origin(version)
    return Origin(given, local_requirement_warning(given))


def installed_origin(version: str) -> Origin:
    """The origin of the installed factcheck-ssg package (from pip's record of where it came from)."""
    try:
        record = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return Origin(PLACEHOLDER, _cannot_install("runs from a source folder without being installed"))
    return origin_from(record, version)


def origin_from(record: str | None, version: str) -> Origin:
    """The origin a `direct_url.json` text describes (None: the package came from an index such as PyPI)."""
    if record is None:
        return Origin(f"{DISTRIBUTION}=={version}")
    try:
        data: Any = json.loads(record)
    except ValueError:
        data = None
    url = data.get("url") if isinstance(data, dict) else None
    made = _remote_requirement(data, url) if isinstance(data, dict) and isinstance(url, str) else None
    if made is not None and writable_requirement(made):
        return Origin(made)
    # Never the PyPI name here: whoever registered it would have their code run by the site's CI.
    parts = split_url(url) if isinstance(url, str) else None
    shown = printable(without_user(parts)) if parts is not None else "an address that is not a URL"  # a token is not printed either
    return Origin(PLACEHOLDER, _cannot_install(f"was installed from {shown}"))


def _remote_requirement(data: dict[str, Any], url: str) -> str | None:
    """A requirement for a git commit or an archive with its hash that CI can fetch; None for anything else (this machine, ssh, http)."""
    if not url.startswith("https://"):
        return None  # a folder here, an ssh address (CI has no key), plain http (open to tampering on the way)
    parts = split_url(url)
    if parts is None or host_problem(parts):
        return None  # a user name or token is never written into a file the site commits; nor an address no link could have
    directory = data.get("subdirectory")
    within = f"#subdirectory={directory}" if isinstance(directory, str) and directory else ""
    vcs = data.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") == "git" and isinstance(commit, str) and _COMMIT.fullmatch(commit):
            return f"{DISTRIBUTION} @ git+{url}@{commit}{within}"  # the very commit installed here, not a branch that moves
        return None
    archive = data.get("archive_info")
    digest = archive.get("hash") if isinstance(archive, dict) else None
    if isinstance(digest, str) and digest.startswith("sha256=") and "#" not in url:
        return f"{DISTRIBUTION} @ {url}#{digest}"
    return None


def local_requirement_warning(requirement: str) -> str:
    """Why the site's CI cannot install `requirement` ('' if it may): a path on this machine is not there."""
    target = requirement.split(" @ ", 1)[-1].strip()
    if target.startswith(("/", ".", "~", "file:")) or (len(target) > 2 and target[1] == ":" and target[2] in "\\/"):
        where = "a path on this machine, which the site's GitHub workflows cannot install"
        return f"--requirement {requirement!r} names {where}; name a git repository or an address instead, e.g. {ELSEWHERE}"
    return ""


def _cannot_install(how: str) -> str:
    return (
        f"this factcheck {how}, which the site's GitHub workflows cannot install: their pip line says {PLACEHOLDER!r}, "
        "which fails until you replace ORG/REPO@TAG in .github/workflows/check.yml and pages.yml with where your newsroom "
        "keeps factcheck (init's --requirement does so for a new site)"
    )
