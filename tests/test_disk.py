"""The disk sink: with workers and the cache it writes exactly what the memory sink renders, reports the same diagnostics, and refuses unsafe output."""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
from multilingual import REPORT_ES, bilingual_site

from conftest import minimal_project, write_tree
from generator.build import BuildOptions, build, check, render_site
from generator.diagnostics import BuildFailed
from generator.output import disk, filesets, parts
from generator.output.disk import MARKER, path_problems
from generator.output.parts import Parts
from generator.output.swap import previous_site
from generator.pipeline import cache
from generator.pipeline.check import run_check
from generator.pipeline.heap import MemoryBudget
from generator.site import exports, feeds, search
from publishing import many_reports, report_yaml

PARALLEL = BuildOptions(workers=2)
SERIAL_NO_CACHE = BuildOptions(workers=1, cache=False)


def tree(out: Path) -> dict[str, bytes]:
    """Every file of a built site (the marker aside), by site-relative path."""
    found = {}
    for here, _dirs, files in os.walk(out):
        for name in files:
            rel = os.path.relpath(os.path.join(here, name), out).replace(os.sep, "/")
            if rel != MARKER:
                found[rel] = Path(here, name).read_bytes()
    return found


def empty_dirs(out: Path) -> list[str]:
    """Folders with nothing in them (a clean build has none)."""
    return [here for here, dirs, files in os.walk(out) if not dirs and not files]


def expected(root: Path, options: BuildOptions | None = None) -> dict[str, bytes]:
    """What the plain, in-memory pipeline renders."""
    return {page.path: page.data for page in render_site(root, options or BuildOptions()).pages}


def assert_same_as_plain(root: Path, out: Path, options: BuildOptions = PARALLEL) -> None:
    result = build(root, out, options)
    want = expected(root, BuildOptions(drafts=options.drafts, base_url=options.base_url))
    got = tree(out)
    assert sorted(got) == sorted(want)
    assert [p for p in want if got[p] != want[p]] == []
    assert empty_dirs(out) == []
    assert result.written == len(want)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "p", many_reports(14))


def test_parallel_cached_build_is_byte_identical_to_plain_render(project: Path, tmp_path: Path) -> None:
    assert_same_as_plain(project, tmp_path / "site")
    assert list((project / cache.CACHE_DIR / "reports").glob("*.pickle"))


def test_render_helpers_ended_for_memory_write_the_same_site(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper past its memory budget ends after each run of pages and a fresh fork takes over: the same files."""
    build(project, tmp_path / "a", SERIAL_NO_CACHE)
    asked = tmp_path / "asked"

    def over_budget(self: MemoryBudget) -> bool:
        with asked.open("a") as note:  # the helpers' own processes: a file tells which asked
            note.write(f"{os.getpid()}\n")
        return True

    monkeypatch.setattr(MemoryBudget, "__call__", over_budget)
    build(project, tmp_path / "b", BuildOptions(workers=2, cache=False))
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    helpers = asked.read_text().split()
    assert len(set(helpers)) >= 2 and len(helpers) == len(set(helpers))  # each helper asked once, ended, and another took over


def test_files_about_the_whole_site_are_made_by_the_build_process_before_any_helper(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large site, the feeds and sitemap read every report or page: made in a helper's lifetime, each would copy all of it."""
    made_by = tmp_path / "made-by"
    reports_feed = feeds.reports_feed
    monkeypatch.setattr(disk, "worth_a_helper", lambda claims: False)  # as for a site of more than filesets.MAX_CLAIMS claims

    def noted(site: object) -> object:
        made_by.write_text(f"{os.getpid()} {len(multiprocessing.active_children())}")
        return reports_feed(site)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds, "reports_feed", noted)
    build(project, tmp_path / "site", BuildOptions(workers=2, cache=False))
    pid, helpers = map(int, made_by.read_text().split())
    assert pid == os.getpid() and helpers == 0
    build(project, tmp_path / "serial", SERIAL_NO_CACHE)
    assert tree(tmp_path / "site") == tree(tmp_path / "serial") and (tmp_path / "site" / exports.CLAIMS_JSON).stat().st_size > 100


