"""docs/content.md documents every schema field, and its tables are current."""

from __future__ import annotations

from conftest import REPO
from generator.editors.fielddocs import TABLES, field_table, update


def test_content_docs_tables_are_current() -> None:
    text = (REPO / "docs/content.md").read_text(encoding="utf-8")
    assert update(text) == text, "run: python -m generator.editors.fielddocs docs/content.md"
    for obj in TABLES.values():
        assert field_table(obj) in text


def test_every_field_has_a_row() -> None:
    table = field_table(TABLES["report"])
    for name in ("`claims[].quote.exact`", "`sources[].via`", "`corrections[].reason`", "`article.publish_text`"):
        assert name in table
