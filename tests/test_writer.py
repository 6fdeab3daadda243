"""Writing an import (generator/importer/writer.py): safe YAML, comments kept, nothing overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.importer.plan import PlannedReport
from generator.importer.writer import add_people, add_ratings, dump, existing_ids, report_text, write_all

HOSTILE = ["yes", "no", "~", "null", "2024-01-01", "1e3", "- x", "a: b", "#c", "&a", "*a", "!!python/object:os.system", "'\"", "{x}", "[x]"]
HOSTILE += ["% y", "@z", "`t`", " lead", "trail ", "x\\ny", "é\u00a0ü", "x\ny", "\u2028", "\x85"]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_string_reads_back_as_itself(text: str) -> None:
    values = {"title": text, "list": [text], "nested": {text: text}, "date": dt.date(2024, 1, 1)}
    assert yaml.safe_load(dump(values)) == values


def test_report_text_has_comments_then_values() -> None:
    text = report_text(PlannedReport("x", {"id": "x", "title": "a: b"}, ("Imported from f",), "f", 1))
    assert text.splitlines()[:2] == ["# yaml-language-server: $schema=../../schema/report.schema.json", "# Imported from f"]
    assert yaml.safe_load(text) == {"id": "x", "title": "a: b"}


SITE = """\
title: T
ratings:
  # the scale
  scale:
    - {key: "true", label: "True", definition: D., value: 1, color: "#000000"}
  other:
    - key: unproven   # kept
      label: Unproven
      definition: D.
      color: "#59636e"
theme: default
"""


def test_ratings_are_appended_with_comments_kept() -> None:
    new = [{"key": "satire", "label": "Satire: 'x'", "definition": "TODO", "color": "#59636e"}]
    text = add_ratings(SITE, new)
    assert text is not None and "# kept" in text and "# the scale" in text and text.endswith("theme: default\n")
    assert yaml.safe_load(text)["ratings"]["other"][-1] == new[0]
    without_other = SITE.split("  other:")[0] + "theme: default\n"
    text = add_ratings(without_other, new)
    assert text is not None and yaml.safe_load(text)["ratings"]["other"] == new
    assert add_ratings("ratings: {scale: []}\n", new) is None


def test_people_are_appended() -> None:
    text = add_people("- id: ann\n  name: Ann\n", [{"id": "bob", "name": "Bob: the editor"}])
    assert text is not None and yaml.safe_load(text)[1] == {"id": "bob", "name": "Bob: the editor"}
    assert add_people("people: []\n", [{"id": "bob", "name": "Bob"}]) is None


OTHER_FIRST = """ratings:
  other:
    - key: unproven
      label: Unproven
  scale:
    - key: "true"
      label: "True"
      value: 4
theme: default
"""


def test_ratings_added_where_other_comes_before_the_scale_leave_the_rest_as_it_was() -> None:
    """The list ends where the next key's indentation starts: the scale stayed in the mapping, nothing else moved."""
    new = [{"key": "weird-one", "label": "Weird One"}]
    for source in (OTHER_FIRST, OTHER_FIRST.replace("\n", "\r\n")):
        text = add_ratings(source, new)
        assert text is not None
        read = yaml.safe_load(text)
        assert read["ratings"]["scale"] == yaml.safe_load(OTHER_FIRST)["ratings"]["scale"] and read["theme"] == "default"
        assert read["ratings"]["other"] == [{"key": "unproven", "label": "Unproven"}, *new]
        assert text.count("\n") == text.count("\r\n") or "\r\n" not in text  # the file's own line endings


@pytest.mark.parametrize(
    "people",
    [
        "# our desk\n  - id: ann\n    name: Ann\n",  # the list indented under a comment
        "- id: ann\n  name: Ann\n...\n",  # a document end marker
        "%YAML 1.1\n---\n- id: ann\n  name: Ann\n",
        "- &desk {id: ann, name: Ann}\n",
        "-   id: ann\n    name: Ann\n",
    ],
)
def test_people_are_appended_to_any_block_list_check_accepts(people: str) -> None:
    text = add_people(people, [{"id": "bob", "name": "Bob"}])
    assert text is not None and yaml.safe_load(text) == [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}]


