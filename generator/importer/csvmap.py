"""CSV and TSV rows to Reviews through a column map (YAML): templates over columns, with a few filters."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from generator.content.textpos import value_at
from generator.importer import normalise as n
from generator.importer.plan import UNSAVED
from generator.importer.readers import read_text, read_yaml
from generator.importer.records import MAX_REVIEWS, Appearance, Party, Problem, Review
from generator.site.exports import CSV_COLUMNS

MAPS = Path(__file__).resolve().parent / "maps"
FIELDS = (
    "review_url", "report_id", "claim_id", "claim_reviewed", "quote", "rating", "explanation", "claimant", "claimant_type",
    "claimant_job_title", "claim_date", "published", "modified", "title", "author", "topics",
    "article_url", "article_headline", "article_publisher", "article_published",
)  # fmt: skip
TOP_KEYS = ("delimiter", "header", "quoting", "columns", "unsaved", "source", "fields")
# data/claims.csv as this generator exports it: no map needed.
OWN_MAP: dict[str, object] = {
    "fields": {
        "report_id": "{report_id}",
        "claim_id": "{claim_id}",
        "review_url": "{claim_url}",
        "claim_reviewed": "{claim_reviewed}",
        "claimant": "{claimant}",
        "rating": ["{rating_label}", "{rating}"],
        "claim_date": "{claim_date}",
        "published": "{report_published}",
        "article_url": "{article_url}",
        "article_publisher": "{article_publisher}",
    }
}
_FILTERS: dict[str, Callable[[str], str]] = {
    "stem": lambda v: v.rsplit(".", 1)[0] if "." in v else v,
    "name": lambda v: ",".join(" ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_\s]+", part) if w) for part in v.split(",")),
    "capitalize": lambda v: v[:1].upper() + v[1:],
    "lower": str.lower,
    "short": n.short,
}
_TEMPLATE = re.compile(r"\{(\w+)((?:\|\w+)*)\}")


@dataclass
class CsvRead:
    """What a CSV import read: reviews, problems, and the map's text-unavailable reason and fixed source."""

    reviews: list[Review] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unsaved: str = UNSAVED
    source: dict[str, str] | None = None


def _settings_errors(spec: Mapping[str, object], out: CsvRead) -> list[tuple[str, str, str]]:
    """(key, message, hint) for each setting of the map that cannot be used; the source's details go into `out`."""
    errors: list[tuple[str, str, str]] = []
    source = spec.get("source")
    if isinstance(source, dict):
        out.source = {str(k): n.clean(v) for k, v in source.items() if k in ("title", "publisher", "author", "url", "kind") and n.clean(v)}
        if "url" in out.source:
            # Only http(s) links are imported, the map's own too: `check` would refuse the written report otherwise.
            url, refused = n.http_url(out.source["url"])
            out.source["url"] = url
            if refused:
                errors.append(("url", f"source.url '{refused}' is refused: {n.refusal(refused)}", "give the source's https:// address"))
    delimiter = str(spec.get("delimiter", ","))
    if len(delimiter) != 1 or delimiter in '\r\n"':
        errors.append(("delimiter", f"delimiter {delimiter!r} must be one character, not a quote or a line break", 'write delimiter: "," or ";" or "\\t"'))
    # A misspelt value would otherwise be read as the default, and every row split the other way.
    quoting, header, columns = spec.get("quoting", "minimal"), spec.get("header", True), spec.get("columns")
    if quoting not in ("minimal", "none"):
        errors.append(("quoting", f"quoting {str(quoting)[:40]!r} is not a quoting rule", "write quoting: minimal (the default) or quoting: none"))
    if not isinstance(header, bool):
        errors.append(("header", f"header {str(header)[:40]!r} must be true or false", "write header: false when the file has no header row"))
    if columns is not None and not (isinstance(columns, list) and all(isinstance(c, str | int | float) for c in columns)):
        errors.append(("columns", f"columns {str(columns)[:40]!r} must be a list of column names", "write columns: [claim, rating, date] in the file's order"))
    return errors


def _map_problems(map_path: Path | None, errors: Sequence[tuple[str, str, str]]) -> list[Problem]:
    """Each (key, message, hint) of a map as a fatal problem at the line and column where the key is written (the path alone if not found)."""
    text = read_text(map_path)[0] if map_path is not None else None  # read again only when the map is wrong
    problems = []
    for key, message, hint in errors:
        found = value_at(text, key) if text else None
        problems.append(Problem(f"{map_path}:{found[0]}:{found[1]}" if found else str(map_path), message, hint, True))
    return problems


