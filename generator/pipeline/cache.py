"""Build cache in `.cache/factcheck/`: digests, fingerprints, and what every written page was made from.

Per-report results are kept by store.py (in these files for `build` and `check`, in memory for
`serve`). A page is reused (hard-linked from the previous output) only when its key matches: the theme's files,
site-wide inputs, the build options, the code, the page's plan and the contents of every
report it depends on; pages that depend on everything ("*") are always rendered. Any doubt
(a missing, foreign or damaged cache, a changed output file) means the work is done again.
The files are read with an unpickler that only builds the generator's own data classes.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import jinja2
import jinja2.bccache
import yaml
from markupsafe import Markup, escape

from generator.content.files import MAX_STATIC_BYTES, read_outside_file, write_refusal
from generator.content.markdown import ENGINE_VERSION
from generator.model.pickling import MAKER

CACHE_DIR = ".cache/factcheck"
MAX_CACHE_BYTES = 1024 * 1024 * 1024  # far above any real cache file; only a bound on what is read
FORMAT = "3"  # bump when the layout of the cache files changes

_code_fingerprint = ""


def digest(*parts: str | bytes) -> str:
    """sha256 over the parts, each length-prefixed so that no two part lists collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part  # a file name need not be UTF-8
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def code_fingerprint() -> str:
    """A digest of the generator's source and the versions of the libraries that shape its output."""
    global _code_fingerprint
    if not _code_fingerprint:
        from generator import __version__

        package = Path(__file__).resolve().parent.parent
        # The libraries that shape the output, by their modules' own versions (asking importlib.metadata costs a
        # warm check 50 ms); MarkupSafe deprecates its version attribute, so what it escapes stands for it.
        libraries = [ENGINE_VERSION, f"Jinja2={jinja2.__version__}", f"PyYAML={yaml.__version__}", str(escape("<>&'\"\u00a0"))]
        parts: list[str | bytes] = [FORMAT, __version__, sys.version, *libraries]
        for rel in source_files():
            parts += [rel, (package / rel).read_bytes()]
        _code_fingerprint = digest(*parts)
    return _code_fingerprint


def source_files() -> list[str]:
    """Every module of the generator package, wherever it lives (a moved or added module changes the output too)."""
    package = Path(__file__).resolve().parent.parent
    return sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py"))


def files_fingerprint(folders: Iterable[Path]) -> str:
    """A digest of every file (names and bytes) under the folders, in a stable order."""
    parts: list[str | bytes] = []
    for folder in folders:
        parts.append(str(folder))
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                parts += [path.relative_to(folder).as_posix(), _bounded(path)]
    return digest(*parts)


def _bounded(path: Path) -> bytes:
    # A theme file may be a link to a device or a huge file: never read past the file rule's limit (the build refuses it).
    try:
        return read_outside_file(path, MAX_STATIC_BYTES)
    except OSError as exc:
        return f"unreadable: {exc}".encode()


def value_fingerprint(value: object, site: object) -> str | None:
    """A digest of plain data (closures included); None for anything it cannot vouch for.

    Template globals made from the site (e.g. the slugs of every group page) may show on any
    page, so they belong in every page's key. The site object itself is covered by the pages'
    declared dependencies, so it is skipped.
    """
    parts: list[str] = []

    def walk(v: object, depth: int) -> bool:
        if depth > 12:
            return False
        if v is site or v is None or isinstance(v, (str, int, float, bool)):
            parts.append("site" if v is site else repr(v))
            return True
        if isinstance(v, (tuple, list)):
            parts.append(f"[{len(v)}")
            return all(walk(x, depth + 1) for x in v)
        if isinstance(v, dict):
            parts.append(f"{{{len(v)}")
            return all(walk(k, depth + 1) and walk(x, depth + 1) for k, x in v.items())
        if callable(v) and hasattr(v, "__code__"):
            parts.append(f"fn:{getattr(v, '__module__', '')}.{getattr(v, '__qualname__', '')}")
            cells = getattr(v, "__closure__", None) or ()
            return all(walk(c.cell_contents, depth + 1) for c in cells)
        return False

    return digest(*parts) if walk(value, 0) else None


