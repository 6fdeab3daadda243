"""The pipeline end to end: bad-input cases, determinism, the committed site, drafts."""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, REPO, minimal_project, write_tree
from generator import cli
from generator.build import BuildOptions, build, check, render_site
from generator.diagnostics import BuildFailed, format_text
from generator.preview.engine import Engine

CASES = sorted((DATA / "reports").glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_report_gives_expected_diagnostics(case: Path, tmp_path: Path) -> None:
    """Each data file in tests/data/reports/ produces exactly the messages in its .expected file."""
    root = _case_project(case, tmp_path)
    try:
        _site, diagnostics = check(root)
    except BuildFailed as failed:
        diagnostics = list(failed.diagnostics)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert format_text(diagnostics) == expected


def _case_project(case: Path, tmp_path: Path) -> Path:
    files = minimal_project()
    del files["content/reports/planet-rents.yaml"]
    files["content/site.yaml"] += "base_url: https://checks.example/\n"
    files[f"content/reports/{case.stem}.yaml"] = case.read_text(encoding="utf-8")
    return write_tree(tmp_path / "project", files)


def _diagnostic_lines(text: str) -> list[str]:
    # The diagnostics themselves, without the command's closing line (which names the command).
    return [line for line in text.splitlines() if not line.startswith(("Check ", "Build ", "Built "))]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_check_build_drafts_and_serve_agree_on_every_bad_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check, build, build --drafts and a serve rebuild give the same diagnostics and status, and never a traceback."""
    root = _case_project(case, tmp_path)
    runs = {}
    for name, argv in {
        "check": ["check"],
        "build": ["build", "--out", str(tmp_path / "site")],
        "build --drafts": ["build", "--drafts", "--out", str(tmp_path / "drafts")],
    }.items():
        code = cli.main(["--root", str(root), *argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        runs[name] = (code, _diagnostic_lines(captured.err))
    try:
        outcome = Engine(root, BuildOptions(drafts=True), lazy=True).rebuild(None)
        runs["serve"] = (0, _diagnostic_lines(format_text(outcome.result.diagnostics)))
    except BuildFailed as failed:
        runs["serve"] = (1, _diagnostic_lines(format_text(failed.diagnostics)))
    assert runs["check"][1] == _diagnostic_lines(case.with_suffix(".expected").read_text(encoding="utf-8"))
    assert len({repr(run) for run in runs.values()}) == 1, runs


def test_a_dozen_mistakes_are_all_reported_at_once(make_project: Callable[..., Path]) -> None:
    """One file with many different mistakes lists every one of them."""
    from conftest import REPORT_YAML

    broken = (
        REPORT_YAML.replace("status: published", "status: publishd")
        .replace("published: 2026-05-01", "published: 2026-02-30")
        .replace("reviewers: [bob]", "reviewers: [bobby]")
        .replace("url: https://planet.example/rents", "url: ftp://planet.example/rents")
        .replace('rating: "false"', "rating: flase")
        .replace("exact: rents in Metropolis have doubled since 2015", "exact: rents have doubled")
        .replace("    claim_reviewed: The council spent $4 million on shelters last year\n", "")
        .replace("[@budget]", "[@budgte]")
        .replace("kind: primary\n", "kind: primary\n    colour: red\n", 1)
        .replace("topics: [Housing]", "topics: [Housing, Housing]")
        .replace("- id: shelter-spend", "- id: Shelter_Spend")
        .replace("retrieved: 2026-04-30", "retrieved: yesterday")
    )
    root = make_project({"content/reports/planet-rents.yaml": broken})
    with pytest.raises(BuildFailed) as failed:
        check(root)
    text = format_text(failed.value.diagnostics)
    for needle in (
        "status: 'publishd' is not one of",
        "published: '2026-02-30' is not a valid date",
        "unknown person 'bobby'",
        "'ftp://planet.example/rents' is not an http(s) URL",
        "unknown rating 'flase'",
        "quote not found in the article snapshot",
        "missing required field 'claim_reviewed'",
        "unknown field 'colour'",
        "'Housing' is listed twice",
        "'Shelter_Spend' is not a valid id",
        "retrieved: 'yesterday' is not a date",
    ):
        assert needle in text
    assert text.count(": error: ") >= 11
    assert all(line.startswith("content/reports/planet-rents.yaml:") for line in text.splitlines() if ": error: " in line)


def test_failed_build_leaves_previous_site_untouched(make_project: Callable[..., Path]) -> None:
    root = make_project()
    out = root / "site"
    build(root, out)
    before = (out / "index.html").read_bytes()
    (root / "content/reports/planet-rents.yaml").write_text("id: [broken", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(root, out)
    assert (out / "index.html").read_bytes() == before
    assert (out / "reports/planet-rents/index.html").is_file()
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]


def test_two_builds_are_byte_identical(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, tmp_path / "one")
    build(root, tmp_path / "two")
    comparison = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    for sub in comparison.subdirs.values():
        assert not sub.diff_files


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_committed_site_matches_a_fresh_build(tmp_path: Path) -> None:
    """site/ in the repository is the build of the bundled content; rebuild with `factcheck build` if this fails."""
    for name in ("content", "seeds", "themes"):
        shutil.copytree(REPO / name, tmp_path / name)
    build(tmp_path, tmp_path / "site")
    fresh, committed = _tree(tmp_path / "site"), _tree(REPO / "site")
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"site/ is stale: {stale[:5]}"


def test_drafts_are_left_out_unless_asked(make_project: Callable[..., Path]) -> None:
    from conftest import REPORT_YAML

    draft = REPORT_YAML.replace("id: planet-rents", "id: planet-draft").replace("status: published", "status: draft")
    root = make_project({"content/reports/planet-draft.yaml": draft})
    published = render_site(root)
    assert [r.id for r in published.site.reports] == ["planet-rents"]
    assert not any(p.path.startswith("reports/planet-draft/") for p in published.pages)
    with_drafts = render_site(root, BuildOptions(drafts=True))
    page = next(p for p in with_drafts.pages if p.path == "reports/planet-draft/index.html")
    assert b"Not published." in page.data


def test_a_preview_with_drafts_offers_them_to_no_search_engine_or_aggregator(make_project: Callable[..., Path], tmp_path: Path) -> None:
    # A preview put on a staging host must not publish an unreviewed verdict: readers of the preview see the
    # draft, machines (robots meta, ClaimReview, sitemap, feeds, exports) do not.
    from conftest import REPORT_YAML
    from publishing import json_ld

    draft = REPORT_YAML.replace("id: planet-rents", "id: planet-draft").replace("status: published", "status: in-review")
    root = make_project({"content/reports/planet-draft.yaml": draft})
    out = tmp_path / "preview"
    build(root, out, BuildOptions(drafts=True, base_url="https://x.example/", cache=False))
    for page in ("reports/planet-draft/index.html", "reports/planet-draft/claims/rents-doubled/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html and "Not published." in html, page
        assert json_ld(html) == [], page
    published = (out / "reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert "noindex" not in published and [d["@type"] for d in json_ld(published)] == ["ClaimReview"]
    for path in ("sitemap.xml", "feeds/reports.xml", "data/claims.json", "data/claims.csv", "data/claimreview-api.json"):
        text = (out / path).read_text(encoding="utf-8")
        assert "planet-draft" not in text and "planet-rents" in text, path
    assert "planet-draft" in (out / "index.html").read_text(encoding="utf-8")  # the preview's own listings show it


def test_base_url_override_changes_canonical_links(make_project: Callable[..., Path]) -> None:
    root = make_project()
    result = render_site(root, BuildOptions(base_url="https://checks.example/sub/"))
    report = next(p for p in result.pages if p.path == "reports/planet-rents/index.html")
    assert b'<link rel="canonical" href="https://checks.example/sub/reports/planet-rents/">' in report.data


def test_build_feeds_the_progress_line(make_project: Callable[..., Path], tmp_path: Path) -> None:
    heard: list[tuple[str, int, int]] = []
    build(make_project(), tmp_path / "site", BuildOptions(cache=False), progress=lambda stage, done, total: heard.append((stage, done, total)))
    stages = [stage for stage, _, _ in heard]
    assert stages.index("Checking reports") < stages.index("Writing pages")
    for stage in ("Checking reports", "Writing pages"):
        counts = [(done, total) for s, done, total in heard if s == stage]
        assert counts[-1][0] == counts[-1][1] > 0 and [d for d, _ in counts] == sorted(d for d, _ in counts)
