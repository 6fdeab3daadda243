"""Each planned report read as `check` will read it, before anything is written: an import writes no file check rejects."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from generator.content import schema
from generator.content.checks import check_people, check_report_doc, check_site, make_context
from generator.content.load import parse_yaml
from generator.content.validate import MAX_ITEMS, validate_doc
from generator.diagnostics import Diagnostic
from generator.importer.plan import PlannedReport
from generator.importer.records import Problem, Review
from generator.importer.writer import PEOPLE, REPORTS, SITE, report_text


def in_parts(reviews: Sequence[Review]) -> list[Sequence[Review]]:
    """One report's reviews in parts a report can hold (MAX_ITEMS claims, each citing at most one new source)."""
    return [reviews[start : start + MAX_ITEMS] for start in range(0, len(reviews), MAX_ITEMS)]


PROGRESS_EVERY = 100  # reports between two progress calls


def checked_reports(
    planned: Sequence[PlannedReport], site_text: str, people_text: str, progress: Callable[[int, int], None] | None = None
) -> tuple[list[PlannedReport], list[Problem]]:
    """The planned reports that pass check against the project's site.yaml and people.yaml as the import leaves them,
    and why each of the others would fail (they are skipped, not written)."""
    diags: list[Diagnostic] = []
    site_doc = parse_yaml(SITE, site_text, diags)
    site = check_site(validate_doc(site_doc, schema.SITE, diags), diags)
    people = check_people(parse_yaml(PEOPLE, people_text, diags) if people_text else None, diags)
    if not site_text or any(d.is_error for d in diags):
        return list(planned), []  # the project's own files are wrong: `check` says so; nothing to judge reports by
    # Reviewers are the one thing left to the desk by design (docs/import.md): a report imported as
    # published waits for its `reviewers:` line, which `check` then asks for.
    context = dataclasses.replace(make_context(site, people, {}), reviewers_required=0)
    kept: list[PlannedReport] = []
    problems: list[Problem] = []
    for number, report in enumerate(planned, 1):
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == len(planned)):
            progress(number, len(planned))
        rel = f"{REPORTS}/{report.id}.yaml"
        found: list[Diagnostic] = []
        check_report_doc(parse_yaml(rel, report_text(report), found), context, found)
        errors = [d for d in found if d.is_error]
        if not errors:
            kept.append(report)
            continue
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        where = f"{first.field}: " if first.field else ""
        problems.append(Problem(report.origin, f"not imported: {rel} would fail check: {where}{first.message}{more}", first.hint))
    return kept, problems


def _file_errors(rel: str, text: str) -> set[tuple[str, str]]:
    """(field, message) of each error `check` finds in site.yaml or people.yaml with this text."""
    diags: list[Diagnostic] = []
    if rel == SITE:
        check_site(validate_doc(parse_yaml(SITE, text, diags), schema.SITE, diags), diags)
    else:
        check_people(parse_yaml(PEOPLE, text, diags) if text else None, diags)
    return {(d.field, d.message) for d in diags if d.is_error}


def added_problems(before: dict[str, str], after: dict[str, str]) -> list[Problem]:
    """The errors `check` would find in site.yaml and people.yaml as the import leaves them that it does not find now.

    The reports are checked against these files; the files themselves must pass too: a rating label too
    long for the scale, say, would otherwise leave every page of the site failing the next check.
    """
    problems: list[Problem] = []
    for rel in (SITE, PEOPLE):
        if rel not in after:
            continue
        for field, message in sorted(_file_errors(rel, after[rel]) - _file_errors(rel, before.get(rel, ""))):
            where = f"{field}: " if field else ""
            hint = "add it by hand" if rel == PEOPLE else "map the label to a rating of your scale with --ratings, or add the rating by hand"
            problems.append(Problem(rel, f"the import's additions would fail check: {where}{message}", hint, True))
    return problems
