"""Equal-output variant: Hugo and Eleventy sites that write the same kind of pages as `factcheck build`.

From the same generated reports as bench/corpus.py, each tool gets a content file per report, per
claim and per annotated article (the one report in four that publishes its article text), a file per
person, and the plain pages (about, search, corrections, who we are). Claims carry the taxonomies
`ratings`, `claimants`, `topics` and `outlets` (a claim's topics and outlet are its report's), so the
tools' own taxonomy machinery makes the listings, paginated at 50, and the hubs. The templates
(bench/sites/hugo and bench/sites/eleventy, copied into each site) show what ours show: verdicts with
their meter, quotes, sources, related claims, JSON-LD, an Atom feed of the 50 newest reports and a
sitemap. Markdown (the analyses, a person's bio) is rendered by each tool's own engine: on the claim
page from the file's body, on the report page from its front matter, as ours renders each analysis
for both pages.

    python bench/equal.py --n 100 --out /tmp/equal     # writes hugo-equal/ and eleventy-equal/
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import corpus
from corpus import LABELS, OTHER_RATINGS, PEOPLE, RATINGS, Report

SITES = Path(__file__).resolve().parent / "sites"
THEME_STATIC = corpus.REPO / "themes" / "default" / "static"
BASE_URL = "https://bench.example.org/"
COLORS = {key: color for key, _, _, color in RATINGS} | {key: color for key, _, color in OTHER_RATINGS}
VALUES = {key: value for key, _, value, _ in RATINGS}
NAMES = {pid: name for pid, name, _ in PEOPLE}
CITE = re.compile(r"\[@([^\]]+)\]")


# --- a small YAML writer: block style, every string JSON-quoted (a valid YAML scalar) ---------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(value: Any, indent: str) -> list[str]:
    """Lines for a mapping or list at `indent` (scalars are inline)."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{indent}{key}:")
                lines += _yaml(item, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_scalar(item) if not isinstance(item, (dict, list)) else '[]'}")
        return lines
    for item in value:
        if isinstance(item, (dict, list)) and item:
            inner = _yaml(item, indent + "  ")
            lines.append(indent + "- " + inner[0][len(indent) + 2 :])
            lines += inner[1:]
        else:
            lines.append(f"{indent}- {_scalar(item)}")
    return lines


def page(front: dict[str, Any], body: str = "") -> str:
    """A content file: YAML front matter, then the markdown body."""
    return "---\n" + "\n".join(_yaml(front, "")) + "\n---\n" + body


# --- what each page shows, tool-neutral --------------------------------------------------------------


def _cited(text: str, numbers: dict[str, int]) -> str:
    """Citations [@id] as numbered links to the page's source list."""
    return CITE.sub(lambda m: f"[\\[{numbers[m.group(1)]}\\]](#source-{numbers[m.group(1)]})", text)


def _sources(r: Report, only: list[str] | None = None) -> list[dict[str, Any]]:
    return [
        {"n": n, "title": s.title, "url": s.url, "publisher": s.publisher, "date": s.date.isoformat(), "kind": s.kind}
        for n, s in enumerate(r.sources, start=1)
        if only is None or s.id in only
    ]


def _rating(key: str) -> dict[str, Any]:
    return {"rating": LABELS[key], "rating_key": key, "color": COLORS[key], "value": VALUES.get(key, 0)}


def _people(ids: list[str]) -> list[dict[str, str]]:
    return [{"id": pid, "name": NAMES[pid]} for pid in ids]


def _link(tool: str, path: str) -> dict[str, str]:
    return {"url" if tool == "hugo" else "permalink": path}


