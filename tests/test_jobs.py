"""Page jobs: what a plan holds for each page."""

from __future__ import annotations

import dataclasses
import sys
from types import SimpleNamespace

from generator.site.jobs import EVERYTHING, Gathered, InParts, KeptJobs, PageJob, ReportContext, joined, pieces, report_runs


def test_dependencies_are_kept_sorted_without_repeats_whatever_they_are_given_as() -> None:
    keys = frozenset({"report-b", "report-a", "mix:true=1"})
    job = PageJob("reports/x/", "report.html", {}, "X", depends=keys)
    assert job.depends == ("mix:true=1", "report-a", "report-b")
    same = PageJob("reports/x/", "report.html", {}, "X", depends=("report-b", "report-a", "report-b", "mix:true=1"))
    assert same.depends == job.depends
    assert PageJob("feed.xml", "", {}, "Feed", depends=EVERYTHING).depends == ("*",)
    assert PageJob("robots.txt", "", {}, "robots").depends == ()


def test_a_plan_holds_dependencies_in_less_memory_than_a_set_of_them() -> None:
    # A listing page depends on the fifty reports it shows; a plan holds thousands of such pages.
    keys = frozenset(f"report-{i:04d}" for i in range(50))
    job = PageJob("claims/2/", "listing.html", {}, "Claims", depends=keys)
    assert sys.getsizeof(job.depends) * 3 < sys.getsizeof(keys)


def test_a_job_holds_no_instance_dict_and_works_its_path_out_once() -> None:
    # A plan holds a job for every page (250,000 at 40,000 reports): slots took half the memory of a dict.
    job = PageJob("reports/x/claims/y/", "claim.html", {}, "X")
    assert not hasattr(job, "__dict__")
    assert job.path == "reports/x/claims/y/index.html"
    assert job.path is job.path  # kept, not made again
    assert dataclasses.replace(job, url="reports/z/").path == "reports/z/index.html"  # not the old job's


def test_a_report_pages_context_is_a_small_mapping_of_the_report_and_the_claim() -> None:
    report, claim = object(), object()
    assert dict(ReportContext(report)) == {"report": report}
    both = ReportContext(report, claim)
    assert dict(both) == {"report": report, "claim": claim} and len(both) == 2
    assert both.get("claim") is claim and ReportContext(report).get("claim") is None and "items" not in both
    assert sys.getsizeof(both) * 2 < sys.getsizeof({"report": report, "claim": claim})


def test_a_description_worked_out_from_the_context_when_needed() -> None:
    job = PageJob("a/", "claim.html", {"claim": "C"}, "A", describe=lambda context: f"about {context['claim']}")
    assert job.page_description() == "about C" and job.description == ""
    assert PageJob("b/", "page.html", {}, "B", "given").page_description() == "given"


def test_made_bytes_come_back_whole_or_in_pieces() -> None:
    assert joined(b"abc") == b"abc"
    assert joined(iter([b"a", b"bc"])) == b"abc"
    assert list(pieces(b"abc")) == [b"abc"]


def test_kept_jobs_are_given_again_only_while_what_they_show_is_the_same() -> None:
    kept = KeptJobs()
    report, other = object(), object()

    def plan(read: object, shown: object, objects: list[object]) -> PageJob:
        kept.begin(read)
        job = kept.job("people/a/", shown, objects, lambda: PageJob("people/a/", "person.html", {}, "A"))
        kept.end()
        return job

    first = plan("config", ("A", 1), [report])
    assert plan("config", ("A", 1), [report]) is first  # the same values and the very same objects
    assert plan("config", ("A", 2), [report]) is not first  # a value differs
    second = plan("config", ("A", 2), [report])
    assert plan("config", ("A", 2), [other]) is not second  # another object in its place
    third = plan("config", ("A", 2), [other])
    assert plan("other config", ("A", 2), [other]) is not third  # planned with another configuration
    kept.begin("other config")  # a plan that never ended keeps nothing of its own
    kept.job("people/b/", (), [], lambda: PageJob("people/b/", "person.html", {}, "B"))
    kept.begin("other config")
    assert kept.job("people/b/", (), [], lambda: PageJob("people/b/", "person.html", {}, "B2")).title == "B2"


def test_report_runs_cut_at_whole_reports() -> None:
    reports = tuple(SimpleNamespace(claims=(0,) * n) for n in (1, 3, 1, 1, 2))
    runs = report_runs(reports, 3)  # type: ignore[arg-type]
    assert [sum(len(r.claims) for r in run) for run in runs] == [4, 4]
    assert [len(run) for run in runs] == [2, 3] and sum(runs, ()) == reports
    assert report_runs((), 3) == [()]  # an empty export is still one part: its head and tail
    assert len(report_runs(reports, 100)) == 1


def test_a_file_in_parts_is_its_parts_one_after_another() -> None:
    made = InParts((lambda: iter([b"a", b"b"]), lambda: iter([]), lambda: iter([b"c"])))
    assert joined(made()) == b"abc"
    gathered = Gathered((lambda: b"1", lambda: b"2"), lambda parts: [("all.js", b",".join(parts))], lambda: [("all.js", b"whole")])
    assert gathered() == [("all.js", b"whole")]  # made in one go where nothing spreads the parts
    assert gathered.finish([part() for part in gathered.parts]) == [("all.js", b"1,2")]