def _map_errors(spec: Mapping[str, object], columns: Sequence[str]) -> list[tuple[str, str]]:
    """(key, message) for each mistake in the map's fields against the file's columns."""
    # Keys are named as text: YAML reads `1:` or `null:` as a number or None, which no key is.
    errors = [(str(k), f"unknown key '{k}' (keys: {', '.join(TOP_KEYS)})") for k in spec if k not in TOP_KEYS]
    if not columns:
        errors.append(("columns", "no columns: the file is empty, or has no header row and the map no 'columns:'"))
    fields = spec.get("fields")
    if not isinstance(fields, dict):
        return [*errors, ("fields", "the map needs 'fields:', a mapping of field names to templates like '{column}'")]
    errors += [(str(k), f"unknown field '{k}' (fields: {', '.join(FIELDS)})") for k in fields if k not in FIELDS]
    # Without these every row would be skipped, one message a row.
    errors += [("fields", f"the map needs fields.{k}: every review has one") for k in ("claim_reviewed", "rating") if k not in fields]
    for key, value in ((str(k), v) for k, v in fields.items()):
        for template in value if isinstance(value, list) else [value]:
            if not isinstance(template, str):
                errors.append((key, f"{key}: each template must be text"))
                continue
            for column, filters in _TEMPLATE.findall(template):
                if column not in columns:
                    errors.append((key, f"{key}: no column '{column}' (columns: {', '.join(columns)})"))
                errors += [(key, f"{key}: unknown filter '{f}' (filters: {', '.join(_FILTERS)})") for f in filters.split("|")[1:] if f not in _FILTERS]
    return errors