class _SafeUnpickler(pickle.Unpickler):
    """Builds only plain data, dates, Markup and the generator's own data classes and enums: never runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name == "date":
            return dt.date
        if module == "markupsafe" and name == "Markup":
            return Markup
        if module.startswith("generator."):
            owner, _, maker = name.partition(".")
            target = getattr(sys.modules.get(module), owner, None)
            if isinstance(target, type) and (dataclasses.is_dataclass(target) or issubclass(target, enum.Enum)):
                if not maker:
                    return target
                if maker == MAKER and MAKER in vars(target):  # a model class's own maker (model/pickling.py)
                    return getattr(target, MAKER)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the build cache")


def load_pickle(path: Path) -> Any:
    """What a cache file holds, or None if it is missing, damaged, signed by another key or holds anything but our own data."""
    try:
        # A committed cache file may be a link to /dev/zero or a FIFO: only a regular file is read, and only so much.
        data = read_outside_file(path, MAX_CACHE_BYTES)
    except OSError:
        return None
    # Views and a seek, not slices: a warm run reads 70 MB of stored results, and a slice copies them.
    view = memoryview(data)
    if not hmac.compare_digest(view[:SEAL_BYTES], seal(view[SEAL_BYTES:])):
        return None  # made elsewhere: perhaps committed with an untrusted pull request
    stream = io.BytesIO(data)
    stream.seek(SEAL_BYTES)
    try:
        return _SafeUnpickler(stream).load()
    except Exception:  # a damaged or foreign cache is simply not used
        return None


def through_link(path: Path) -> bool:
    """Whether a folder between `.cache` and `path` (`.cache` included) is a symbolic link."""
    # A pull request can commit `.cache` (or `.cache/factcheck`) as a link to anywhere on the machine
    # that builds it: the cache is then not written at all, rather than written there.
    parts = path.parts
    if ".cache" not in parts:
        return False
    at = len(parts) - 1 - parts[::-1].index(".cache")  # the nearest: a project may itself sit under ~/.cache
    return bool(write_refusal(Path(*parts[:at]), str(Path(*parts[at:])), itself=False))


def save_pickle(path: Path, value: object) -> None:
    """Write a cache file atomically, sealed with this user's key; a read-only project simply goes without."""
    if through_link(path):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # Made afresh, never opened through a link: a committed `.cache` could hold one at this name.
        temp.unlink(missing_ok=True)
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644), "wb") as out:
            # Pickled straight into the file, the seal written in front once known: the manifest of 250,000 pages
            # was 60 MB held twice (pickled, then sealed and joined), the largest the build's process became.
            out.write(bytes(SEAL_BYTES))
            sealing = _Sealing(out)
            pickle.Pickler(sealing, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
            out.seek(0)
            out.write(sealing.mac.digest())
        os.replace(temp, path)
    except OSError:  # a read-only project still builds, just without a cache
        pass


# Cache files are sealed with a key kept outside every project, in the user's own cache folder. A cache
# folder that arrives with the content (committed by mistake, or on purpose in a pull request built
# by CI) is then never believed: it could otherwise carry pages or models that were never checked.
SEAL_BYTES = 32
SEAL_DIGEST = "sha256"  # SEAL_BYTES long
_key = b""


def cache_key() -> bytes:
    """This user's secret for sealing cache files (made on first use, 0600 under $XDG_CACHE_HOME/factcheck/)."""
    global _key
    if not _key:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck"
        path = folder / "cache-key"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as out:
                    out.write(os.urandom(SEAL_BYTES))
            stored = path.read_bytes()
            _key = stored if len(stored) == SEAL_BYTES and path.stat().st_uid == os.getuid() else os.urandom(SEAL_BYTES)
        except OSError:  # no writable home: a key for this run only (the cache helps within one serve session)
            _key = os.urandom(SEAL_BYTES)
    return _key


def seal(payload: bytes | memoryview) -> bytes:
    """The seal a cache file's payload carries: a MAC under this user's key."""
    # HMAC-SHA256 rather than keyed BLAKE2b: processors with SHA instructions seal 3x faster, and a warm
    # run checks the seal of every report's stored result (70 MB at 4,000 reports) before using it.
    return hmac.digest(cache_key(), payload, SEAL_DIGEST)


class _Sealing:
    """A file to pickle into that works out the payload's seal as it goes."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.mac = hmac.new(cache_key(), digestmod=SEAL_DIGEST)  # as `seal`, a piece at a time

    def write(self, data: bytes) -> int:
        """Write `data` to the file and take it into the seal."""
        self.mac.update(data)
        return self.out.write(data)


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates in .cache/factcheck/templates/, sealed like every cache file (compiled code must never come from content)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The key of the template's file, not of the name it was asked for by.

        A template from a pull request can spell one file in endless ways ('a.html', './a.html', './/a.html'),
        and Jinja's key, made from the name, would be a new file here for each: a build could fill the disk.
        """
        return super().get_cache_key(filename if filename is not None else name)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from its file, if that file is ours and for this code."""
        saved = load_pickle(self.folder / f"{bucket.key}.pickle")
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == code_fingerprint() and isinstance(saved[1], bytes):
            bucket.bytecode_from_string(saved[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the bucket's compiled template."""
        save_pickle(self.folder / f"{bucket.key}.pickle", (code_fingerprint(), bucket.bytecode_to_string()))


FileFacts = tuple[str, int, int, int]  # page key, size, mtime_ns, inode


class PageManifest:
    """What each file of the last two written sites was made from, to reuse files whose key is unchanged.

    `files` describes the site in the output folder; `previous` the one before it, which the next
    build updates into its staging folder instead of deleting it and writing every file anew. Every
    file of a site is listed (with an empty key where it is always made anew), so the next build
    knows what to remove from that folder without walking it.
    """

    def __init__(self, root: Path, out: Path) -> None:
        self.path = root / CACHE_DIR / "pages.pickle"
        self.out = str(out.resolve())
        stored = load_pickle(self.path)
        self.files: dict[str, FileFacts] = {}
        self.previous: dict[str, FileFacts] | None = None
        if isinstance(stored, dict) and stored.get("format") == FORMAT and stored.get("out") == self.out:
            self.files = _facts(stored.get("files")) or {}
            self.previous = _facts(stored.get("previous"))

    @staticmethod
    def same(facts: FileFacts | None, folder: Path, path: str, key: str | None) -> bool:
        """True when `folder/path` is the very file these facts describe, made for this key."""
        if key is None or facts is None or facts[0] != key:
            return False
        try:
            st = os.lstat(folder / path)  # a link is never the file written (a checkout can put one there)
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns, st.st_ino) == facts[1:]

    def reusable(self, out: Path, path: str, key: str | None) -> bool:
        """True when `out/path` is the very file last written for this key."""
        return self.same(self.files.get(path), out, path, key)

    def save(self, files: Iterable[tuple[str, FileFacts]], previous: Mapping[str, FileFacts] | None) -> None:
        """Record the files of the site just written ((path, facts) each; a path given again takes its last), and of the one kept beside it."""
        kept = None if previous is None else _columns(previous.items())
        save_pickle(self.path, {"format": FORMAT, "out": self.out, "files": _columns(files), "previous": kept})


