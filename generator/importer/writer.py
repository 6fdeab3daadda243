"""Write an import: report files created new (never overwriting), then people.yaml and site.yaml, or nothing."""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from generator.content.files import write_refusal
from generator.importer.plan import PlannedReport

REPORTS = "content/reports"
SITE = "content/site.yaml"
PEOPLE = "content/people.yaml"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper, writing a repeated value twice rather than as an alias."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write anchors and aliases."""
        return True


def dump(values: object) -> str:
    """YAML that reads back as exactly `values`: only plain data, every string quoted where it must be."""
    return yaml.dump(values, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def report_text(report: PlannedReport) -> str:
    """The report file: a comment header, the schema hint for editors, then the values."""
    # Comment lines come from cleaned text and http(s) URLs, which hold no line breaks.
    header = ["# yaml-language-server: $schema=../../schema/report.schema.json", *(f"# {line}" for line in report.comments)]
    return "\n".join(header) + "\n" + dump(report.values)


def _id_of(line: str) -> str:
    """The id an `id:` line gives, as `check` reads it: quotes and a trailing comment are not part of it."""
    try:
        value = yaml.load(line, Loader=yaml.BaseLoader)  # every value as the text written
    except yaml.YAMLError:
        return line[3:].strip()
    return str(value.get("id", "")) if isinstance(value, dict) else line[3:].strip()


def existing_ids(root: Path) -> set[str]:
    """Ids (file names and `id:` lines) of the project's reports, subfolders too, which an import must not take."""
    taken: set[str] = set()
    for path in sorted((root / REPORTS).rglob("*.yaml")):
        taken.add(path.stem)
        if path.is_symlink() or not path.is_file():  # its name is taken; what it points to is not ours to read
            continue
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("id:"):
                    taken.add(_id_of(line))
                    break
    return taken


# The loader `check` reads with (libyaml where installed), so that what one accepts the other reads alike.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node(mapping: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _compose(text: str) -> tuple[yaml.Node | None, object] | None:
    """The document's node tree and its value; None if it is not one YAML document."""
    try:
        return yaml.compose(text, Loader=_LOADER), yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None


def _line_start(text: str, at: int) -> int:
    """`at`, moved back to the start of its line when only indentation precedes it there.

    A block collection ends where the next token starts, past the indentation of a following, less
    indented key: text inserted there would leave that key at column 0, outside its mapping.
    """
    start = text.rfind("\n", 0, at) + 1
    return start if not text[start:at].strip() else at


def _spliced(text: str, at: int, block: str) -> str:
    """`block` (lines ending in LF) inserted at `at`, in the text's own line endings."""
    newline = "\r\n" if "\r\n" in text else "\n"
    head = text[:at]
    # A block collection ends where the next line starts; at the end of the file it may lack a newline.
    head = head if head.endswith("\n") or not head else head + newline
    return head + block.replace("\n", newline) + text[at:]


def _same_but(text: str, expected: object) -> str | None:
    """`text` if it reads back as exactly `expected`, else None: an edit must change nothing but what it adds."""
    read = _compose(text)
    return text if read is not None and read[1] == expected else None


def add_ratings(site_text: str, ratings: Sequence[dict[str, str]]) -> str | None:
    """site.yaml with `ratings` appended to ratings.other, comments kept; None if its layout is not one we can edit."""
    read = _compose(site_text)
    if read is None or not isinstance(read[1], dict) or not isinstance(read[1].get("ratings"), dict):
        return None
    root, value = read[0], dict(read[1])
    scale: dict[str, Any] = dict(value["ratings"])
    found = _node(root, "ratings") if root is not None else None
    if found is None or not isinstance(found[1], yaml.MappingNode) or found[1].flow_style or not found[1].value:
        return None
    key_col = found[1].value[0][0].start_mark.column
    other = _node(found[1], "other")
    if other is not None and (not isinstance(other[1], yaml.SequenceNode) or other[1].flow_style or not other[1].value):
        return None
    item_col = other[1].start_mark.column if other is not None else key_col + 2  # where its first dash is
    block = "".join(" " * item_col + line + "\n" for line in dump(list(ratings)).splitlines())
    at = _line_start(site_text, other[1].end_mark.index if other is not None else found[1].end_mark.index)
    text = _spliced(site_text, at, ("" if other is not None else " " * key_col + "other:\n") + block)
    expected = {**value, "ratings": {**scale, "other": [*(scale.get("other") or []), *ratings]}}
    return _same_but(text, expected)


def add_people(people_text: str, people: Sequence[dict[str, str]]) -> str | None:
    """people.yaml with `people` appended to its list, at the list's own indentation; None if it is not a block list."""
    read = _compose(people_text)
    if read is None or not (read[1] is None or isinstance(read[1], list)):
        return None
    root, value = read[0], list(read[1] or [])
    if isinstance(root, yaml.SequenceNode) and (root.flow_style or not root.value):
        return None
    column = root.start_mark.column if isinstance(root, yaml.SequenceNode) else 0  # where its first dash is
    at = _line_start(people_text, root.end_mark.index) if isinstance(root, yaml.SequenceNode) else len(people_text)
    block = "".join(" " * column + line + "\n" for line in dump(list(people)).splitlines())
    return _same_but(_spliced(people_text, at, block), [*value, *people])


def _undo(created: Sequence[Path], replaced: dict[Path, bytes]) -> list[str]:
    """Put back the files replaced and remove those created, each on its own; the paths that could not be undone."""
    left: list[str] = []
    # The replaced files first: an edited site.yaml or people.yaml matters more than a stray new file.
    for path, data in replaced.items():
        try:
            path.write_bytes(data)
        except OSError:
            left.append(str(path))
    for path in created:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            if path.exists() and not path.name.endswith(".import-tmp"):  # a temporary file in the way was never ours
                left.append(str(path))
    return left


def write_all(root: Path, reports: Sequence[PlannedReport], extra: dict[str, str]) -> list[str]:
    """Create every report file (exclusively) and replace `extra` files (path -> text); on any failure undo and re-raise."""
    for target in [*(f"{REPORTS}/{report.id}.yaml" for report in reports), *(name for rel in extra for name in (rel, f"{rel}.import-tmp"))]:
        refused = write_refusal(root, target)
        if refused:  # before anything is written
            raise PermissionError(errno.EPERM, refused, str(root / target))
    created: list[Path] = []
    replaced: dict[Path, bytes] = {}
    folder = root / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for report in reports:
            path = folder / f"{report.id}.yaml"
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                created.append(path)
                handle.write(report_text(report))
        for rel, text in extra.items():
            temp = root / f"{rel}.import-tmp"
            created.append(temp)
            temp.write_text(text, encoding="utf-8", newline="\n")
            old = (root / rel).read_bytes() if (root / rel).is_file() else None
            os.replace(temp, root / rel)
            created.remove(temp)
            if old is None:
                created.append(root / rel)
            else:
                replaced[root / rel] = old
    except OSError as exc:
        left = _undo(created, replaced)
        if left:  # never "Nothing was written" over a file still changed
            raise OSError(exc.errno, f"{exc.strerror or exc}; could not undo the changes to {', '.join(left)}", exc.filename) from exc
        raise
    return [f"{REPORTS}/{r.id}.yaml" for r in reports] + list(extra)