def test_an_edit_that_would_change_anything_else_is_refused() -> None:
    assert add_people("- id: ann\n  name: Ann\n- [broken\n", [{"id": "bob", "name": "Bob"}]) is None
    assert add_ratings("ratings:\n  other:\n    - key: u\n      label: U\n  other2: &a [x]\n", [{"key": "w", "label": "W"}]) is not None
    assert add_ratings("ratings:\n  other:\n    - key: u\n  scale: [\n", [{"key": "w", "label": "W"}]) is None


def test_files_are_created_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "content/reports").mkdir(parents=True)
    (tmp_path / "content/reports/old.yaml").write_text("id: kept-id\n", encoding="utf-8")
    assert existing_ids(tmp_path) == {"old", "kept-id"}
    with pytest.raises(FileExistsError):
        write_all(tmp_path, [PlannedReport("new", {"id": "new"}, (), "f", 1), PlannedReport("old", {"id": "old"}, (), "f", 1)], {})
    assert (tmp_path / "content/reports/old.yaml").read_text(encoding="utf-8") == "id: kept-id\n"
    assert not (tmp_path / "content/reports/new.yaml").exists()


def test_a_link_where_a_file_would_go_stops_the_import_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "content/reports").mkdir(parents=True)
    (tmp_path / "content/reports/b.yaml").symlink_to(tmp_path / "nothing")  # dangling: its name is still taken
    assert existing_ids(tmp_path) == {"b"}
    with pytest.raises(PermissionError, match=r"content/reports/b\.yaml is a symbolic link"):
        write_all(tmp_path, [PlannedReport("a", {"id": "a"}, (), "f", 1), PlannedReport("b", {"id": "b"}, (), "f", 1)], {})
    assert not (tmp_path / "content/reports/a.yaml").exists() and not (tmp_path / "nothing").exists()


def test_ids_of_reports_in_subfolders_are_taken(tmp_path: Path) -> None:
    """Reports may live in subfolders of content/reports/: an import took their ids again, and check then failed."""
    (tmp_path / "content/reports/2024").mkdir(parents=True)
    (tmp_path / "content/reports/2024/old.yaml").write_text("id: bus-fares\n", encoding="utf-8")
    (tmp_path / "content/reports/2024/rents.yaml").write_text("title: x\n", encoding="utf-8")
    assert existing_ids(tmp_path) == {"old", "bus-fares", "rents"}


def test_an_id_line_is_read_as_check_reads_it(tmp_path: Path) -> None:
    """`id: buses  # the URL slug` was taken as 'buses  # the URL slug', and an import made a second 'buses'."""
    (tmp_path / "content/reports").mkdir(parents=True)
    (tmp_path / "content/reports/a.yaml").write_text("id: buses  # the URL slug\n", encoding="utf-8")
    (tmp_path / "content/reports/b.yaml").write_text("id: 'trams'\n", encoding="utf-8")
    (tmp_path / "content/reports/c.yaml").write_text('id: "ferries" # quoted\n', encoding="utf-8")
    assert existing_ids(tmp_path) == {"a", "b", "c", "buses", "trams", "ferries"}


def test_a_failed_write_puts_back_every_file_it_replaced(tmp_path: Path) -> None:
    """people.yaml is replaced before site.yaml: when site.yaml fails, people.yaml is as it was, whatever else is in the way."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content/people.yaml").write_bytes(b"- id: ann\r\n  name: Ann\r\n")
    (tmp_path / "content/site.yaml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "content/site.yaml.import-tmp").mkdir()  # in the way of the second write, and not removable as a file
    extra = {"content/people.yaml": "- id: ann\n  name: Ann\n- id: bob\n  name: Bob\n", "content/site.yaml": "title: y\n"}
    with pytest.raises(OSError):
        write_all(tmp_path, [PlannedReport("new", {"id": "new"}, (), "f", 1)], extra)
    assert (tmp_path / "content/people.yaml").read_bytes() == b"- id: ann\r\n  name: Ann\r\n"
    assert (tmp_path / "content/site.yaml").read_text(encoding="utf-8") == "title: x\n"
    assert not (tmp_path / "content/reports/new.yaml").exists()
