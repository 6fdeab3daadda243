"""The build cache: keys that change with every input, a safe reader, and stale entries never served."""

from __future__ import annotations

import hmac
import os
import pickle
from pathlib import Path

import jinja2

from generator.pipeline import cache
from generator.pipeline.cache import PageManifest, digest, files_fingerprint, value_fingerprint


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo pwned > /dev/null",))


def test_digest_separates_its_parts() -> None:
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("x") == digest(b"x")


def test_code_fingerprint_is_stable_within_a_process() -> None:
    assert cache.code_fingerprint() == cache.code_fingerprint()


def test_files_fingerprint_sees_names_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("one")
    first = files_fingerprint([tmp_path])
    (tmp_path / "a.html").write_text("two")
    second = files_fingerprint([tmp_path])
    (tmp_path / "a.html").rename(tmp_path / "b.html")
    assert len({first, second, files_fingerprint([tmp_path])}) == 3


def test_value_fingerprint_reads_closures_and_refuses_the_unknown() -> None:
    site = object()
    slugs = {"jane doe": "jane-doe"}

    def url(name: str) -> str:
        return slugs.get(name, "") + str(site)

    first = value_fingerprint({"index_url": url}, site)
    slugs["jane doe"] = "jane-doe-2"
    assert first is not None and value_fingerprint({"index_url": url}, site) != first
    assert value_fingerprint({"thing": object()}, site) is None


def test_reader_refuses_anything_but_data(tmp_path: Path) -> None:
    path = tmp_path / cache.CACHE_DIR / "reports.pickle"
    path.parent.mkdir(parents=True)
    payload = pickle.dumps({"key": "k", "entries": {"a": _Evil()}})
    path.write_bytes(cache.seal(payload) + payload)  # sealed with our own key: only the unpickler stands in the way
    assert cache.load_pickle(path) is None


def test_a_cache_file_not_sealed_with_this_users_key_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / cache.CACHE_DIR / "x.pickle"
    cache.save_pickle(path, {"key": "k"})
    assert cache.load_pickle(path) == {"key": "k"}
    data = path.read_bytes()
    payload = data[cache.SEAL_BYTES :]
    # What a pull request could commit: the same data, sealed with another key, or not sealed at all.
    forged = hmac.digest(b"x" * 32, payload, "sha256") + payload
    for data in (forged, payload, pickle.dumps({"key": "k"})):
        path.write_bytes(data)
        assert cache.load_pickle(path) is None


def test_the_key_lives_outside_the_project_and_is_private() -> None:
    key = cache.cache_key()
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck"
    assert len(key) == cache.SEAL_BYTES and (folder / "cache-key").read_bytes() == key
    assert (folder / "cache-key").stat().st_mode & 0o077 == 0


def test_compiled_templates_are_kept_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    loader = jinja2.DictLoader({"t.html": "{{ 1 + x }}"})
    first = jinja2.Environment(loader=loader, bytecode_cache=cache.TemplateCache(folder))
    assert first.get_template("t.html").render(x=1) == "2" and len(list(folder.glob("*.pickle"))) == 1
    second = jinja2.Environment(loader=loader, bytecode_cache=cache.TemplateCache(folder))
    compiled: list[str] = []
    second.compile = lambda *args, **kwargs: compiled.append("x")  # type: ignore[method-assign]
    assert second.get_template("t.html").render(x=2) == "3" and compiled == []


def test_one_template_file_is_kept_once_however_its_name_is_spelled(tmp_path: Path) -> None:
    """A pull request's template can ask for one file as 'a.html', './a.html', './/a.html'...: one compiled file, not one each."""
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "a.html").write_text("{{ 1 + x }}", encoding="utf-8")
    folder = tmp_path / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "tpl"), bytecode_cache=cache.TemplateCache(folder), cache_size=0)
    for spelling in ("a.html", "./a.html", ".//a.html", "././a.html"):
        assert env.get_template(spelling).render(x=1) == "2"
    assert len(list(folder.glob("*.pickle"))) == 1


