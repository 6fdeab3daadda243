"""The per-report step of the check pipeline: load, validate, check and model one report file.

It is the same function whether it runs in this process, in a forked worker or was run by an
earlier build and kept in the store: `check`, `build` and `serve` therefore report exactly the
same diagnostics for a file. A model is made only for a file with no errors at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.content.checks import Context, check_report_doc
from generator.content.i18n import normalize_tag
from generator.content.load import load_yaml_file
from generator.content.validate import Obj, get_obj, get_text, get_texts
from generator.diagnostics import Diagnostic, listed
from generator.model.assemble import ModelBuilder
from generator.model.entities import Claimant, Report, SiteConfig
from generator.model.sharing import SharedValues


@dataclass(frozen=True)
class ReportResult:
    """What one report file gave: its diagnostics, what cross-file rules read, and its model."""

    path: str
    digest: str  # of the text as read (load.parse_yaml's digest)
    diagnostics: tuple[Diagnostic, ...]
    report_id: str
    status: str
    id_mark: tuple[int, int]
    snapshot: str  # the snapshot file the report reads, "" if none
    report: Report | None  # None when the file has errors or the site configuration has
    language: str = ""  # the report's language tag (the site's default when it names none)
    translations: tuple[tuple[str, int, int], ...] = ()  # (report id, line, column) of each translation named

    @property
    def has_errors(self) -> bool:
        """True when any of the file's diagnostics is an error."""
        return any(d.is_error for d in self.diagnostics)


WHOLE = (Claimant,)  # model values shared as whole objects between claims (model/sharing.py)


class ReportStep:
    """Checks and models one report file; made in the parent, called there or in forked workers."""

    def __init__(self, root: Path, ctx: Context, config: SiteConfig | None, people: list[Obj]) -> None:
        self.root = root
        self.ctx = ctx
        self.config = config  # None: the site configuration has errors, so no models are made
        self.people = people
        self._builder: ModelBuilder | None = None
        self._shared = SharedValues(WHOLE)  # each process's own once forked: what its reports' models share

    def batch(self, rels: Sequence[str]) -> list[ReportResult]:
        """The results for a batch of report files, whose models share equal values among themselves only.

        For a helper that sends each batch in its own pickle: equal values are one object in the build
        only within one pickle, so a table kept from batch to batch would only grow (200 MB a helper
        at 40,000 reports).
        """
        self._shared = SharedValues(WHOLE)
        return [self(rel) for rel in rels]

    def __call__(self, rel: str) -> ReportResult:
        """The result for one report file."""
        diags: list[Diagnostic] = []
        doc = load_yaml_file(self.root, rel, diags)
        located, checked = check_report_doc(doc, self.ctx, diags)
        value = located.value if isinstance(located.value, dict) else None
        report = None
        if checked is not None and self.config is not None and not any(d.is_error for d in diags):
            if self._builder is None:  # one per process: it holds the markdown renderer
                self._builder = ModelBuilder(self.config, self.people)
            self._builder.diagnostics = []
            report = self._builder.report(checked)
            diags += self._builder.diagnostics
            if any(d.is_error for d in self._builder.diagnostics):
                report = None
            else:
                self._shared.share(report)
        return ReportResult(
            path=rel,
            digest=doc.digest,
            diagnostics=tuple(listed(rel, diags)),
            report_id=get_text(value, "id") if value is not None else "",
            status=get_text(value, "status") if value is not None else "",
            id_mark=located.mark("id"),
            snapshot=get_text(get_obj(value, "article"), "snapshot") if value is not None else "",
            report=report,
            language=normalize_tag(get_text(value, "language", self.ctx.languages[0] if self.ctx.languages else "en")) if value is not None else "",
            translations=tuple((t, *located.mark(f"translations[{n}]")) for n, t in enumerate(get_texts(value, "translations"))) if value is not None else (),
        )
