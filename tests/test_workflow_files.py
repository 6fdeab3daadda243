"""The ready-made CI workflow and pre-commit hook run the check the way docs/editors.md says."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from conftest import REPO
from generator import cli


def load(rel: str) -> Any:
    """A YAML file of the repository."""
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


def test_workflow_checks_content_pull_requests_against_their_base() -> None:
    workflow = load(".github/workflows/check.yml")
    trigger = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert trigger == {"pull_request": {"paths": ["content/**", "seeds/**"]}}
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    assert steps[1] == {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}}
    assert [s.get("run") for s in steps[2:]] == ["pip install .", 'factcheck check --format github --since "origin/${{ github.base_ref }}"']


def test_workflow_command_parses() -> None:
    args = cli._parser().parse_args(["check", "--format", "github", "--since", "origin/main"])
    assert (args.format, args.since) == ("github", "origin/main")


def test_pre_commit_hook() -> None:
    [hook] = load(".pre-commit-hooks.yaml")
    assert hook["id"] == "factcheck-check"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("factcheck check", "python", False)
    pattern = re.compile(hook["files"])
    assert pattern.search("content/reports/a.yaml") and pattern.search("seeds/a.txt")
    assert not pattern.search("generator/cli.py") and not pattern.search("docs/content/x.md")


def test_vscode_maps_every_content_file_to_a_committed_schema() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {
        "./schema/report.schema.json": "content/reports/*.yaml",
        "./schema/site.schema.json": "content/site.yaml",
        "./schema/people.schema.json": "content/people.yaml",
    }
    for schema in mapping:
        assert (REPO / schema).is_file()
    guide = (REPO / "docs/editors.md").read_text(encoding="utf-8")
    assert json.dumps(settings, indent=2) in guide  # the guide shows the same settings
