"""Field reference tables for docs/content.md, generated from the one schema in schema.py.

`python -m generator.editors.fielddocs docs/content.md` rewrites the tables between the
`<!-- fields:NAME -->` and `<!-- /fields -->` markers; a test fails when they are stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from generator.content import schema as s

TABLES: dict[str, s.Obj] = {"site": s.SITE, "person": s.PERSON, "report": s.REPORT, "page": s.PAGE}
_BLOCK = re.compile(r"(<!-- fields:(\w+) -->\n).*?(<!-- /fields -->)", re.S)
_KINDS: dict[type, str] = {
    s.Text: "text",
    s.Slug: "id",
    s.Url: "URL",
    s.Date: "date (YYYY-MM-DD)",
    s.Integer: "whole number",
    s.Boolean: "true/false",
    s.Color: "colour (#rrggbb)",
    s.Path: "path",
    s.Obj: "mapping",
}


def kind(spec: s.Spec) -> str:
    """A short, readable type name for a spec."""
    if isinstance(spec, s.Choice):
        return "one of: " + ", ".join(f"`{c}`" for c in spec.choices)
    if isinstance(spec, s.ListOf):
        return "list of " + ("mappings" if isinstance(spec.item, s.Obj) else kind(spec.item))
    if isinstance(spec, s.Text) and spec.markdown:
        return "markdown"
    return _KINDS[type(spec)]


def _rows(obj: s.Obj, prefix: str = "") -> list[str]:
    rows = []
    for f in obj.fields:
        name = prefix + f.name
        rows.append(f"| `{name}` | {kind(f.spec)} | {'yes' if f.required else ''} | {f.spec.doc} |")
        if isinstance(f.spec, s.Obj):
            rows += _rows(f.spec, name + ".")
        elif isinstance(f.spec, s.ListOf) and isinstance(f.spec.item, s.Obj):
            rows += _rows(f.spec.item, name + "[].")
    return rows


def field_table(obj: s.Obj) -> str:
    """The markdown table of every field of `obj`, nested fields with dotted names."""
    header = "| field | type | required | what it is |\n|---|---|---|---|\n"
    return header + "\n".join(_rows(obj)) + "\n"


def update(text: str) -> str:
    """`text` with every marked table regenerated."""
    return _BLOCK.sub(lambda m: m.group(1) + field_table(TABLES[m.group(2)]) + m.group(3), text)


def main(argv: list[str]) -> int:
    """Rewrite the tables in the given markdown files."""
    for name in argv:
        path = Path(name)
        path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
