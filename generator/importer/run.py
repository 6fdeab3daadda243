"""The import command's work: read, map ratings and people, plan reports, write them all or nothing."""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import schema
from generator.content.load import load_yaml_file
from generator.content.schema import Spec
from generator.content.validate import validate_doc
from generator.diagnostics import Diagnostic, printable, shortened
from generator.importer.claimreview import reviews_of
from generator.importer.plan import UNSAVED, People, PlannedReport, Settings, group, plan_report, report_id
from generator.importer.ratings import RatingMatcher, map_problems
from generator.importer.readers import expand, read_documents, read_yaml
from generator.importer.records import MAX_REVIEWS, Problem, Review
from generator.importer.verify import added_problems, checked_reports, in_parts
from generator.importer.writer import PEOPLE, REPORTS, SITE, add_people, add_ratings, existing_ids, write_all

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportOptions:
    """Command-line choices of `factcheck import`."""

    ratings: Path | None = None
    add_ratings: bool = False
    add_people: bool = False
    published: bool = False
    dry_run: bool = False


@dataclass
class Summary:
    """What an import did or would do; `errors` non-empty means nothing was written."""

    reports: int = 0
    claims: int = 0
    people_mapped: int = 0
    people_new: list[str] = field(default_factory=list)
    ratings_mapped: dict[str, int] = field(default_factory=dict)
    ratings_unmapped: dict[str, int] = field(default_factory=dict)
    ratings_added: list[str] = field(default_factory=list)
    not_added: list[str] = field(default_factory=list)  # people and ratings only skipped reports used ("person zed-hidden")
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> str:
        """The summary as JSON (`--format json`)."""
        data = {
            "ok": not self.errors,
            "dry_run": self.dry_run,
            "reports": self.reports,
            "claims": self.claims,
            "people": {"mapped": self.people_mapped, "new": self.people_new},
            "ratings": {"mapped": self.ratings_mapped, "unmapped": self.ratings_unmapped, "added": self.ratings_added},
            "not_added": self.not_added,
            "skipped": [{"where": p.origin, "why": p.message, "kind": p.kind, "hint": p.hint} for p in self.skipped],
            "errors": [{"where": p.origin, "message": p.message, "hint": p.hint} for p in self.errors],
            "written": self.written,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)


_LABELS_LISTED = 20  # a feed of thousands of labels, each a page long, printed them all on one line


def _counts(counter: dict[str, int]) -> str:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{shortened(label)!r} ×{n}" for label, n in ranked[:_LABELS_LISTED]) or "none"
    return listed + (f", and {len(ranked) - _LABELS_LISTED} more" if len(ranked) > _LABELS_LISTED else "")


def as_text(summary: Summary) -> str:
    """The summary for people: what was written, what was mapped, what was skipped and why."""
    lines = [f"{p.origin}: error: {p.message}" + (f" (hint: {p.hint})" if p.hint else "") for p in summary.errors]
    # With the hint, as for errors: a skipped row says how to mend it ("write dates as YYYY-MM-DD").
    lines += [f"{p.origin}: {'dropped' if p.kind == 'date' else p.kind}: {p.message}" + (f" (hint: {p.hint})" if p.hint else "") for p in summary.skipped]
    s = summary
    verb = "Would import" if s.dry_run or s.errors else "Imported"
    lines.append(f"{verb} {s.reports} report{'s' * (s.reports != 1)} ({s.claims} claim{'s' * (s.claims != 1)}) into {REPORTS}/.")
    lines.append(f"People: {s.people_mapped} matched, {len(s.people_new)} new" + (f" ({', '.join(s.people_new)})." if s.people_new else "."))
    lines.append(f"Ratings mapped: {_counts(s.ratings_mapped)}; unmapped: {_counts(s.ratings_unmapped)}.")
    if s.ratings_added:
        lines.append(f"Ratings added to {SITE} (definitions to write): {', '.join(s.ratings_added)}.")
    if s.not_added:
        lines.append(f"Not added, used only by skipped reports: {', '.join(s.not_added)}.")
    dropped, dates = (sum(p.kind == kind for p in s.skipped) for kind in ("dropped", "date"))
    lines.append(f"Skipped: {len(s.skipped) - dropped - dates}; links dropped: {dropped}" + (f"; dates left out: {dates}." if dates else "."))
    if s.errors:
        lines.append("Nothing was written.")
    elif s.dry_run:
        lines.append("Nothing was written (--dry-run).")
    return printable("\n".join(lines))  # a header, a cell or a key may hold escape codes: never sent to the terminal