@pytest.mark.parametrize("large", [False, True])
def test_exports_are_made_in_parts_by_the_render_and_joined(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool) -> None:
    """With helpers, each part of an export (and of a large site's search index) is a unit of the render's work, in any
    process, joined or finished by the build's process: the same bytes."""
    build(project, tmp_path / "serial", SERIAL_NO_CACHE)
    monkeypatch.setattr(exports, "PART_CLAIMS", 4)  # 14 reports of two claims: seven parts an export
    monkeypatch.setattr(search, "PART_CLAIMS", 4)  # and of the search index, made in parts on a large site only
    if large:
        monkeypatch.setattr(filesets, "MAX_CLAIMS", 0)  # as for a site of more claims than that
    made = tmp_path / "made"
    make = Parts.make

    def noted(self: Parts, unit: int) -> None:
        with made.open("a") as note:
            note.write(f"{unit}\n")
        make(self, unit)

    monkeypatch.setattr(Parts, "make", noted)
    heard: list[tuple[str, int, int]] = []
    build(project, tmp_path / "site", BuildOptions(workers=2, cache=False), progress=lambda stage, done, total: heard.append((stage, done, total)))
    assert sorted(map(int, made.read_text().split())) == list(range(28 if large else 21))  # each part made once
    # After the pages, the progress line counts the exports joined (and a large site's file sets finished) to the end.
    finishing = 3 + (1 if large else 0)  # three exports; on a large site, the search index too
    after = heard[max(i for i, (stage, _, _) in enumerate(heard) if stage == "Writing pages") + 1 :]
    assert [(done, total) for stage, done, total in after if stage == "Finishing files"][-1] == (finishing, finishing)
    assert tree(tmp_path / "site") == tree(tmp_path / "serial")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["made", "p", "serial", "site"]  # the parts' folder is gone