_Columns = tuple[int, str, str, bytes, bytes, bytes]


def _columns(facts: Iterable[tuple[str, FileFacts]]) -> _Columns:
    """Facts as a few large values: pickled as a dict of tuples, 250,000 pages' took 50 MB, and as much again for the pickler's memo."""
    paths: list[str] = []
    keys: list[str] = []
    sizes, times, inodes = array.array("Q"), array.array("q"), array.array("Q")
    for path, (key, size, mtime, inode) in facts:
        paths.append(path)
        keys.append(key)
        sizes.append(size)
        times.append(mtime)
        inodes.append(inode)
    # NUL never occurs in a path, nor in a key (a digest, or "").
    return len(paths), "\0".join(paths), "\0".join(keys), sizes.tobytes(), times.tobytes(), inodes.tobytes()


def _facts(columns: object) -> dict[str, FileFacts] | None:
    """The facts `_columns` made, by path; None for anything else."""
    if not (isinstance(columns, tuple) and len(columns) == 6 and isinstance(columns[0], int)):
        return None
    count, paths, keys, *numbers = columns
    if not (isinstance(paths, str) and isinstance(keys, str) and all(isinstance(column, bytes) and len(column) == 8 * count for column in numbers)):
        return None
    sizes, times, inodes = (array.array(code, column) for code, column in zip("QqQ", numbers, strict=True))
    split = (paths.split("\0"), keys.split("\0")) if count else ([], [])
    if len(split[0]) != count or len(split[1]) != count:
        return None
    return dict(zip(split[0], zip(split[1], sizes, times, inodes, strict=True), strict=True))
