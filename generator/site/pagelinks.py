"""Links between pages, checked against the page plan: a plain page's relative links must reach a page the site has.

A page's markdown may link to another page by a relative address (`../methodology/index.html`).
Such a link is checked once every page is planned: a dead one, one that leaves the site, one from
the site's root (`/about/`, broken under a subpath and from disk) and one to a folder (which a
browser does not open as its index.html from disk) are warnings at the link's line.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote

from generator.content.load import SITE_FILE, written_at
from generator.content.names import forgotten_scheme
from generator.diagnostics import Diagnostic, listed, shortened, warning
from generator.model.entities import Page
from generator.site import urls
from generator.site.plan import SitePlan


def page_link_warnings(plan: SitePlan, static_dirs: Iterable[Path]) -> list[Diagnostic]:
    """A warning for each relative link of a plain page that does not reach a file of the site, as the reader would see it."""
    # The plain pages' jobs show the sites' pages: if none of those has a relative link, no job need be looked at.
    sites = [plan.site, *plan.language_sites.values()]
    if not any(page.links for site in sites for page in site.pages):
        return []
    pages = [(job.url, job.context["page"]) for job in plan.jobs if job.template == "page.html" and isinstance(job.context.get("page"), Page)]
    # Only now, with a link to check: serve plans on every save, and most sites' pages link only to other sites.
    # Not job.path, which a job keeps once asked (for the preview): a build would hold every path twice.
    files = {urls.output_path(job.url) for job in plan.jobs} | static_paths(static_dirs)
    prefixes = tuple(fs.prefix for fs in plan.file_sets)
    known = functools.cache(lambda: sorted(files))  # once, and only for a dead link: serve plans on every save
    problems: list[Diagnostic] = []
    for url, page in pages:
        found: list[Diagnostic] = []
        for line, col, address in page.links:
            # A close match costs a look at every file: a page of thousands of dead links gets it for the first few only
            # (past them, `tuple` gives no file to look among).
            problem, hint = link_problem(url, address, files, prefixes, known if len(found) < MAX_GUESSED else tuple)
            if problem:
                found.append(warning(page.path, line, col, problem, "body", hint))
        problems += listed(page.path, found)
    return problems


MAX_GUESSED = 20  # dead links of one page given a "did you mean"


def link_problem(
    page_url: str, address: str, files: set[str], prefixes: tuple[str, ...] = (), known: Callable[[], Sequence[str]] | None = None
) -> tuple[str, str]:
    """What is wrong with `address` as a link from the page at `page_url` ('' and '' when it reaches a file).

    `known` gives the files, sorted, among which to find the one a dead link meant (default: all of `files`)."""
    path = unquote(address.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return "", ""
    if path.startswith("/"):
        inside = path.lstrip("/")
        inside += "index.html" if not inside or inside.endswith("/") else ""  # a folder: its page, as every link of the site names it
        relative = posixpath.relpath(inside, page_url or ".")
        message = f"link '{shortened(address)}' starts from the site's root: it breaks when the site is served under a subpath or opened from disk"
        return message, f"write it relative to this page: {relative}"
    joined = posixpath.normpath(posixpath.join(page_url, path))
    if joined == ".." or joined.startswith("../"):
        return f"link '{shortened(address)}' leads outside the site", "link to a page of the site, or to another site with a full https:// address"
    target = "" if joined == "." else joined
    if target in files or (target and target.startswith(prefixes)):
        return "", ""
    folder = (target + "/" if target else "") + "index.html"
    if folder in files:
        named = address.split("#", 1)[0].rstrip("/") + "/index.html"
        return f"link '{shortened(address)}' names a folder: opened from disk, a browser shows the folder, not its page", f"name the page: {named}"
    meant = forgotten_scheme(address)
    close = difflib.get_close_matches(target, sorted(files) if known is None else known(), n=1, cutoff=0.75) if not meant else []
    hint = f"did you mean {posixpath.relpath(close[0], page_url or '.')}?" if close else "check the address against the built site's files"
    hint = f"did you mean {meant}? Without 'https://' it names a page of this site" if meant else hint
    return f"link '{shortened(address)}' leads to a page the site does not have ({target or 'the site root'})", hint


def favicon_warnings(favicon: str, static_dirs: Iterable[Path], root: Path) -> list[Diagnostic]:
    """A warning, at its line in site.yaml, when the favicon names a theme file (static/...) that no theme has: every page would link a missing icon."""
    name = favicon.removeprefix("static/")
    if name == favicon or any((folder / name).is_file() for folder in static_dirs):
        return []
    hint = "put the file in your theme's static/ folder (themes/NAME/static/...), or correct the name"
    line, col = written_at(root, SITE_FILE, ("favicon",))
    return [warning(SITE_FILE, line, col, f"favicon '{shortened(favicon, 80)}' is not a file of the theme", "favicon", hint)]


def static_paths(folders: Iterable[Path]) -> set[str]:
    """The site paths (static/...) of a theme's asset files, by name only: what links may reach."""
    return {"static/" + p.relative_to(folder).as_posix() for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}
