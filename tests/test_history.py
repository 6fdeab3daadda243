"""`check --since`: published verdicts cannot change without a corrections entry."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SITE_YAML
from generator import cli
from generator.build import BuildOptions, build
from generator.diagnostics import Diagnostic
from generator.editors import history
from generator.editors.history import check_since, correction_yaml

TODAY = dt.date(2026, 6, 3)
REPORT = "content/reports/planet-rents.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is part of the CI image; this guards odd local setups")


def git(root: Path, *args: str) -> str:
    """Run git in the test repository."""
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def init_repo(root: Path) -> Path:
    """Make `root` a git repository with everything committed."""
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test Editor")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "config", "commit.gpgsign", "false")
    commit(root, "initial")
    return root


def commit(root: Path, message: str) -> None:
    """Commit every change in the working tree."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` (which must occur once) with `new` in a file."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_correction(root: Path, entry: str, rel: str = REPORT) -> None:
    """Append a corrections entry (YAML lines as in the hint) to a report."""
    path = root / rel
    text = path.read_text(encoding="utf-8").replace("corrections: []\n", "")
    if "\ncorrections:\n" not in text:
        text += "corrections:\n"
    indented = "\n".join("  " + line for line in entry.splitlines())
    path.write_text(text + indented + "\n", encoding="utf-8")


def filled(entry: str) -> str:
    """The hint's entry with change and reason written."""
    return entry.replace("change:  # what changed, in a sentence readers will see", "change: We changed it.").replace(
        "reason:  # why it changed", "reason: New evidence."
    )


def since(root: Path, ref: str = "HEAD") -> list[Diagnostic]:
    return check_since(root, ref, today=TODAY)


@pytest.fixture
def repo(make_project: Callable[..., Path]) -> Path:
    """The minimal project (one published report) in a fresh git repository."""
    return init_repo(make_project())


def test_unchanged_project_passes(repo: Path) -> None:
    assert since(repo) == []


def test_rating_change_without_correction_is_an_error(repo: Path) -> None:
    edit(repo, REPORT, 'rating: "false"', "rating: half-true")
    [d] = since(repo)
    assert (d.path, d.field, d.is_error) == (REPORT, "claims[rents-doubled].verdict.rating", True)
    assert (d.line, d.col) == (22, 15)
    assert d.message == (
        "the rating of published claim 'rents-doubled' in report 'planet-rents' changed from 'false' to 'half-true' since HEAD, "
        "but no corrections entry records it"
    )
    first, yaml_text = d.hint.split("\n", 1)
    assert first.startswith("add this entry to the report's corrections list")
    assert yaml.safe_load(yaml_text) == [
        {"date": TODAY, "type": "rating-change", "claim": "rents-doubled", "from": "false", "to": "half-true", "change": None, "reason": None}
    ]


def test_the_hinted_entry_once_written_makes_it_pass(repo: Path) -> None:
    edit(repo, REPORT, 'rating: "false"', "rating: half-true")
    [d] = since(repo)
    add_correction(repo, filled(d.hint.split("\n", 1)[1]))
    assert since(repo) == []


def test_renaming_a_key_of_the_scale_asks_for_no_correction(repo: Path) -> None:
    """A key renamed in site.yaml and in every report changes the scale, not a verdict: a correction could not name the old key."""
    edit(repo, "content/site.yaml", '{key: "false", label: "False"', '{key: "not-true", label: "False"')
    edit(repo, REPORT, 'rating: "false"', "rating: not-true")
    assert since(repo) == []


def test_a_verdict_moved_to_another_key_while_its_key_is_renamed_still_needs_its_entry(repo: Path) -> None:
    """From review: renaming 'false' and moving the claim to 'true' in the same change would flip a verdict silently."""
    edit(repo, "content/site.yaml", '{key: "false", label: "False"', '{key: "incorrect", label: "False"')
    edit(repo, REPORT, 'rating: "false"', 'rating: "true"')
    [d] = since(repo)
    assert "changed from 'false' to 'true'" in d.message


def test_a_key_split_over_two_new_keys_is_no_rename(repo: Path) -> None:
    """Every claim of a renamed key goes to the same new key; split over two, each claim needs its entry."""
    text = (repo / REPORT).read_text(encoding="utf-8")
    (repo / "content/reports/copy.yaml").write_text(text.replace("id: planet-rents", "id: planet-copy"), encoding="utf-8")
    commit(repo, "a second report rating false")
    edit(repo, "content/site.yaml", '{key: "false", label: "False"', '{key: "incorrect", label: "False"')
    wrong = '{key: "wrong", label: "Wrong", definition: W., value: 5, color: "#000000"}'
    edit(repo, "content/site.yaml", '{key: "true", label: "True"', wrong + '\n    - {key: "true", label: "True"')
    edit(repo, REPORT, 'rating: "false"', "rating: incorrect")
    edit(repo, "content/reports/copy.yaml", 'rating: "false"', "rating: wrong")
    assert len(since(repo)) == 2
    edit(repo, "content/reports/copy.yaml", "rating: wrong", "rating: incorrect")
    assert since(repo) == []  # both to the same new key: a rename


