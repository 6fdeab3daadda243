"""The one rule for every file the project reads: regular files inside the project, of bounded size.

A pull request controls content/, seeds/ and themes/, so any file there may be a symbolic link
to a secret, a FIFO that blocks forever, a device or a file of gigabytes. Every read goes
through `read_project_file`, which refuses those with a diagnostic that names the file and the
reason but never the link's target or a byte of what lies outside.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.diagnostics import BuildFailed, Diagnostic, error

MB = 1024 * 1024
MAX_TEXT_BYTES = 10 * MB  # YAML, markdown, theme.yaml, templates
MAX_SNAPSHOT_BYTES = 50 * MB  # article snapshots in seeds/
MAX_STATIC_BYTES = 50 * MB  # a theme's static assets

PUBLIC_HIDDEN = frozenset({".well-known"})  # a hidden folder meant to be published (security.txt and the like)

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size} bytes"


def refusal(root: Path, rel: str) -> str:
    """Why `rel` (relative to `root`) may not be read, or '' if it resolves to a place inside the project."""
    return _resolve(root, rel)[1]


def write_refusal(root: Path, rel: str, itself: bool = True) -> str:
    """Why factcheck will not write `rel` (relative to `root`), or '' if it may: a symbolic link on the way or (with `itself`) in its place.

    A link committed in a pull request (`schema/report.schema.json -> ~/.bashrc`) would have a write land outside
    the project; reads refuse links out, and writes refuse links at all (the files written are factcheck's own).
    """
    path = root
    parts = Path(rel).parts
    for number, part in enumerate(parts, start=1):
        if part in (os.sep, "..") or Path(part).is_absolute():
            return f"{rel}: refusing to write outside the project"
        path = path / part
        if path.is_symlink() and (itself or number < len(parts)):
            return f"{path.relative_to(root).as_posix()} is a symbolic link: refusing to write through it (remove it, or put a plain file or folder there)"
    return ""


def _resolve(root: Path, rel: str) -> tuple[str, str]:
    """(`rel`'s real path, '') when it resolves inside the project; ('', why not) otherwise."""
    # Strings, not Paths: every content file passes here, and pathlib's resolve costs twice as much.
    try:
        real = os.path.realpath(os.path.join(root, rel), strict=True)
    except FileNotFoundError:
        return "", "file not found (or a symbolic link to nothing)"
    except OSError:  # ELOOP: a symbolic link loop
        return "", "cannot resolve the file's path (a symbolic link loop?)"
    top = os.path.realpath(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        return "", "refused: it is a symbolic link to a file outside the project"
    # The project's hidden places hold secrets (.git/config keeps CI's token, .env, .netrc): a link into a
    # hidden place, or a file in one at the project's top, is never content. A theme's own static/.vite/ is.
    inside = os.path.relpath(real, top).split(os.sep) if real != top else []
    hidden = [part for part in inside if part.startswith(".") and part not in PUBLIC_HIDDEN]
    if hidden and (inside[0] in hidden or inside != os.path.normpath(rel).split(os.sep)):
        return "", "refused: it is, or links to, a hidden file or folder (such as .git/ or .env), which may hold secrets"
    return real, ""


def read_project_file(root: Path, rel: str, diags: list[Diagnostic], limit: int = MAX_TEXT_BYTES) -> bytes | None:
    """The bytes of project file `rel`, or None with one diagnostic if the file rule refuses it."""
    real, reason = _resolve(root, rel)
    if reason:
        diags.append(error(rel, 1, 1, reason, hint="keep the file itself inside the project; do not link to files elsewhere"))
        return None
    try:
        # O_NOFOLLOW: the path was just resolved, so a link appearing now is a race: refuse it.
        data, problem = _read_regular(real, _OPEN_FLAGS, limit)
    except OSError as exc:
        diags.append(error(rel, 1, 1, f"cannot read file: {exc.strerror or exc}"))
        return None
    if problem.startswith("size "):
        diags.append(too_large(rel, int(problem.split()[1]), limit))
        return None
    if problem:
        diags.append(error(rel, 1, 1, f"refused: {problem}", hint="content files must be plain files"))
        return None
    return data


def _read_regular(path: str | Path, flags: int, limit: int) -> tuple[bytes, str]:
    """(bytes, '') for a regular file within the limit, else (b'', why not); OSError when it cannot be opened."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused once opened.
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or socket"
            return b"", f"not a regular file (it is {kind})"
        if info.st_size > limit:
            return b"", f"size {info.st_size}"
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the file may grow while being read: never take more than the limit
            # The whole file in one read as a rule (one chunk is joined without a copy); a byte more shows growth.
            chunk = os.read(fd, min(info.st_size + 1 if not chunks else 1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        return b"", f"size {size}"
    return b"".join(chunks), ""


def too_large(rel: str, size: int, limit: int) -> Diagnostic:
    """The one diagnostic for a file over its size limit."""
    return error(rel, 1, 1, f"file is {_megabytes(size)}, over the limit of {_megabytes(limit)}", hint="split it, or trim what is not needed")


def read_outside_file(path: Path, limit: int) -> bytes:
    """Read a file the user named on the command line: a regular file of at most `limit` bytes; OSError otherwise."""
    data, problem = _read_regular(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0), limit)
    if problem.startswith("size "):
        raise OSError(f"larger than the limit of {_megabytes(limit)}")
    if problem:
        raise OSError(problem)
    return data


def static_files(folder: Path, root: Path | None = None) -> list[tuple[str, bytes]]:
    """A theme's static files (relative path, bytes) under the file rule; BuildFailed lists every refused one.

    `folder` is `<root>/themes/<name>/static`; `root` defaults to the project root above it.
    Hidden files are skipped, as they always were.
    """
    base = root if root is not None else folder.parent.parent.parent
    prefix = folder.relative_to(base).as_posix() if folder.is_relative_to(base) else folder.as_posix()
    found: list[tuple[str, bytes]] = []
    diags: list[Diagnostic] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.name.startswith("."):
            continue
        where = f"{prefix}/{rel}"
        reason = refusal(base, where)
        if not reason and path.is_dir():
            continue  # a folder (or a link to one inside the project): its files are listed on their own
        data = read_project_file(base, where, diags, MAX_STATIC_BYTES)
        if data is not None:
            found.append((rel, data))
    diags += _unlisted(folder, prefix)
    if diags:
        raise BuildFailed(diags)
    return found


def _unlisted(folder: Path, prefix: str) -> list[Diagnostic]:
    """An error for each folder under `folder` that cannot be listed: rglob skips it without a word, and its files would be missing."""
    failures: list[OSError] = []
    for _walked in os.walk(folder, onerror=failures.append):  # links to folders are not followed, as by rglob
        pass
    hint = "make it readable by the user who builds the site"
    return [
        error(
            f"{prefix}/{Path(str(exc.filename)).relative_to(folder).as_posix()}".removesuffix("/."),
            0,
            0,
            f"cannot read the folder: {exc.strerror or exc}",
            hint=hint,
        )
        for exc in failures
        if not isinstance(exc, FileNotFoundError | NotADirectoryError)
    ]