def _yaml_file(root: Path, rel: str, spec: Spec, summary: Summary) -> tuple[str, object]:
    """The file's text (line endings as written, no byte-order mark) and its values as `check` reads them."""
    if not (root / rel).is_file():
        return "", None
    # The check pipeline's own reading: what `check` accepts (tabs before comments, aliases, `key: true` as the
    # text "true") is read alike, and what it refuses is refused with its message, at its line and column.
    diags: list[Diagnostic] = []
    doc = load_yaml_file(root, rel, diags)
    located = validate_doc(doc, spec, diags)
    errors = [d for d in diags if d.is_error]
    summary.errors += [Problem(f"{d.path}:{d.line}:{d.col}" if d.line else d.path, d.message, d.hint, True) for d in errors]
    return ("", None) if errors else (doc.text, located.value)


def _cannot(what: str, why: str, text: str) -> tuple[str, str]:
    """The message and hint when additions cannot be spliced into a file."""
    # Appending needs a line break after the last line: where that line ends a '|' text, one more would change the text.
    if text and not text.endswith(("\n", "\r")):
        return f"{what}: its last line has no line break, and adding one would change its last text", "end the file with a line break, then import again"
    return f"{what}: {why}", "add them by hand"


def _bom_kept(path: Path, text: str) -> str:
    """`text`, with the byte-order mark the file at `path` starts with (the check's reading drops it): git shows no change."""
    with contextlib.suppress(OSError), path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "\ufeff" + text
    return text


def _settings(root: Path, options: ImportOptions, summary: Summary, unsaved: str, source: dict[str, str] | None) -> tuple[Settings, str, str]:
    site_text, site = _yaml_file(root, SITE, schema.SITE, summary)
    people_text, people = _yaml_file(root, PEOPLE, schema.PEOPLE, summary)
    site = site if isinstance(site, dict) else {}
    ratings = _mapping(site.get("ratings"))
    rows = [r for part in ("scale", "other") for r in _items(ratings.get(part)) if isinstance(r, dict)]
    labels = {str(r.get("key")): str(r.get("label", r.get("key"))) for r in rows}
    extra: dict[str, str] = {}
    if options.ratings is not None:
        loaded, problem = read_yaml(options.ratings, as_text=True)  # `Pants on Fire!: false` maps to the key "false"
        if not isinstance(loaded, dict):
            summary.errors.append(problem or Problem(str(options.ratings), "a ratings map must be YAML 'label: rating-key' lines", fatal=True))
        else:
            extra, wrong = map_problems(loaded.items(), labels)
            summary.errors += [Problem(str(options.ratings), message, fatal=True) for message in wrong]
    known = {str(p.get("id")): str(p.get("name", "")) for p in (people if isinstance(people, list) else []) if isinstance(p, dict)}
    org = _mapping(site.get("organization"))
    matcher = RatingMatcher(labels, extra)
    status = "published" if options.published else "draft"
    # A review with no author is the organisation's; a new site's name is still its placeholder, no person's name.
    desk = str(org.get("name") or "")
    settings = Settings(status, matcher, People(known, desk if desk and not desk.startswith("TODO:") else "Imported desk"), labels, unsaved, source)
    return settings, site_text, people_text


def _mapping(value: object) -> dict[object, object]:
    return value if isinstance(value, dict) else {}