def test_entry_must_match_claim_and_ratings(repo: Path) -> None:
    edit(repo, REPORT, 'rating: "false"', "rating: half-true")
    add_correction(repo, filled(correction_yaml("rating-change", "rents-doubled", "false", "unproven", TODAY)))
    assert [d.field for d in since(repo)] == ["claims[rents-doubled].verdict.rating"]


def test_an_older_entry_does_not_excuse_a_new_change(repo: Path) -> None:
    # At the base the log already records false -> true and true -> false for this claim.
    add_correction(repo, filled(correction_yaml("rating-change", "rents-doubled", "false", "true", TODAY)))
    add_correction(repo, filled(correction_yaml("rating-change", "rents-doubled", "true", "false", TODAY)))
    commit(repo, "two corrections")
    edit(repo, REPORT, 'rating: "false"', 'rating: "true"')
    [d] = since(repo)
    assert "changed from 'false' to 'true'" in d.message
    assert 'to: "true"' in d.hint


def test_removed_claim_needs_claim_removed_entry(repo: Path) -> None:
    text = (repo / REPORT).read_text(encoding="utf-8")
    start, end = text.index("  - id: shelter-spend"), text.index("sources:\n  - id: stats-rents")
    (repo / REPORT).write_text(text[:start] + text[end:], encoding="utf-8")
    [d] = since(repo)
    assert (d.field, d.line) == ("claims", 16)
    assert d.message == "published claim 'shelter-spend' (rated true) was removed from report 'planet-rents' since HEAD, but no corrections entry records it"
    assert yaml.safe_load(d.hint.split("\n", 1)[1])[0]["type"] == "claim-removed"
    add_correction(repo, filled(d.hint.split("\n", 1)[1]))
    assert since(repo) == []


def test_unpublishing_needs_an_unpublished_entry(repo: Path) -> None:
    edit(repo, REPORT, "status: published", "status: draft")
    [d] = since(repo)
    assert (d.field, d.line, d.col) == ("status", 4, 9)
    assert d.message == "report 'planet-rents' was published at HEAD and is now 'draft', but no corrections entry of type 'unpublished' records it"
    add_correction(repo, filled(correction_yaml("unpublished", today=TODAY)))
    assert since(repo) == []


def test_withdrawing_needs_a_withdrawn_entry(repo: Path) -> None:
    """Withdrawing is unpublishing in public: an 'unpublished' entry does not do, a 'withdrawn' one does."""
    edit(repo, REPORT, "status: published", "status: withdrawn")
    add_correction(repo, filled(correction_yaml("unpublished", today=TODAY)))
    [d] = since(repo)
    assert d.message == "report 'planet-rents' was published at HEAD and is now 'withdrawn', but no corrections entry of type 'withdrawn' records it"
    assert yaml.safe_load(d.hint.split("\n", 1)[1])[0]["type"] == "withdrawn"
    add_correction(repo, filled(correction_yaml("withdrawn", today=TODAY)))
    assert since(repo) == []


def test_deleting_a_published_report_is_an_error(repo: Path) -> None:
    (repo / REPORT).unlink()
    [d] = since(repo)
    assert (d.path, d.line) == (REPORT, 0)
    assert d.message.startswith("published report 'planet-rents' was deleted or renamed since HEAD")
    assert d.hint.startswith("restore the file, set status: draft, and add this entry")


def test_moving_a_report_to_another_file_is_fine(repo: Path) -> None:
    (repo / REPORT).rename(repo / "content/reports/2026-planet-rents.yaml")
    assert since(repo) == []
    edit(repo, "content/reports/2026-planet-rents.yaml", 'rating: "false"', "rating: unproven")
    assert [d.path for d in since(repo)] == ["content/reports/2026-planet-rents.yaml"]


def test_moving_a_report_into_a_subfolder_is_fine(repo: Path) -> None:
    """Reports in subfolders are read by the build, so a report moved into one is not deleted."""
    (repo / "content/reports/2026").mkdir()
    (repo / REPORT).rename(repo / "content/reports/2026/planet-rents.yaml")
    assert since(repo) == []
    edit(repo, "content/reports/2026/planet-rents.yaml", 'rating: "false"', "rating: unproven")
    assert [d.path for d in since(repo)] == ["content/reports/2026/planet-rents.yaml"]


def test_draft_reports_change_freely(repo: Path) -> None:
    edit(repo, REPORT, "status: published", "status: draft")
    add_correction(repo, filled(correction_yaml("unpublished", today=TODAY)))
    commit(repo, "unpublish")
    edit(repo, REPORT, 'rating: "false"', "rating: unproven")
    assert since(repo) == []
    assert [d.field for d in since(repo, "HEAD~1")] == ["claims[rents-doubled].verdict.rating"]


def test_committed_changes_count_against_an_older_ref(repo: Path) -> None:
    edit(repo, REPORT, 'rating: "true"', "rating: half-true")
    commit(repo, "change a verdict")
    assert since(repo) == []
    assert "from 'true' to 'half-true' since HEAD~1" in since(repo, "HEAD~1")[0].message