def report_page(r: Report, tool: str) -> str:
    """The report: everything in front matter; each claim's analysis is markdown the template renders."""
    numbers = {s.id: n for n, s in enumerate(r.sources, start=1)}
    claims = []
    for n, c in enumerate(r.claims, start=1):
        analysis = re.sub(r"^## ", "### ", _cited(c.analysis, numbers), flags=re.M)
        claims.append(
            {
                "n": n,
                "id": c.id,
                "claim": c.reviewed,
                **_rating(c.rating),
                "claimant": c.claimant[0],
                "claimant_job": c.claimant[2],
                "explanation": c.explanation,
                "quote": c.quote,
                "analysis": analysis,
            }
        )
    front = {
        "title": r.title,
        "date": r.published.isoformat(),
        **_link(tool, f"/reports/{r.id}/"),
        "summary": r.summary,
        "authors": _people(r.authors),
        "reviewers": _people(r.reviewers),
        "author_ids": r.authors,
        "reviewer_ids": r.reviewers,
        "subjects": r.topics,  # not `topics`: the listings list claims, and a report is not one
        "publisher": r.publisher,
        "headline": r.headline,
        "article_url": r.url,
        "publish_text": r.publish_text,
        "claims": claims,
        "sources": _sources(r),
    }
    return page(front)


def claim_pages(r: Report, tool: str) -> list[tuple[str, str]]:
    """(file name, text) of each claim's page: the analysis is the body."""
    numbers = {s.id: n for n, s in enumerate(r.sources, start=1)}
    out = []
    for n, c in enumerate(r.claims, start=1):
        front = {
            "title": c.reviewed,
            "date": r.published.isoformat(),
            **_link(tool, f"/reports/{r.id}/claims/{c.id}/"),
            "ratings": [LABELS[c.rating]],
            "claimants": [c.claimant[0]],
            "topics": r.topics,
            "outlets": [r.publisher],
            **_rating(c.rating),
            "number": n,
            "claim_count": len(r.claims),
            "report": r.id,
            "report_title": r.title,
            "claimant_job": c.claimant[2],
            "explanation": c.explanation,
            "description": f"{LABELS[c.rating]}: {c.explanation}",
            "quote": c.quote,
            "after": ".",
            "publisher": r.publisher,
            "headline": r.headline,
            "article_url": r.url,
            "publish_text": r.publish_text,
            "authors": _people(r.authors),
            "prev": r.claims[n - 2].reviewed if n > 1 else "",
            "next": r.claims[n].reviewed if n < len(r.claims) else "",
            "sources": _sources(r, c.sources),
        }
        out.append((f"{r.id}--{c.id}.md", page(front, _cited(c.analysis, numbers))))
    return out


def article_page(r: Report, tool: str) -> str:
    """The annotated article: the snapshot's paragraphs as segments, each quote marked with its claim."""
    quotes = {c.quote: n for n, c in enumerate(r.claims, start=1)}
    pattern = re.compile("|".join(re.escape(q) for q in sorted(quotes, key=len, reverse=True)))
    paragraphs = []
    for line in r.snapshot.split("\n"):
        if not line.strip():
            continue
        segments: list[dict[str, Any]] = []
        at = 0
        for match in pattern.finditer(line):
            if match.start() > at:
                segments.append({"t": line[at : match.start()]})
            segments.append({"t": match.group(0), "n": quotes[match.group(0)]})
            at = match.end()
        if at < len(line):
            segments.append({"t": line[at:]})
        paragraphs.append(segments)
    mix = Counter(c.rating for c in r.claims)
    front = {
        "title": f"Annotated: {r.headline}",
        "date": r.published.isoformat(),
        **_link(tool, f"/reports/{r.id}/article/"),
        "report": r.id,
        "report_title": r.title,
        "summary": r.summary,
        "headline": r.headline,
        "publisher": r.publisher,
        "article_url": r.url,
        "retrieved": r.published.isoformat(),
        "legend": [{**_rating(key), "count": count} for key, count in sorted(mix.items())],
        "claims": [{"n": n, "id": c.id, "claim": c.reviewed, **_rating(c.rating)} for n, c in enumerate(r.claims, start=1)],
        "paragraphs": paragraphs,
    }
    return page(front)