def _items(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def import_reviews(
    root: Path,
    reviews: Sequence[Review],
    problems: Sequence[Problem],
    options: ImportOptions,
    unsaved: str = UNSAVED,
    source: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Plan reports from `reviews` and write them (unless a dry run or any error): the shared end of every reader.

    Each planned report is checked as `check` will read it first; one that would fail is skipped, with why.
    """
    summary = Summary(dry_run=options.dry_run)
    summary.errors += [p for p in problems if p.fatal]
    summary.skipped += [p for p in problems if not p.fatal]
    if len(reviews) > MAX_REVIEWS:
        summary.errors.append(Problem("input", f"{len(reviews)} reviews; one import takes at most {MAX_REVIEWS}", "import the archive in parts", True))
        return summary
    settings, site_text, people_text = _settings(root, options, summary, unsaved, source)
    if summary.errors:  # site.yaml, people.yaml or the map is wrong: read against them, every review would only repeat it
        return summary
    for review in reviews:
        settings.ratings.key(review.rating)
    summary.ratings_mapped = dict(settings.ratings.mapped)
    summary.ratings_unmapped = dict(settings.ratings.unmapped)
    extra: dict[str, str] = {}
    added: list[dict[str, str]] = []
    if settings.ratings.unmapped and options.add_ratings:
        added = settings.ratings.additions()
        summary.ratings_added = [r["key"] for r in added]
        new_site = add_ratings(site_text, added) if site_text else None
        if new_site is None:
            summary.ratings_added = []
            summary.errors.append(Problem(SITE, *_cannot("cannot add ratings", "ratings.other is not a block list this command can extend", site_text), True))
        else:
            extra[SITE] = new_site
    elif settings.ratings.unmapped:
        hint = "map them to your scale with --ratings MAP.yaml, or add them with --add-ratings"
        message = f"{len(settings.ratings.unmapped)} rating label(s) match no rating of {SITE}: {_counts(summary.ratings_unmapped)}"
        summary.errors.append(Problem("ratings", message, hint, True))
    planned = _plan(root, reviews, settings, summary)
    summary.people_mapped = len(settings.people.mapped)
    summary.people_new = sorted(settings.people.new)
    if settings.people.new and options.add_people:
        new_people = add_people(people_text, list(settings.people.new.values()))
        if new_people is None:
            summary.errors.append(Problem(PEOPLE, *_cannot("cannot append people", "it is not one block list of people", people_text), True))
        else:
            extra = {PEOPLE: new_people, **extra}
    elif settings.people.new:
        hint = "add them to content/people.yaml, or pass --add-people"
        names = ", ".join(settings.people.new[k]["name"] for k in summary.people_new)
        summary.errors.append(Problem("people", f"authors not in {PEOPLE}: {names}", hint, True))
    if not summary.errors:  # else nothing is written, and reports read against a wrong scale would only repeat it
        planned, failing = checked_reports(planned, extra.get(SITE, site_text), extra.get(PEOPLE, people_text), progress)
        summary.skipped += failing
        # Reviews skipped while planning (an id taken, no date) or by the check may leave labels and people no report uses.
        if SITE in extra or PEOPLE in extra:
            extra = _kept_additions(planned, site_text, people_text, added, list(settings.people.new.values()), summary)
            summary.errors += added_problems({SITE: site_text, PEOPLE: people_text}, extra)
    summary.reports, summary.claims = len(planned), sum(p.claims for p in planned)
    if summary.errors or options.dry_run:
        return summary
    try:
        summary.written = write_all(root, planned, {rel: _bom_kept(root / rel, text) for rel, text in extra.items()})
    except OSError as exc:
        summary.errors.append(Problem(str(exc.filename or root), f"could not write: {exc.strerror or exc}", fatal=True))
    return summary


def _kept_additions(
    planned: Sequence[PlannedReport], site_text: str, people_text: str, ratings: list[dict[str, str]], people: list[dict[str, str]], summary: Summary
) -> dict[str, str]:
    """site.yaml and people.yaml with only the ratings and people the kept reports use: skipped reports add nothing."""
    used_people = {pid for report in planned for pid in _items(report.values.get("authors"))}
    verdicts = [_mapping(_mapping(claim).get("verdict")) for report in planned for claim in _items(report.values.get("claims"))]
    used_ratings = {verdict.get("rating") for verdict in verdicts}
    kept_people = [person for person in people if person["id"] in used_people]
    kept_ratings = [rating for rating in ratings if rating["key"] in used_ratings]
    summary.people_new = sorted(person["id"] for person in kept_people)
    summary.ratings_added = [rating["key"] for rating in kept_ratings]
    summary.not_added = sorted(f"person {person['id']}" for person in people if person not in kept_people)
    summary.not_added += [f"rating {rating['key']}" for rating in ratings if rating not in kept_ratings]
    extra: dict[str, str] = {}
    # Each was appended whole to the same text before the check, so a part of it appends too.
    new_people = add_people(people_text, kept_people) if kept_people else None
    if new_people is not None:
        extra[PEOPLE] = new_people
    new_site = add_ratings(site_text, kept_ratings) if kept_ratings else None
    if new_site is not None:
        extra[SITE] = new_site
    return extra


def _plan(root: Path, reviews: Sequence[Review], settings: Settings, summary: Summary) -> list[PlannedReport]:
    taken = existing_ids(root)
    batch: set[str] = set()
    planned: list[PlannedReport] = []
    for reviews_of_article in group(reviews):
        wanted = report_id(reviews_of_article)
        if wanted in taken:  # already imported, or an id of the project's own: never overwrite
            summary.skipped.append(Problem(reviews_of_article[0].origin, f"{REPORTS}/{wanted}.yaml (or a report with id '{wanted}') already exists"))
            continue
        for reviews_of_report in in_parts(reviews_of_article):  # more claims than a report holds: several reports
            rid, n = wanted, 2
            while rid in batch:
                rid, n = f"{wanted}-{n}", n + 1
            result = plan_report(reviews_of_report, rid, settings)
            if isinstance(result, Problem):
                summary.skipped.append(result)
                continue
            batch.add(rid)
            planned.append(result)
    return planned


def read_claimreview(paths: Sequence[Path], progress: Progress | None = None) -> tuple[list[Review], list[Problem]]:
    """Every Review in the given files and folders, and every problem met."""
    files, problems = expand(paths)
    reviews: list[Review] = []
    for number, path in enumerate(files, start=1):
        if progress:
            progress(number, len(files))
        before, troubles = len(reviews), len(problems)
        for origin, value, problem in read_documents(path):
            if problem is not None:
                problems.append(problem)
                continue
            found, trouble = reviews_of(value, origin)
            reviews += found
            problems += trouble
        if len(reviews) == before and len(problems) == troubles:
            problems.append(Problem(str(path), "no ClaimReview found"))
            if len(reviews) > MAX_REVIEWS:
                return reviews, problems
    return reviews, problems