def test_exports_in_parts_are_joined_again_into_the_reused_folder(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild updates the site before last in place: an export made in parts replaces the file there (maybe a hard link to the live site)."""
    monkeypatch.setattr(exports, "PART_CLAIMS", 4)
    out = tmp_path / "site"
    for _ in range(3):  # the third build updates the folder the first one wrote
        report = project / "content/reports/report-001.yaml"
        report.write_text(report.read_text(encoding="utf-8").replace("publisher: ", "publisher: Again ", 1), encoding="utf-8")  # in every export
        live = (out / exports.CLAIMS_JSON).read_bytes() if out.exists() else b""
        assert_same_as_plain(project, out, PARALLEL)
        assert (out / exports.CLAIMS_JSON).read_bytes() != live
    assert (out.parent / ".site.previous" / exports.CLAIMS_JSON).read_bytes() != (out / exports.CLAIMS_JSON).read_bytes()


def test_a_second_languages_index_in_parts_keeps_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large bilingual site: each language's search index in parts, finished under its own root (/es/search/...)."""
    files = bilingual_site()
    files["content/reports/diario-dos.yaml"] = REPORT_ES.replace("id: diario-alquileres", "id: diario-dos").replace("translations: [planet-rents]\n", "")
    root = write_tree(tmp_path / "p", files)
    build(root, tmp_path / "serial", SERIAL_NO_CACHE)
    monkeypatch.setattr(filesets, "MAX_CLAIMS", 0)
    monkeypatch.setattr(search, "PART_CLAIMS", 1)  # the Spanish index in two parts
    split = []
    monkeypatch.setattr(disk, "split_work", lambda *args: split.append(parts.split_work(*args)) or split[-1])
    build(root, tmp_path / "site", BuildOptions(workers=2, cache=False))
    assert [len(made.parts) for _, made in split[0].sets] == [2]
    assert tree(tmp_path / "site") == tree(tmp_path / "serial") and (tmp_path / "site/es/search/data/meta.js").is_file()


def test_a_template_error_with_exports_in_parts_is_the_plain_error(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that meets a template's error stops, parts unmade: nothing is joined, the error is the plain one, no folder is left."""
    monkeypatch.setattr(exports, "PART_CLAIMS", 2)
    claim = project / "themes/default/templates/claim.html"
    claim.write_text(claim.read_text().replace("{{ claim.claim_reviewed }}", "{{ claim.no_such_field }}", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as plain:
        render_site(project)
    with pytest.raises(BuildFailed) as fast:
        build(project, tmp_path / "site", BuildOptions(workers=2, cache=False))
    assert fast.value.diagnostics == plain.value.diagnostics
    assert [p.name for p in tmp_path.iterdir()] == ["p"]


def test_same_output_with_and_without_workers_and_cache(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "a", SERIAL_NO_CACHE)
    build(project, tmp_path / "b", PARALLEL)
    build(project, tmp_path / "b", PARALLEL)  # second run: everything from the cache
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_rebuilds_after_edits_match_a_clean_build(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(project, out, PARALLEL)
    report = project / "content/reports/report-003.yaml"
    for n, (old, new) in enumerate(
        [("One claim holds up", "An edited summary"), ("Rent index", "Rent register"), ("reads $4.0 million", "reads $4.00 million")]
    ):
        report.write_text(report.read_text().replace(old, new), encoding="utf-8")
        assert_same_as_plain(project, out)
        assert previous_site(out).is_dir(), n  # kept for the next build to update
    (project / "content/reports/report-005.yaml").unlink()  # a report goes away: its pages too
    assert_same_as_plain(project, out)
    (project / "content/reports/report-099.yaml").write_text(report_yaml(99), encoding="utf-8")
    assert_same_as_plain(project, out)


def test_removed_counts_only_the_files_that_went(project: Path, tmp_path: Path) -> None:
    """The search index is made while the pages render and its old files are pruned after: a rebuild removes exactly what is gone."""
    out = tmp_path / "site"
    build(project, out, PARALLEL)
    build(project, out, PARALLEL)  # the next build reuses the previous site's folder
    before = tree(out)
    assert any(path.startswith("search/data/") for path in before)
    assert build(project, out, PARALLEL).write.removed == 0
    (project / "content/reports/report-005.yaml").unlink()
    result = build(project, out, PARALLEL)
    after = tree(out)
    assert result.write.removed == len(before.keys() - after.keys()) > 0
    assert after == expected(project)


def test_only_changed_reports_are_checked_again(project: Path) -> None:
    build(project, project.parent / "site", PARALLEL)
    assert run_check(project, PARALLEL).stats.checked == 0
    path = project / "content/reports/report-002.yaml"
    path.write_text(path.read_text().replace("One claim holds up", "Edited"), encoding="utf-8")
    assert run_check(project, PARALLEL).stats.checked == 1


@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("themes/default/templates/claim.html", '<h2 id="analysis-title">', '<h2 class="x" id="analysis-title">'),  # a template
        ("themes/default/i18n/en.yaml", "claim.analysis: Our analysis", "claim.analysis: Our reading"),  # a string of the theme
        ("content/site.yaml", "label: Half true", "label: Partly true"),  # a rating label
        ("content/people.yaml", "name: Ann Writer", "name: Ann Author"),  # a person's name
        ("content/pages/about.md", "title: About us", "title: About this site"),  # a menu entry on every page
        ("seeds/planet.txt", "said on Tuesday", "said on Monday"),  # the article snapshot
        ("content/reports/report-002.yaml", "name: John Roe", "name: JANE DOE"),  # group slugs that other reports' pages link to
    ],
)
def test_every_input_invalidates_the_cache(project: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    out = tmp_path / "site"
    build(project, out, PARALLEL)
    before = tree(out)
    path = project / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")
    assert_same_as_plain(project, out)
    assert tree(out) != before


def test_a_new_generator_version_does_not_use_the_old_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, project.parent / "site", PARALLEL)
    monkeypatch.setattr(cache, "_code_fingerprint", "another version of the generator")
    assert run_check(project, PARALLEL).stats.checked == 14


def test_a_damaged_cache_is_ignored(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "site", PARALLEL)
    for path in [*(project / cache.CACHE_DIR / "reports").glob("*.pickle"), project / cache.CACHE_DIR / "pages.pickle"]:
        path.write_bytes(b"\x80\x05garbage")
    assert_same_as_plain(project, tmp_path / "site")


def test_a_changed_output_file_is_rewritten(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(project, out, PARALLEL)
    page = out / "reports/report-001/index.html"
    page.write_bytes(b"tampered")
    assert_same_as_plain(project, out)


def test_drafts_and_base_url_options_are_part_of_the_key(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(project, out, PARALLEL)
    assert_same_as_plain(project, out, BuildOptions(workers=2, base_url="https://elsewhere.example/"))
    assert_same_as_plain(project, out, BuildOptions(workers=2, drafts=True))


def test_warnings_come_in_the_plain_order(tmp_path: Path) -> None:
    files = many_reports(6)
    unused = "  - id: spare\n    title: Unused\n    publisher: Nobody\n    url: https://spare.example/\n    kind: primary\n"
    for n in (1, 4):
        files[f"content/reports/report-{n:03d}.yaml"] += unused
    files["content/reports/notes.yml"] = "ignored: true\n"
    root = write_tree(tmp_path / "p", files)
    plain = render_site(root).diagnostics
    assert len([d for d in plain if not d.is_error]) >= 3
    assert build(root, tmp_path / "site", PARALLEL).diagnostics == plain
    assert build(root, tmp_path / "site", PARALLEL).diagnostics == plain  # from the cache
    assert run_check(root, PARALLEL).stats.checked == 0  # results with warnings are cached too


def test_errors_are_the_plain_errors(tmp_path: Path) -> None:
    files = many_reports(6)
    files["content/reports/report-002.yaml"] = files["content/reports/report-002.yaml"].replace('rating: "true"', "rating: mostly-ture")
    files["content/reports/report-004.yaml"] = files["content/reports/report-004.yaml"].replace("id: report-004", "id: report-003")
    files["content/reports/report-005.yaml"] = "id: [broken\n"
    root = write_tree(tmp_path / "p", files)
    with pytest.raises(BuildFailed) as plain:
        check(root, BuildOptions())
    with pytest.raises(BuildFailed) as fast:
        build(root, tmp_path / "site", PARALLEL)
    assert fast.value.diagnostics == plain.value.diagnostics
    assert not (tmp_path / "site").exists()


def test_template_errors_are_the_plain_error(project: Path, tmp_path: Path) -> None:
    claim = project / "themes/default/templates/claim.html"
    claim.write_text(claim.read_text().replace("{{ claim.claim_reviewed }}", "{{ claim.no_such_field }}", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as plain:
        render_site(project)
    with pytest.raises(BuildFailed) as fast:
        build(project, tmp_path / "site", PARALLEL)
    assert fast.value.diagnostics == plain.value.diagnostics
    assert [p.name for p in tmp_path.iterdir()] == ["p"]  # no staging folder left behind


def test_a_refused_output_folder_gives_the_plain_error(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(BuildFailed) as failed:
        build(project, foreign, PARALLEL)
    assert "did not create" in failed.value.diagnostics[-1].message
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_refuses_dangerous_output_folders(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", many_reports(2))
    for out in (root, root / "content", root / "content/out", root.parent):
        with pytest.raises(BuildFailed) as failed:
            build(root, out)
        assert "refusing to write the site here" in failed.value.diagnostics[0].message
    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(BuildFailed) as failed:
        build(root, stranger)
    assert "did not create" in failed.value.diagnostics[0].message
    assert (stranger / "holiday.jpg").read_bytes() == b"\xff\xd8"


def test_output_paths_cannot_escape_or_collide() -> None:
    problems = path_problems(["a/index.html", "../evil.html", "a/index.html", "/abs.html", MARKER])
    assert [(d.path, d.message) for d in problems] == [
        ("../evil.html", "output path escapes the output folder or is reserved"),
        ("a/index.html", "two pages would write the same output file"),
        ("/abs.html", "output path escapes the output folder or is reserved"),
        (MARKER, "output path escapes the output folder or is reserved"),
    ]


def test_an_output_folder_whose_parents_do_not_exist_yet_is_made(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", many_reports(2))
    out = tmp_path / "deep/er/site"
    assert_same_as_plain(root, out, BuildOptions())


def test_an_output_folder_that_is_a_link_is_refused(project: Path, tmp_path: Path) -> None:
    """A committed `site -> /elsewhere` is refused: the swap would move the link, not fill its target."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "site").symlink_to(elsewhere)
    with pytest.raises(BuildFailed) as failed:
        build(project, project / "site")
    assert failed.value.diagnostics[0].message == "refusing to write the site here: the output folder is a symbolic link"
    assert (project / "site").is_symlink() and not any(elsewhere.iterdir())


@pytest.mark.parametrize("leftover", [".site.previous", ".site.old"])
def test_a_link_where_the_old_site_is_kept_is_removed_not_followed(project: Path, tmp_path: Path, leftover: str) -> None:
    """A link committed as `.site.previous` or `.site.old` is unlinked; its target is never written or removed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_text("x")
    (elsewhere / "keep.txt").write_text("keep me")
    (project / leftover).symlink_to(elsewhere)
    for _ in range(2):
        build(project, project / "site")
    assert sorted(p.name for p in elsewhere.iterdir()) == [MARKER, "keep.txt"]
    assert not (project / leftover).is_symlink()


@pytest.mark.parametrize("options", [PARALLEL, BuildOptions(workers=1)])
def test_a_reused_old_site_keeps_only_the_planned_files_never_links(project: Path, tmp_path: Path, options: BuildOptions) -> None:
    """A checkout can put anything in `.site.previous` (git replaces ignored files): a file no page makes, a link
    to a secret, a link where a page's folder is. None of it is published, and nothing is written through a link."""
    out = project / "site"
    build(project, out, options)
    build(project, out, options)  # the next build reuses .site.previous as its staging folder
    old = project / ".site.previous"
    secret = tmp_path / "secret.txt"
    secret.write_text("token")
    outside = tmp_path / "outside"
    outside.mkdir()
    (old / "planted.html").write_text("<script>alert(1)</script>")
    (old / "leak.txt").symlink_to(secret)
    (old / "search" / "planted.json").write_text("{}")  # under a file set's prefix
    page = next(p for p in old.glob("reports/*/index.html"))
    page.unlink()
    page.symlink_to(secret)  # where a kept page is
    folder = next(p for p in old.glob("reports/*/claims"))
    os.rename(folder, tmp_path / "moved")
    folder.symlink_to(outside)  # where pages are written
    build(project, out, options)
    assert tree(out) == expected(project)
    assert not [p for p in out.rglob("*") if p.is_symlink()]
    assert list(outside.iterdir()) == [] and secret.read_text() == "token"


def test_a_fresh_staging_folder_creates_pages_without_unlinking_first(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build's pages go into a new folder: each is created at once (an unlink there could only fail).
    A rebuild into the site before last unlinks before it writes: its files may be hard links shared with the live site."""
    unlinked: list[str] = []
    real = os.unlink

    def counted(target: str | Path, *, dir_fd: int | None = None) -> None:
        unlinked.append(os.fspath(target))
        real(target, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", counted)
    out = tmp_path / "site"
    build(project, out, SERIAL_NO_CACHE)
    pages = [p for p in unlinked if p.endswith(".html")]
    assert pages == [] and tree(out)  # the file sets and static files alone, written after the pages
    build(project, out, BuildOptions(workers=1))
    build(project, out, BuildOptions(workers=1))  # now the site before last is updated in place
    report = project / "content/reports" / sorted(os.listdir(project / "content/reports"))[0]
    report.write_text(report.read_text(encoding="utf-8").replace("summary: ", "summary: Changed. ", 1), encoding="utf-8")
    unlinked.clear()
    assert_same_as_plain(project, out, BuildOptions(workers=1))
    assert any(p.endswith(".html") for p in unlinked)


@pytest.mark.parametrize("workers", [1, 2])
def test_file_facts_keep_a_time_before_1970_and_a_64_bit_inode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """The facts of each written file travel packed in 64-bit words; a negative time and a full-width inode come back as they were."""
    from generator.output import disk

    root = write_tree(tmp_path / "p", many_reports(3))
    real = os.fstat

    class Odd:
        def __init__(self, st: os.stat_result) -> None:
            self.st = st

        def __getattr__(self, name: str) -> object:
            return {"st_mtime_ns": -5_000_000_123, "st_ino": 2**64 - 1}.get(name, getattr(self.st, name))

    def odd(fd: int) -> object:
        return Odd(real(fd))

    monkeypatch.setattr(disk.os, "fstat", odd)
    build(root, tmp_path / "site", BuildOptions(workers=workers))
    monkeypatch.undo()
    facts = cache.PageManifest(root, tmp_path / "site").files
    page = facts["reports/report-001/index.html"]
    assert page[1:] == ((tmp_path / "site" / "reports/report-001/index.html").stat().st_size, -5_000_000_123, 2**64 - 1)


def test_a_failed_build_leaves_no_search_file_in_the_folder_a_later_build_reuses(tmp_path: Path) -> None:
    """The previous site is reused as the next build's folder: a file set's file written there by a build that then
    failed, under a name no manifest lists, would survive every later build (found by a review)."""
    root = write_tree(tmp_path / "p", minimal_project())
    out = tmp_path / "site"
    build(root, out)
    build(root, out)  # now a previous site and its manifest exist: the next build reuses that folder
    base = root / "themes/default/templates/base.html"
    good = base.read_text(encoding="utf-8")
    for n in range(130):  # enough reports for search index files of new names
        (root / f"content/reports/report-{n:03d}.yaml").write_text(report_yaml(n), encoding="utf-8")
    base.write_text("{{ nothere.a.b }}" + good, encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(root, out)
    for n in range(130):
        (root / f"content/reports/report-{n:03d}.yaml").unlink()
    base.write_text(good, encoding="utf-8")
    build(root, out)
    assert tree(out) == expected(root)


def test_a_folder_of_the_old_site_replaced_by_a_link_to_the_live_one_is_no_crash(project: Path) -> None:
    # Its pages have the inodes the manifest recorded (unchanged pages are hard links): judged unchanged through
    # the link, they were gone once the link was removed, and the build ended in an internal error.
    out = project / "site"
    for _ in range(3):
        build(project, out, PARALLEL)
    old = project / ".site.previous"
    shutil.rmtree(old / "reports")
    (old / "reports").symlink_to(Path("..") / "site" / "reports")
    build(project, out, PARALLEL)
    assert tree(out) == expected(project)
    assert not [p for p in out.rglob("*") if p.is_symlink()]


@pytest.mark.parametrize("options", [SERIAL_NO_CACHE, BuildOptions(workers=1)], ids=["fresh", "reused"])
def test_a_full_disk_is_a_diagnostic_and_leaves_the_old_site_and_no_staging_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: BuildOptions
) -> None:
    """A write that fails (a full disk, a file size limit) was an internal error, and left its staging folder beside the site."""
    out = tmp_path / "site"
    build(project, out, options)
    build(project, out, options)  # with the cache: a previous site, reused as the next staging folder
    before, beside = tree(out), sorted(p.name for p in tmp_path.iterdir())
    (project / "content/reports/report-001.yaml").write_text(report_yaml(1).replace('rating: "false"', "rating: unproven"), encoding="utf-8")

    def full(staging: Path, page: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(staging / "search/index.json"))

    monkeypatch.setattr(disk, "_write_file", full)
    with pytest.raises(BuildFailed) as failed:
        build(project, out, options)
    assert [d.message for d in failed.value.diagnostics] == ["cannot write the site: No space left on device"]
    assert failed.value.diagnostics[0].path.endswith("search/index.json")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == beside


def test_an_output_folder_under_a_file_is_refused(project: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder must go")
    with pytest.raises(BuildFailed) as failed:
        build(project, tmp_path / "blocker/site")
    assert failed.value.diagnostics[0].message == "refusing to write the site here: the output folder is inside a file, not a folder"
    assert (tmp_path / "blocker").read_text() == "a file where a folder must go"