def _fill(template: object, row: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        value = row.get(match.group(1), "")
        for name in match.group(2).split("|")[1:]:
            value = _FILTERS[name](value)
        return value

    for text in template if isinstance(template, list) else [template]:
        filled = n.clean(_TEMPLATE.sub(one, str(text)))
        if filled:
            return filled
    return ""


def _review(origin: str, fields: Mapping[str, object], row: Mapping[str, str], problems: list[Problem]) -> Review | None:
    filled = {name: _fill(template, row) for name, template in fields.items()}

    def get(name: str) -> str:
        return filled.get(name, "")

    def url(name: str) -> str:
        found, refused = n.http_url(get(name))
        if refused:
            problems.append(Problem(origin, f"{name}: link '{refused}' dropped: {n.refusal(refused)}", kind="dropped"))
        return found

    claim_reviewed, rating = get("claim_reviewed"), get("rating")
    if not claim_reviewed or not rating:
        problems.append(Problem(origin, "row without " + ("claim_reviewed" if not claim_reviewed else "rating") + ""))
        return None
    # The review's own date that is there but no date (2025-13-45) skips the row: read as none, another
    # date (the claim's) would stand in for it. The claim's and the article's dates only inform.
    days = {name: n.date(get(name)) for name in ("claim_date", "published", "modified", "article_published")}
    bad = next((name for name in ("published", "modified") if days[name] is None and get(name)), "")
    if bad:
        problems.append(Problem(origin, n.date_problem(get(bad), bad), "write dates as YYYY-MM-DD (or leave the cell empty)"))
        return None
    for name in ("claim_date", "article_published"):
        problem = n.date_problem(get(name), name)
        if problem:
            problems.append(Problem(origin, f"{problem}: left out", kind="date"))
    parts = urlsplit(url("review_url"))
    kind = get("claimant_type").lower()
    # Empty or 'organization' means an organisation; anything else (a party affiliation...) a person.
    person = kind not in ("", "organization", "organisation")
    claimant = Party(get("claimant"), "person" if person else "organization", get("claimant_job_title") if person else "") if get("claimant") else None
    article_url = url("article_url")
    article = Appearance(article_url, get("article_headline"), get("article_publisher"), "", days["article_published"]) if article_url else None
    return Review(
        origin=origin,
        url=urlunsplit(parts._replace(fragment="")) if parts.scheme else "",
        fragment=parts.fragment,
        claim_reviewed=claim_reviewed,
        rating=rating,
        explanation=get("explanation"),
        claimant=claimant,
        claim_date=days["claim_date"],
        published=days["published"],
        modified=days["modified"],
        title=get("title"),
        authors=(Party(get("author"), "person"),) if get("author") else (),
        article=article,
        quote=get("quote"),
        report_id=get("report_id"),
        claim_id=get("claim_id"),
        topics=tuple(dict.fromkeys(t for t in (n.clean(x) for x in get("topics").split(",")) if t)),
    )


def load_map(path: Path | None) -> tuple[dict[str, object] | None, Problem | None]:
    """The column map at `path` (None: this generator's own data/claims.csv layout)."""
    if path is None:
        return OWN_MAP, None
    spec, problem = read_yaml(path)
    if problem is not None:
        return None, problem
    return (spec, None) if isinstance(spec, dict) else (None, Problem(str(path), "the map must be a YAML mapping of keys", fatal=True))


def read_csv(paths: Sequence[Path], map_path: Path | None, progress: Callable[[int, int], None] | None = None) -> CsvRead:
    """Reviews from every row of the given files, read with the column map."""
    out = CsvRead()
    spec, problem = load_map(map_path)
    if spec is None:
        out.problems.append(problem or Problem(str(map_path), "unreadable map", fatal=True))
        return out
    out.unsaved = n.clean(spec.get("unsaved")) or UNSAVED
    settings = _settings_errors(spec, out)
    if settings:  # every mistake of the map at once, each at its line
        out.problems += _map_problems(map_path, settings)
        return out
    delimiter, no_quotes = str(spec.get("delimiter", ",")), spec.get("quoting", "minimal") == "none"
    for number, path in enumerate(paths, start=1):
        if progress:
            progress(number, len(paths))
        text, problem = read_text(path) if path.is_file() else (None, Problem(str(path), "no such file", fatal=True))
        if text is None:
            out.problems.append(problem or Problem(str(path), "unreadable", fatal=True))
            continue
        quoting_rule: Literal[0, 3] = csv.QUOTE_NONE if no_quotes else csv.QUOTE_MINIMAL
        left_open = _quote_left_open(text, delimiter, quoting_rule)
        if left_open:  # read as it stands, the rest of the file would be one field of one row "without rating"
            hint = 'a quote (") opens a field that never closes: look for it on the rows before this line'
            out.problems.append(Problem(f"{path}:{left_open}", "not readable as CSV: a quoted field runs to the end of the file", hint, True))
            continue
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting_rule)
        named = spec.get("columns")
        header = next(rows, []) if spec.get("header", True) is not False else []
        columns = [str(c) for c in named] if isinstance(named, list) else header
        if map_path is None and tuple(columns) != CSV_COLUMNS:
            out.problems.append(Problem(str(path), "not this generator's data/claims.csv layout", "describe its columns with --map MAP.yaml", True))
            continue
        errors = _map_errors(spec, columns)
        if errors:
            out.problems += _map_problems(map_path, [(key, message, "") for key, message in errors])
            return out
        fields = spec["fields"]
        assert isinstance(fields, dict)
        repeated = _repeated(columns, fields, "in columns:" if isinstance(named, list) else "in the header")
        if repeated:  # only the last of the same name would be read, without a word
            hint = "rename one of them, or name every column with 'columns:' in the map"
            if isinstance(named, list):
                out.problems += _map_problems(map_path, [("columns", message, "give each column its own name in 'columns:'") for message in repeated])
                return out
            out.problems += [Problem(f"{path}:{rows.line_num}", message, hint, True) for message in repeated]
            continue
        try:
            for row in rows:
                if len(out.reviews) >= MAX_REVIEWS:
                    break
                if any(cell.strip() for cell in row):
                    origin = f"{path}:{rows.line_num}"
                    review = _review(origin, fields, dict(zip(columns, row, strict=False)), out.problems)
                    out.reviews += [review] if review else []
        except csv.Error as exc:
            hint = "check the delimiter and quoting in the map" if map_path is not None else 'check the quotes: a field that starts with " ends with "'
            if "field larger than field limit" in str(exc):  # Python's csv reads cells of up to 128 KiB
                message, hint = f"a cell is longer than {csv.field_size_limit() // 1024} KiB", "no claim needs so long a cell: is a quote left open above?"
            else:
                message = f"not readable as CSV: {exc}"
            out.problems.append(Problem(f"{path}:{rows.line_num}", message, hint, True))
    return out


def _repeated(columns: Sequence[str], fields: Mapping[object, object], where: str) -> list[str]:
    """A message for each column the map's templates use that is named more than once among `columns`."""
    templates = (t for value in fields.values() for t in (value if isinstance(value, list) else [value]) if isinstance(t, str))
    used = dict.fromkeys(column for template in templates for column, _filters in _TEMPLATE.findall(template))
    messages = []
    for name in used:
        at = [str(i) for i, column in enumerate(columns, start=1) if column == name]
        if len(at) > 1:
            times = "twice" if len(at) == 2 else f"{len(at)} times"
            messages.append(f"column '{name}' is {where} {times} (columns {', '.join(at[:-1])} and {at[-1]})")
    return messages


def _quote_left_open(text: str, delimiter: str, quoting: Literal[0, 3]) -> int:
    """The last line of a CSV text whose last quoted field never closes (0 if none); other oddities are read leniently, as before."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    try:
        for _row in reader:
            pass
    except csv.Error as exc:
        return reader.line_num if "unexpected end of data" in str(exc) else 0
    return 0