def test_code_fingerprint_covers_modules_in_subpackages() -> None:
    # Modules deep in stage subpackages are part of the fingerprint, not only the top-level ones.
    files = cache.source_files()
    assert {"build.py", "site/render.py", "pipeline/check.py", "output/disk.py", "preview/engine.py"} <= set(files)


def test_page_manifest_keeps_every_fact_of_both_sites(tmp_path: Path) -> None:
    files = [("a/index.html", ("k" * 64, 5, 1_700_000_000_123_456_789, 2**64 - 1)), ("é/ü.html", ("", 0, -5, 0)), ("a/index.html", ("new", 6, 7, 8))]
    previous = {"old.html": ("key", 1, 2, 3)}
    PageManifest(tmp_path, tmp_path / "site").save(files, previous)
    manifest = PageManifest(tmp_path, tmp_path / "site")
    assert manifest.files == {"a/index.html": ("new", 6, 7, 8), "é/ü.html": ("", 0, -5, 0)}  # a path given again: its last facts
    assert manifest.previous == previous
    PageManifest(tmp_path, tmp_path / "site").save([], None)
    empty = PageManifest(tmp_path, tmp_path / "site")
    assert empty.files == {} and empty.previous is None


def test_a_page_manifest_of_another_shape_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / cache.CACHE_DIR / "pages.pickle"
    out = str((tmp_path / "site").resolve())
    for files in [
        {"a": ("k", 1, 2, 3)},
        (2, "a\0b", "k", b"", b"", b""),
        (1, "a", "k\0j", bytes(8), bytes(8), bytes(8)),
        (1, "a", "k", bytes(8), bytes(7), bytes(8)),
    ]:
        cache.save_pickle(path, {"format": cache.FORMAT, "out": out, "files": files, "previous": None})
        assert PageManifest(tmp_path, tmp_path / "site").files == {}


def test_page_manifest_trusts_only_the_file_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "a").mkdir(parents=True)
    page = out / "a" / "index.html"
    page.write_text("hello")
    st = page.stat()
    PageManifest(tmp_path, out).save([("a/index.html", ("key", st.st_size, st.st_mtime_ns, st.st_ino))], None)
    manifest = PageManifest(tmp_path, out)
    assert manifest.reusable(out, "a/index.html", "key")
    assert not manifest.reusable(out, "a/index.html", "other key")
    assert not manifest.reusable(out, "a/index.html", None)
    assert not PageManifest(tmp_path, tmp_path / "elsewhere").reusable(out, "a/index.html", "key")
    page.unlink()
    page.write_text("hullo")  # same size, new file
    assert not manifest.reusable(out, "a/index.html", "key")


def test_a_cache_file_that_is_a_device_or_fifo_is_not_read(tmp_path: Path) -> None:
    """A committed `.cache/factcheck/pages.pickle -> /dev/zero` made check hang, reading forever."""
    (tmp_path / "zero.pickle").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.pickle")
    assert cache.load_pickle(tmp_path / "zero.pickle") is None
    assert cache.load_pickle(tmp_path / "fifo.pickle") is None


def test_the_cache_is_never_written_through_a_link(tmp_path: Path) -> None:
    """A `.cache` folder committed as a link, or a link at the temporary file's name, is not written through."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / ".cache").symlink_to(elsewhere)
    cache.save_pickle(project / cache.CACHE_DIR / "pages.pickle", {"a": 1})
    assert not any(elsewhere.iterdir())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    folder = tmp_path / "other" / cache.CACHE_DIR
    folder.mkdir(parents=True)
    (folder / f".pages.pickle.{os.getpid()}.tmp").symlink_to(victim)
    cache.save_pickle(folder / "pages.pickle", {"a": 1})
    assert victim.read_text() == "keep me"
    assert cache.load_pickle(folder / "pages.pickle") == {"a": 1}
