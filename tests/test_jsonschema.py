"""JSON Schema for editors' tools: generated from generator/schema.py, committed, and true to the content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import REPO, minimal_project, write_tree
from generator import cli
from generator.editors.jsonschema import SCHEMAS, document_schema, render_schema, schema_path, write_schemas

# Keywords that mean the same in draft-07 and 2020-12: editors' YAML servers still validate with draft-07.
PORTABLE_KEYWORDS = {
    "$schema",
    "$comment",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "uniqueItems",
    "enum",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
}


def committed(name: str) -> dict[str, Any]:
    """The committed schema file, parsed."""
    return json.loads((REPO / schema_path(name)).read_text(encoding="utf-8"))


def plain(value: Any) -> Any:
    """YAML values as JSON sees them: dates become the strings editors typed."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(name: str, data: Any) -> list[str]:
    """Messages of the committed schema `name` for `data`, sorted."""
    validator = jsonschema.Draft202012Validator(committed(name))
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(plain(data)))


def front_matter(path: Path) -> Any:
    """The YAML front matter of a markdown page."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def walk(node: dict[str, Any], where: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every schema node with its path."""
    found = [(where, node)]
    for key, sub in node.get("properties", {}).items():
        found += walk(sub, f"{where}.{key}")
    if isinstance(node.get("items"), dict):
        found += walk(node["items"], f"{where}[]")
    return found


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(name: str) -> None:
    text = (REPO / schema_path(name)).read_text(encoding="utf-8")
    assert text == render_schema(name), f"{schema_path(name)} is stale: run `factcheck schema --write` and commit it"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_2020_12_and_portable(name: str) -> None:
    schema = document_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(schema)
    for where, node in walk(schema):
        assert set(node) <= PORTABLE_KEYWORDS, f"{name}{where} uses {set(node) - PORTABLE_KEYWORDS}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_has_a_description(name: str) -> None:
    for where, node in walk(document_schema(name)):
        assert node.get("description", "").strip(), f"{name}{where} has no description"


def test_objects_reject_unknown_fields_and_list_required_ones() -> None:
    report = document_schema("report")
    assert report["additionalProperties"] is False
    assert report["required"] == ["id", "title", "summary", "status", "published", "authors", "article", "claims", "sources"]
    claim = report["properties"]["claims"]["items"]
    assert claim["properties"]["verdict"]["properties"]["rating"]["pattern"] == r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert report["properties"]["status"]["enum"] == ["draft", "in-review", "published", "withdrawn"]


def test_bundled_content_validates_against_committed_schema() -> None:
    content = REPO / "content"
    assert errors("site", yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))) == []
    assert errors("people", yaml.safe_load((content / "people.yaml").read_text(encoding="utf-8"))) == []
    reports = sorted((content / "reports").glob("*.yaml"))
    assert reports
    for path in reports:
        assert errors("report", yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path.name
    pages = sorted((content / "pages").glob("*.md"))
    assert pages
    for path in pages:
        assert errors("page", front_matter(path)) == [], path.name


def test_test_project_validates_too() -> None:
    files = minimal_project()
    assert errors("report", yaml.safe_load(files["content/reports/planet-rents.yaml"])) == []
    assert errors("site", yaml.safe_load(files["content/site.yaml"])) == []


def test_schema_flags_the_mistakes_editors_make() -> None:
    report = yaml.safe_load(minimal_project()["content/reports/planet-rents.yaml"])
    report["statut"] = "draft"  # typo in a key
    report["status"] = "publish"
    report["claims"][0]["verdict"]["rating"] = True  # `rating: true` unquoted is a boolean in YAML
    report["claims"][1]["id"] = "Shelter Spend"
    report["article"]["url"] = "javascript:alert(1)"
    report["published"] = "1 May 2026"
    del report["summary"]
    found = errors("report", report)
    assert found == [
        ": 'summary' is a required property",
        ": Additional properties are not allowed ('statut' was unexpected)",
        "article/url: 'javascript:alert(1)' does not match '^[hH][tT][tT][pP][sS]?://[^\\\\s/?#]+[^\\\\s]*$'",
        "claims/0/verdict/rating: True is not of type 'string'",
        "claims/1/id: 'Shelter Spend' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'",
        "published: '1 May 2026' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'",
        "status: 'publish' is not one of ['draft', 'in-review', 'published', 'withdrawn']",
    ]


def test_snapshot_path_may_not_leave_the_project() -> None:
    report = yaml.safe_load(minimal_project()["content/reports/planet-rents.yaml"])
    for bad in ("/etc/passwd", "seeds/../../secret.txt", "..", "seeds\\x.txt"):
        report["article"]["snapshot"] = bad
        assert errors("report", report), bad
    report["article"]["snapshot"] = "seeds/sub/article..txt"
    assert errors("report", report) == []


def test_cli_prints_one_schema_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "people"]) == 0
    assert capsys.readouterr().out == render_schema("people")
    assert cli.main(["schema"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert list(everything) == ["report", "site", "people", "page"]
    assert everything["report"] == committed("report")


def test_cli_write_creates_then_leaves_files_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(tmp_path / "p", minimal_project(), theme=False)
    assert cli.main(["--root", str(root), "schema", "--write"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"Wrote {schema_path(n)}." for n in ("report", "site", "people", "page")]
    assert (root / "schema/report.schema.json").read_text(encoding="utf-8") == render_schema("report")
    assert cli.main(["--root", str(root), "schema", "site", "--write"]) == 0
    assert capsys.readouterr().out == "schema/site.schema.json is up to date.\n"
    (root / "schema/site.schema.json").write_text("{}", encoding="utf-8")
    assert write_schemas(root, ["site"]) == [("schema/site.schema.json", True)]


def test_schema_write_refuses_a_link_in_the_files_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "content/site.yaml").write_text("title: T\n", encoding="utf-8")
    (root / "schema").mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    (root / "schema/report.schema.json").symlink_to(victim)
    assert cli.main(["schema", "report", "--write", "--root", str(root)]) == 1
    assert "schema/report.schema.json is a symbolic link: refusing to write through it" in capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "mine"


def test_text_shown_on_every_page_has_its_hard_limit_as_max_length() -> None:
    """An editor's tool flags a site description over the length `check` refuses, before the commit."""
    site = document_schema("site")
    assert site["properties"]["description"]["maxLength"] == 1000
    assert site["properties"]["title"]["maxLength"] == 200
    assert "maxLength" not in document_schema("report")["properties"]["summary"]