def person_page(pid: str, name: str, role: str, tool: str) -> str:
    """A person's page: the template lists the reports they wrote and reviewed."""
    front = {"title": name, "pid": pid, "role": role, "initials": "".join(w[0] for w in name.split())[:2], **_link(tool, f"/people/{pid}/")}
    return page(front, f"{name} works on the *benchmark* desk.\n")


PLAIN = {
    "about": ("About", "About the benchmark site.", "A synthetic site. See [the project](https://example.org/).\n"),
    "search": ("Search", "Search every claim we have checked.", ""),
    "corrections": ("Corrections", "Every correction we have made to a published report.", ""),
    "staff": ("Who we are", "The people who research, write and review our fact-checks.", ""),
}


def plain_page(slug: str, tool: str) -> str:
    """about/, search/, corrections/ and the staff page (at people/)."""
    title, description, body = PLAIN[slug]
    path = "/people/" if slug == "staff" else f"/{slug}/"
    layout = {"type": "plain"} if tool == "hugo" else {"layout": "plain.njk"}
    return page({"title": title, "description": description, **_link(tool, path), **layout, "plain": slug}, body)


def ratings_data() -> list[dict[str, Any]]:
    """The rating scale, in order, for the templates."""
    scale = [
        {"key": k, "label": label, "value": v, "color": c, "on_scale": True, "definition": "A rating used by the benchmark."} for k, label, v, c in RATINGS
    ]
    other = [
        {"key": k, "label": label, "value": 0, "color": c, "on_scale": False, "definition": "A rating outside the scale."} for k, label, c in OTHER_RATINGS
    ]
    return scale + other


# --- the two sites -----------------------------------------------------------------------------------


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))


def _write_pages(reports: list[Report], root: Path, tool: str) -> None:
    for sub in ("reports", "claims", "articles", "people"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for r in reports:
        (root / "reports" / f"{r.id}.md").write_text(report_page(r, tool), encoding="utf-8")
        for name, text in claim_pages(r, tool):
            (root / "claims" / name).write_text(text, encoding="utf-8")
        if r.publish_text:
            (root / "articles" / f"{r.id}.md").write_text(article_page(r, tool), encoding="utf-8")
    for pid, name, role in PEOPLE:
        (root / "people" / f"{pid}.md").write_text(person_page(pid, name, role, tool), encoding="utf-8")
    for slug in PLAIN:
        (root / f"{slug}.md").write_text(plain_page(slug, tool), encoding="utf-8")


def write_hugo(reports: list[Report], root: Path) -> None:
    """bench/sites/hugo (config and layouts), the theme's static files, data/ratings.json and the content."""
    _copy_tree(SITES / "hugo", root)
    _copy_tree(THEME_STATIC, root / "static" / "static")
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "ratings.json").write_text(json.dumps(ratings_data()), encoding="utf-8")
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content" / "_index.md").write_text(page({"title": "Bench Checks"}), encoding="utf-8")
    _write_pages(reports, root / "content", "hugo")


def write_eleventy(reports: list[Report], root: Path) -> None:
    """bench/sites/eleventy (config, layouts, listing templates), the theme's static files, data and content under src/."""
    _copy_tree(SITES / "eleventy", root)
    _copy_tree(THEME_STATIC, root / "static")
    data = root / "src" / "_data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "scale.json").write_text(json.dumps(ratings_data()), encoding="utf-8")
    _write_pages(reports, root / "src", "eleventy")


def signature_files() -> list[Path]:
    """Every file the equal-output sites are made from (a change means regenerating them)."""
    return [Path(__file__), *sorted(p for p in SITES.rglob("*") if p.is_file())]


def main() -> None:
    """Command line: write the equal-output Hugo and Eleventy sites for N reports."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="number of reports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    reports = corpus.generate(args.n, args.seed)
    for name, write in (("hugo-equal", write_hugo), ("eleventy-equal", write_eleventy)):
        shutil.rmtree(args.out / name, ignore_errors=True)
        write(reports, args.out / name)
    print(f"wrote hugo-equal/ and eleventy-equal/ for {len(reports)} reports under {args.out}")


if __name__ == "__main__":
    main()
