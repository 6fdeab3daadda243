"""Write stage: put rendered pages and theme assets into the output folder, atomically.

Everything is written to a staging folder beside the target, then swapped in with two
renames, so a failed or interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.content.files import static_files
from generator.diagnostics import BuildFailed, error
from generator.site.render import RenderedPage

# Written into every output folder, so a later build knows the folder is ours to replace.
MARKER = ".factcheck-site"
MARKER_TEXT = b"Built by factcheck. This folder is replaced on every build.\n"


def check_output_dir(out: Path, root: Path) -> None:
    """Refuse output folders that would destroy content or anything not built by us."""
    out_r, root_r = out.resolve(), root.resolve()
    problems = []
    if out_r == root_r or out_r in root_r.parents:
        problems.append("is the project folder or contains it")
    for inner in ("content", "themes", "seeds", "generator", ".git"):
        target = (root_r / inner).resolve()
        if out_r == target or out_r in target.parents or target in out_r.parents:
            problems.append(f"overlaps the project's {inner}/ folder")
    if out_r.exists() and not out_r.is_dir():
        problems.append("is a file")
    elif out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MARKER).is_file():
        problems.append(f"is a non-empty folder that factcheck did not create (no {MARKER} in it)")
    if problems:
        raise BuildFailed(
            [
                error(
                    str(out),
                    0,
                    0,
                    f"refusing to write the site here: the output folder {problems[0]}",
                    "--out",
                    "choose an empty or new folder, e.g. --out site",
                )
            ]
        )


def copy_static(dirs: Iterable[Path]) -> list[RenderedPage]:
    """Theme assets as pages under static/, parents first so children override them."""
    files: dict[str, bytes] = {}
    for folder in dirs:
        files.update(("static/" + rel, data) for rel, data in static_files(folder))  # the file rule: no links out, no FIFOs
    return [RenderedPage(name, data) for name, data in sorted(files.items())]


def _safe_join(base: Path, rel: str) -> Path:
    target = (base / rel).resolve()
    if base.resolve() not in target.parents:
        raise BuildFailed([error(rel, 0, 0, "output path escapes the output folder")])
    return target


def write_tree(pages: Iterable[RenderedPage], folder: Path) -> int:
    """Write pages under `folder` (which must exist); returns the number of files."""
    count = 0
    made: set[Path] = set()
    for page in pages:
        target = _safe_join(folder, page.path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(page.data)
        count += 1
    (folder / MARKER).write_bytes(MARKER_TEXT)
    return count


def write_site(pages: list[RenderedPage], out: Path, root: Path) -> int:
    """Write the site into a staging folder and swap it in place of `out`."""
    check_output_dir(out, root)
    seen: dict[str, int] = {}
    for index, page in enumerate(pages):
        if page.path in seen:
            raise BuildFailed([error(page.path, 0, 0, "two pages would write the same output file")])
        seen[page.path] = index
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        count = write_tree(pages, staging)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site folder is meant to be read
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def swap_in(staging: Path, out: Path, keep: Path | None = None) -> None:
    """Replace `out` with `staging` using renames; the old site is removed afterwards, or renamed to `keep`."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)  # put the previous site back
        raise
    if keep is not None and not keep.exists():
        # The build cache updates the previous site into the next one: far cheaper than deleting it.
        old.rename(keep)
        return
    shutil.rmtree(old, ignore_errors=True)