def test_broken_file_is_left_to_the_main_check(repo: Path) -> None:
    (repo / REPORT).write_text("id: [unclosed\n", encoding="utf-8")
    assert since(repo) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("status: published", "status: publishd"),  # not a status: no claim that it was unpublished
        ("- id: shelter-spend", "- id: Shelter Spend"),  # an id that does not parse: the claim is not "removed"
        ('rating: "false"', "rating: Mostly False"),  # a rating that does not parse: no "change" to report
        ('rating: "false"', "rating: halftrue"),  # not on the scale: an entry naming it would be a second error
    ],
)
def test_typos_are_left_to_the_main_check(repo: Path, old: str, new: str) -> None:
    edit(repo, REPORT, old, new)
    assert since(repo) == []


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path, make_project: Callable[..., Path]) -> None:
    project = make_project()
    init_repo(tmp_path)  # the repository is the parent of the project folder
    edit(project, REPORT, 'rating: "false"', "rating: half-true")
    assert [d.path for d in since(project)] == [REPORT]


def test_unknown_or_option_like_ref_is_an_error(repo: Path) -> None:
    [d] = since(repo, "origin/main")
    assert (d.is_error, d.message) == (True, "--since: unknown git revision 'origin/main'")
    assert "fetch-depth: 0" in d.hint
    [d] = since(repo, "--output=/tmp/x")
    assert d.message == "--since: '--output=/tmp/x' is not a git revision"
    assert not Path("/tmp/x").exists()


def test_outside_a_repository_warns_and_skips(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project({"content/site.yaml": SITE_YAML + "base_url: https://checks.example/\n"})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # do not find a repository above tmp
    [d] = since(project)
    assert (d.is_error, d.path) == (False, "content/reports")
    assert d.message == (
        "not compared with 'HEAD': the project folder is not in a git repository "
        "(fatal: not a git repository (or any of the parent directories): .git); the --since check was skipped"
    )


def test_without_git_warns_and_skips(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history.shutil, "which", lambda _name: None)
    [d] = since(repo)
    assert (d.is_error, d.message) == (False, "not compared with 'HEAD': git is not installed; the --since check was skipped")


def test_cli_runs_the_other_checks_when_git_is_missing(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"content/site.yaml": SITE_YAML + "base_url: https://checks.example/\n"})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert cli.main(["--root", str(project), "check", "--since", "HEAD"]) == 0
    captured = capsys.readouterr()
    assert "the --since check was skipped" in captured.err
    assert captured.out == "Check passed with 1 warning.\n"
    edit(project, REPORT, 'rating: "false"', "rating: halftrue")
    assert cli.main(["--root", str(project), "check", "--since", "HEAD"]) == 1
    assert "unknown rating 'halftrue'" in capsys.readouterr().err


def test_bundled_report_verdict_change_fails_until_corrected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's acceptance test, on a copy of the repository's content (the real content/ is never touched)."""
    root = tmp_path / "copy"
    for folder in ("content", "seeds", "themes"):
        shutil.copytree(REPO / folder, root / folder)
    init_repo(root)
    rel = "content/reports/nextfin-trump-ai-safety-order.yaml"
    text = (root / rel).read_text(encoding="utf-8")
    claim_at = text.index("  - id: halted-signing")
    rating_at = text.index("rating: mostly-true", claim_at)
    (root / rel).write_text(text[:rating_at] + 'rating: "false"' + text[rating_at + len("rating: mostly-true") :], encoding="utf-8")

    assert cli.main(["--root", str(root), "check", "--since", "HEAD"]) == 1
    err = capsys.readouterr().err
    assert "published claim 'halted-signing' in report 'nextfin-trump-ai-safety-order' changed from 'mostly-true' to 'false'" in err
    assert err.rstrip().endswith("Check failed: 1 error in 1 file.")

    entry = """\
  - date: 2026-11-27
    type: rating-change
    claim: halted-signing
    from: mostly-true
    to: "false"
    change: We changed the rating of the claim that Trump halted the signing from Mostly true to False.
    reason: A test of the corrections workflow.
"""
    if "corrections: []\n" in text:
        edit(root, rel, "corrections: []\n", "corrections:\n" + entry)
    else:  # the report already has a corrections log, which is its last key: append to it
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(entry)
    assert cli.main(["--root", str(root), "check", "--since", "HEAD"]) == 0
    assert capsys.readouterr().out == "Check passed: no problems found.\n"

    out = tmp_path / "site"
    build(root, out, BuildOptions())
    for page in ("reports/nextfin-trump-ai-safety-order/index.html", "reports/nextfin-trump-ai-safety-order/claims/halted-signing/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        banner = html[html.index('class="banner banner-correction"') :]
        assert "Mostly true" in banner[:1500] and "False" in banner[:1500]
        if "/claims/" in page:  # the claim's page gives the correction in full
            assert "We changed the rating of the claim that Trump halted the signing" in banner[:1500], page
        else:  # the report's page names the claim and points to the log at its foot
            assert "Trump halted signing an order for AI model reviews</a>: rating changed from" in banner[:2000], page
