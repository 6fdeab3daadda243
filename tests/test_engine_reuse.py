"""What preview rebuilds keep from the last one (report jobs, listing pages, groups, related lists) never goes stale.

Each test edits one thing that a kept piece is made from and checks the rebuild against a clean build,
and that the pages the edit leaves and enters show it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REPORT_YAML
from generator.build import render_site
from generator.preview.engine import Engine

CLAIMANTS = ["Jane Doe", "John Roe", "Ann Poe"]
TOPICS = ["Housing", "Budget", "Crime"]


def _report(n: int, claimant: str, topic: str, rating: str = "false") -> str:
    return (
        REPORT_YAML.replace("id: planet-rents", f"id: report-{n}")
        .replace("published: 2026-05-01", f"published: 2026-05-{n + 1:02d}")
        .replace("name: Jane Doe", f"name: {claimant}")
        .replace("topics: [Housing]", f"topics: [{topic}]")
        .replace('rating: "false"', f'rating: "{rating}"')
    )


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    """Twelve reports over three claimants and topics, listed five claims a page, so an edit shifts paginated lists."""
    files: dict[str, str | None] = {"content/reports/planet-rents.yaml": None}
    for n in range(12):
        files[f"content/reports/report-{n}.yaml"] = _report(n, CLAIMANTS[n % 3], TOPICS[n // 3 % 3])
    root: Path = make_project(files)
    site = root / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: en\n", "language: en\npage_size: 5\n"), encoding="utf-8")
    return root


def _rebuilt(engine: Engine, root: Path, changed: set[str] | None) -> dict[str, bytes]:
    """The engine's pages after a rebuild, checked equal to a clean build's."""
    outcome = engine.rebuild(changed)
    got = {p.path: p.data for p in (outcome.files.pages() if engine.lazy else outcome.result.pages)}
    assert got == {p.path: p.data for p in render_site(root).pages}
    return got


def _under(files: dict[str, bytes], prefix: str) -> bytes:
    """Every page under `prefix`, joined: what a listing and its pager pages show together."""
    return b"".join(data for path, data in files.items() if path.startswith(prefix))


def _before_and_after(project: Path, lazy: bool, n: int, old: str, new: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The files of a first rebuild, and of the rebuild after one edit to report n."""
    engine = Engine(project, lazy=lazy)
    before = _rebuilt(engine, project, None)
    rel = _edit(project, n, old, new)
    return before, _rebuilt(engine, project, {rel})


def _edit(root: Path, n: int, old: str, new: str) -> str:
    rel = f"content/reports/report-{n}.yaml"
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text
    (root / rel).write_text(text.replace(old, new), encoding="utf-8")
    return rel


@pytest.mark.parametrize("lazy", [False, True])
def test_a_rating_edit_leaves_one_rating_list_and_enters_another(project: Path, lazy: bool) -> None:
    """The claim moves from the false list to the true list; every shifted page of both follows."""
    _, after = _before_and_after(project, lazy, 4, 'rating: "false"', 'rating: "true"')
    falses = _under(after, "ratings/false/")
    trues = _under(after, "ratings/true/")
    assert b"report-4/claims/rents-doubled/" not in falses
    assert b"report-4/claims/rents-doubled/" in trues


@pytest.mark.parametrize("lazy", [False, True])
def test_a_claimant_edit_moves_claims_between_claimant_pages_and_related_lists(project: Path, lazy: bool) -> None:
    """Renaming a claim's claimant empties one group, fills another, and changes the related lists chosen by claimant."""
    before, after = _before_and_after(project, lazy, 3, "name: Jane Doe", "name: Zed Ray")
    assert "claimants/zed-ray/index.html" in after and "claimants/zed-ray/index.html" not in before
    assert b"report-3/" not in _under(after, "claimants/jane-doe/")
    # A claim page of another report by Jane Doe listed report-3's claim as related; now it does not.
    claim = "reports/report-0/claims/rents-doubled/index.html"
    assert b"report-3/claims/rents-doubled/" in before[claim]
    assert b"report-3/claims/rents-doubled/" not in after[claim]


@pytest.mark.parametrize("lazy", [False, True])
def test_a_topic_edit_updates_topic_lists_and_related_lists(project: Path, lazy: bool) -> None:
    """A report moved to another topic leaves its old topic's list and enters the new one's, and the hub counts follow."""
    before, after = _before_and_after(project, lazy, 1, "topics: [Housing]", "topics: [Crime]")
    assert b"report-1/" not in _under(after, "topics/housing/")
    assert b"report-1/" in _under(after, "topics/crime/")
    assert after["topics/index.html"] != before["topics/index.html"]


@pytest.mark.parametrize("lazy", [False, True])
def test_a_deleted_report_leaves_every_list(project: Path, lazy: bool) -> None:
    """A deleted report's pages are gone and no listing, hub or related list names it."""
    engine = Engine(project, lazy=lazy)
    _rebuilt(engine, project, None)
    rel = "content/reports/report-5.yaml"
    (project / rel).unlink()
    after = _rebuilt(engine, project, {rel})
    assert not any(path.startswith("reports/report-5/") for path in after)
    assert not any(b"report-5/" in data for path, data in after.items() if path.endswith(".html"))


@pytest.mark.parametrize("lazy", [False, True])
def test_a_renamed_file_keeps_its_report(project: Path, lazy: bool) -> None:
    """Renaming a report's file (its id unchanged) changes nothing the site shows; renaming it back neither."""
    engine = Engine(project, lazy=lazy)
    before = _rebuilt(engine, project, None)
    old, new = project / "content/reports/report-2.yaml", project / "content/reports/renamed.yaml"
    old.rename(new)
    assert _rebuilt(engine, project, {"content/reports/report-2.yaml", "content/reports/renamed.yaml"}) == before
    _edit(project, 0, "Rents rose 38%", "Rents rose 39%")
    new.rename(old)
    after = _rebuilt(engine, project, None)
    assert b"Rents rose 39%" in after["reports/report-0/index.html"]


def test_a_theme_string_edit_renames_the_kept_report_jobs(project: Path) -> None:
    """Report jobs kept from the last rebuild are planned again when the strings their titles come from change."""
    _edit(project, 0, "  snapshot: seeds/planet.txt\n", "  snapshot: seeds/planet.txt\n  publish_text: true\n")
    engine = Engine(project)
    before = _rebuilt(engine, project, None)
    article = "reports/report-0/article/index.html"
    assert b"Annotated:" in before[article]
    strings = project / "content/i18n/en.yaml"
    strings.parent.mkdir(parents=True, exist_ok=True)
    strings.write_text('article.title: "Marked up: {headline}"\n', encoding="utf-8")
    after = _rebuilt(engine, project, {"content/i18n/en.yaml"})
    assert b"Marked up:" in after[article]


def test_two_edits_in_a_row_without_reading_keep_the_lazy_engine_right(project: Path) -> None:
    """A lazy engine whose pages nobody read carries both edits' changes into the next pages made."""
    engine = Engine(project, lazy=True)
    _rebuilt(engine, project, None)
    first = _edit(project, 6, "name: Jane Doe", "name: John Roe")
    engine.rebuild({first})
    second = _edit(project, 7, "topics: [Crime]", "topics: [Housing]")
    engine.rebuild({second})
    third = _edit(project, 8, 'rating: "false"', 'rating: "half-true"')
    _rebuilt(engine, project, {third})
