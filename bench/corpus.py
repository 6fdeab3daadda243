"""Benchmark corpus: N synthetic fact-check reports, as a factcheck project and as Hugo and Eleventy sites.

Every report is shaped like a real one: several claims anchored by exact quotes in a generated
article snapshot, numbered sources, and about 600 words of markdown analysis with headings, lists,
links and emphasis. The same documents are emitted as plain markdown pages with front matter for
Hugo and Eleventy, each with one page template and one list page, so the three do comparable work.
Output depends only on N and the seed.

    python bench/corpus.py --n 1000 --out bench/out/n1000      # writes factcheck/, hugo/, eleventy/
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

RATINGS = [
    ("true", "True", 5, "#1a7f37"),
    ("mostly-true", "Mostly true", 4, "#4a7a12"),
    ("half-true", "Half true", 3, "#8a6100"),
    ("mostly-false", "Mostly false", 2, "#b3470c"),
    ("false", "False", 1, "#c0202c"),
]
OTHER_RATINGS = [("misleading", "Misleading", "#7b3fc4"), ("unproven", "Unproven", "#59636e")]
LABELS = {key: label for key, label, *_ in RATINGS} | {key: label for key, label, _ in OTHER_RATINGS}

PEOPLE = [
    ("ada-quill", "Ada Quill", "Senior researcher"),
    ("ben-marsh", "Ben Marsh", "Researcher"),
    ("cleo-novak", "Cleo Novak", "Data reporter"),
    ("dev-patel", "Dev Patel", "Researcher"),
    ("eva-lindqvist", "Eva Lindqvist", "Editor"),
    ("femi-adeyemi", "Femi Adeyemi", "Deputy editor"),
    ("gus-moreau", "Gus Moreau", "Standards editor"),
    ("hana-sato", "Hana Sato", "Editor"),
]

PUBLISHERS = ["The Morning Ledger", "Capital Wire", "Metro Daily", "The Civic Review", "Northern Post", "Policy Pulse", "The Evening Courier", "Signal News"]
SUBJECTS = [
    "unemployment",
    "the housing budget",
    "hospital waiting times",
    "crime figures",
    "school funding",
    "energy prices",
    "the trade deficit",
    "rail subsidies",
    "tax receipts",
    "wildfire losses",
    "vaccination rates",
    "road deaths",
    "water quality",
    "broadband coverage",
    "farm incomes",
    "pension costs",
]
PLACES = ["the state", "the city", "the region", "the country", "the county", "the capital", "rural districts", "coastal towns"]
SPEAKERS = [
    ("Senator Mara Holt", "person", "Senator"),
    ("Governor Luis Ortega", "person", "Governor"),
    ("Mayor Tess Brandt", "person", "Mayor"),
    ("the finance ministry", "organization", ""),
    ("Representative Owen Pike", "person", "Representative"),
    ("the opposition party", "organization", ""),
]
VERBS = ["rose", "fell", "doubled", "halved", "grew", "dropped", "climbed", "shrank"]
TOPICS = ["Economy", "Health", "Education", "Crime", "Energy", "Housing", "Transport", "Environment", "Elections", "Budget", "Immigration", "Technology"]
OFFICES = [
    "Statistics Office",
    "National Audit Bureau",
    "Treasury",
    "Health Agency",
    "Census Bureau",
    "Transport Department",
    "Energy Regulator",
    "Housing Council",
]
FILLER = (
    "officials said the change reflected a wider trend",
    "the figures were revised twice during the year",
    "critics pointed to gaps in the underlying survey",
    "the department published its own breakdown a month later",
    "independent analysts described the numbers as broadly consistent",
    "the comparison depends heavily on the starting year chosen",
    "local data tell a more mixed story than the national total",
    "the methodology changed in the middle of the period",
    "several councils reported figures late or not at all",
    "the trend predates the policy it was attributed to",
)
HEADINGS = ["What the data show", "Where the number comes from", "The missing context", "What experts say", "How the figure was measured", "Our reading"]


@dataclass
class Claim:
    """One generated claim."""

    id: str
    quote: str
    reviewed: str
    claimant: tuple[str, str, str]
    rating: str
    explanation: str
    analysis: str  # markdown with [@source] citations
    sources: list[str]


@dataclass
class Source:
    """One generated source."""

    id: str
    title: str
    publisher: str
    url: str
    kind: str
    date: dt.date


@dataclass
class Report:
    """One generated report and its article snapshot."""

    id: str
    title: str
    summary: str
    published: dt.date
    authors: list[str]
    reviewers: list[str]
    topics: list[str]
    headline: str
    publisher: str
    url: str
    snapshot_name: str
    snapshot: str
    publish_text: bool
    claims: list[Claim] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def _sentence_words(rng: random.Random, count: int) -> str:
    words: list[str] = []
    while len(words) < count:
        words += rng.choice(FILLER).split()[: rng.randint(4, 10)]
    return " ".join(words[:count])


def _claim_sentence(rng: random.Random, index: int, serial: int) -> tuple[str, str, tuple[str, str, str]]:
    speaker = rng.choice(SPEAKERS)
    subject = rng.choice(SUBJECTS)
    verb = rng.choice(VERBS)
    year = rng.randint(2008, 2022)
    amount = f"{rng.randint(2, 95)}.{rng.randint(0, 9)}"
    place = rng.choice(PLACES)
    # The serial number keeps every quote unique within its snapshot.
    sentence = f"Spending on {subject} in {place} {verb} by {amount} percent since {year}, according to {speaker[0]}, in claim number {serial}{index}"
    reviewed = f"Spending on {subject} in {place} {verb} by {amount}% since {year}"
    return sentence, reviewed, speaker


def _analysis(rng: random.Random, claim_index: int, cites: list[Source], words: int) -> str:
    """About `words` words of markdown: paragraphs, a heading, a list, a link and emphasis."""
    parts: list[str] = []
    first, second = cites[0], cites[-1]
    parts.append(
        f"The figure traces back to *{first.publisher}*, whose latest release covers the whole period [@{first.id}]. "
        + _sentence_words(rng, words // 5).capitalize()
        + ". "
        + _sentence_words(rng, words // 6).capitalize()
        + "."
    )
    parts.append(f"## {HEADINGS[(claim_index + rng.randint(0, 5)) % len(HEADINGS)]}")
    bullets = [
        f"- **{rng.randint(3, 60)}%** of the change came in a single year, {rng.randint(2010, 2022)} [@{second.id}].",
        f"- The series was [re-based in {rng.randint(2012, 2021)}](https://data.example.org/notes/{rng.randint(100, 999)}), which {rng.choice(FILLER)}.",
        f"- {_sentence_words(rng, words // 8).capitalize()}.",
    ]
    # Every source a claim lists is cited in its analysis (a listed, uncited source is a warning).
    bullets += [f"- The {middle.publisher} figures agree [@{middle.id}]." for middle in cites[1:-1]]
    parts.append("\n".join(bullets))
    parts.append(
        _sentence_words(rng, words // 4).capitalize()
        + f". As the [{second.publisher} notes](https://{_host(second.publisher)}/reports/{rng.randint(1000, 9999)}), "
        + f"_{rng.choice(FILLER)}_ [@{second.id}]. "
        + _sentence_words(rng, words // 5).capitalize()
        + "."
    )
    return "\n\n".join(parts) + "\n"


def _host(name: str) -> str:
    return re.sub(r"[^a-z]+", "", name.lower()) + ".example.org"


def make_report(rng: random.Random, i: int) -> Report:
    """Generate report number i."""
    n_claims = rng.randint(3, 6)
    n_sources = rng.randint(3, 7)
    subject = rng.choice(SUBJECTS)
    publisher = rng.choice(PUBLISHERS)
    published = dt.date(2018, 1, 1) + dt.timedelta(days=(i * 7919) % 2900)
    report_id = f"{re.sub(r'[^a-z0-9]+', '-', subject)}-claims-{i:05d}"
    sources = []
    for s in range(n_sources):
        office = rng.choice(OFFICES)
        sources.append(
            Source(
                id=f"src-{s + 1}-{_host(office).split('.')[0][:8]}",
                title=f"{office} report on {rng.choice(SUBJECTS)}, {rng.randint(2010, 2023)}",
                publisher=office,
                url=f"https://{_host(office)}/publications/{i}-{s}",
                kind="primary" if s % 2 == 0 else "secondary",
                date=published - dt.timedelta(days=rng.randint(10, 900)),
            )
        )
    paragraphs: list[str] = [f"{publisher} staff", ""]
    claims: list[Claim] = []
    words_each = max(20, int((600 / n_claims - 62) / 0.94))  # ~70 words of each analysis are fixed text
    for c in range(n_claims):
        sentence, reviewed, speaker = _claim_sentence(rng, c, i)
        filler = _sentence_words(rng, 40).capitalize()
        paragraphs.append(f"{filler}. {sentence}. {_sentence_words(rng, 30).capitalize()}.")
        # Every source is cited by some claim; each claim cites two or three.
        cited = sorted({sources[c % n_sources].id, sources[(c + 1) % n_sources].id, rng.choice(sources).id}, key=lambda x: int(x.split("-")[1]))
        cite_objs = [s for s in sources if s.id in cited]
        rating = rng.choice([r[0] for r in RATINGS] + [o[0] for o in OTHER_RATINGS])
        claims.append(
            Claim(
                id=f"claim-{c + 1}",
                quote=sentence,
                reviewed=reviewed,
                claimant=speaker,
                rating=rating,
                explanation=f"The official series shows a different change over the period; {rng.choice(FILLER)}.",
                analysis=_analysis(rng, c, cite_objs, words_each),
                sources=cited,
            )
        )
    for s in sources:  # any source left uncited goes to the last claim
        if not any(s.id in c.sources for c in claims):
            claims[-1].sources.append(s.id)
            claims[-1].analysis += f"\nSee also the {s.publisher} release [@{s.id}].\n"
    paragraphs.append(_sentence_words(rng, 50).capitalize() + ".")
    snapshot = "\n".join(paragraphs) + "\n"
    headline = f"{subject.capitalize()} {rng.choice(VERBS)} sharply, officials say"
    return Report(
        id=report_id,
        title=f"Fact-check: {publisher} on {subject}",
        summary=f"We checked {n_claims} claims in {publisher}'s article on {subject}. {rng.choice(FILLER).capitalize()}; {rng.choice(FILLER)}.",
        published=published,
        authors=[PEOPLE[i % 4][0]],
        reviewers=[PEOPLE[4 + i % 4][0]],
        topics=sorted(set(rng.sample(TOPICS, rng.randint(1, 3)))),
        headline=headline,
        publisher=publisher,
        url=f"https://{_host(publisher)}/news/{report_id}",
        snapshot_name=f"seeds/bench-{i:05d}.txt",
        snapshot=snapshot,
        publish_text=i % 4 == 0,
        claims=claims,
        sources=sources,
    )


def generate(n: int, seed: int = 1) -> list[Report]:
    """N reports, deterministic from the seed."""
    rng = random.Random(seed)
    return [make_report(rng, i) for i in range(n)]


# --- factcheck project --------------------------------------------------------------------


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _block(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else "" for line in text.rstrip("\n").split("\n"))


def report_yaml(r: Report) -> str:
    """The report as content/reports/<id>.yaml."""
    out = [
        f"id: {r.id}",
        f"title: {_q(r.title)}",
        f"summary: {_q(r.summary)}",
        "status: published",
        f"published: {r.published.isoformat()}",
        f"authors: [{', '.join(r.authors)}]",
        f"reviewers: [{', '.join(r.reviewers)}]",
        f"topics: [{', '.join(r.topics)}]",
        "article:",
        f"  headline: {_q(r.headline)}",
        f"  publisher: {_q(r.publisher)}",
        f"  url: {r.url}",
        f"  retrieved: {r.published.isoformat()}",
        f"  snapshot: {r.snapshot_name}",
        f"  publish_text: {'true' if r.publish_text else 'false'}",
        "claims:",
    ]
    for c in r.claims:
        out += [
            f"  - id: {c.id}",
            "    quote:",
            f"      exact: {_q(c.quote)}",
            f"    claim_reviewed: {_q(c.reviewed)}",
            "    claimant:",
            f"      name: {_q(c.claimant[0])}",
            f"      type: {c.claimant[1]}",
        ]
        if c.claimant[2]:
            out.append(f"      job_title: {_q(c.claimant[2])}")
        out += [
            "    verdict:",
            f"      rating: {_q(c.rating)}",
            f"      explanation: {_q(c.explanation)}",
            "    analysis: |",
            _block(c.analysis, "      "),
            f"    sources: [{', '.join(c.sources)}]",
        ]
    out.append("sources:")
    for s in r.sources:
        out += [
            f"  - id: {s.id}",
            f"    title: {_q(s.title)}",
            f"    publisher: {_q(s.publisher)}",
            f"    url: {s.url}",
            f"    kind: {s.kind}",
            f"    date: {s.date.isoformat()}",
        ]
    return "\n".join(out) + "\n"


def site_yaml() -> str:
    """content/site.yaml for the benchmark site."""
    lines = [
        "title: Bench Checks",
        "description: Synthetic fact-checks for benchmarking.",
        "language: en",
        "base_url: https://bench.example.org/",
        "organization:",
        "  name: Bench Checks",
        "  url: https://bench.example.org/",
        "theme: default",
        "reviewers_required: 1",
        "page_size: 50",
        "ratings:",
        "  scale:",
    ]
    for key, label, value, color in RATINGS:
        lines += [
            f"    - key: {_q(key)}",
            f"      label: {_q(label)}",
            "      definition: A rating used by the benchmark.",
            f"      value: {value}",
            f'      color: "{color}"',
        ]
    lines.append("  other:")
    for key, label, color in OTHER_RATINGS:
        lines += [f"    - key: {_q(key)}", f"      label: {_q(label)}", "      definition: A rating outside the scale.", f'      color: "{color}"']
    return "\n".join(lines) + "\n"


def people_yaml() -> str:
    """content/people.yaml."""
    return "".join(f'- id: {pid}\n  name: {name}\n  role: {role}\n  bio: "{name} works on the *benchmark* desk."\n' for pid, name, role in PEOPLE)


ABOUT_MD = "---\ntitle: About\ndescription: About the benchmark site.\nmenu: 1\n---\nA synthetic site. See [the project](https://example.org/).\n"


def write_factcheck(reports: list[Report], root: Path) -> None:
    """A full factcheck project tree under root."""
    (root / "content" / "reports").mkdir(parents=True, exist_ok=True)
    (root / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "content" / "site.yaml").write_text(site_yaml(), encoding="utf-8")
    (root / "content" / "people.yaml").write_text(people_yaml(), encoding="utf-8")
    (root / "content" / "pages" / "about.md").write_text(ABOUT_MD, encoding="utf-8")
    for r in reports:
        (root / "content" / "reports" / f"{r.id}.yaml").write_text(report_yaml(r), encoding="utf-8")
        (root / r.snapshot_name).write_text(r.snapshot, encoding="utf-8")
    if (root / "themes").exists():
        shutil.rmtree(root / "themes")
    shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")


# --- plain markdown for Hugo and Eleventy ----------------------------------------------------


def markdown_page(r: Report, front_extra: str = "") -> str:
    """The report as one markdown page with YAML front matter (citations become numbered links)."""
    numbers = {s.id: n for n, s in enumerate(r.sources, start=1)}
    front = [
        "---",
        f"title: {_q(r.title)}",
        f"date: {r.published.isoformat()}",
        f"summary: {_q(r.summary)}",
        f"authors: [{', '.join(_q(a) for a in r.authors)}]",
        "claims:",
    ]
    for n, c in enumerate(r.claims, start=1):
        front += [f"  - n: {n}", f"    claim: {_q(c.reviewed)}", f"    rating: {_q(LABELS[c.rating])}"]
    body = ["## In short", "", r.summary, ""]
    for n, c in enumerate(r.claims, start=1):
        analysis = re.sub(r"^## ", "### ", c.analysis, flags=re.M)
        analysis = re.sub(r"\[@([^\]]+)\]", lambda m: f"[\\[{numbers[m.group(1)]}\\]](#source-{numbers[m.group(1)]})", analysis)
        body += [f"## {n}. {c.reviewed}", "", f"**Verdict: {LABELS[c.rating]}.** {c.explanation}", "", f"> {c.quote}", "", analysis]
    body += ["## Sources", ""]
    body += [f"{n}. [{s.title}]({s.url}), {s.publisher}, {s.date.isoformat()}" for n, s in enumerate(r.sources, start=1)]
    return "\n".join([*front, *([front_extra] if front_extra else []), "---", *body]) + "\n"


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Bench Checks"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

PAGE_HEAD = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Bench Checks</title><meta name="description" content="{description}">
<link rel="stylesheet" href="/style.css"></head>
<body><header class="site-header"><a class="brand" href="/">Bench Checks</a>
<nav aria-label="Main"><ul class="nav"><li><a href="/">Fact-checks</a></li><li><a href="/about/">About</a></li></ul></nav></header>
<main id="main" class="wrap">
"""
PAGE_FOOT = '</main>\n<footer class="site-footer"><p>Bench Checks is published by Bench Checks.</p></footer>\n</body>\n</html>\n'

HUGO_SINGLE = (
    PAGE_HEAD.format(title="{{ .Title }}", description="{{ .Summary | plainify | truncate 300 }}")
    + """<article class="report"><h1>{{ .Title }}</h1>
<p class="meta">Published <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
 · By {{ delimit .Params.authors ", " }}</p>
<table class="glance"><thead><tr><th>#</th><th>Claim</th><th>Verdict</th></tr></thead><tbody>
{{ range .Params.claims }}<tr><td>{{ .n }}</td><td>{{ .claim }}</td><td><span class="verdict">{{ .rating }}</span></td></tr>
{{ end }}</tbody></table>
<div class="prose">{{ .Content }}</div></article>
"""
    + PAGE_FOOT
)

HUGO_LIST = (
    PAGE_HEAD.format(title="{{ .Title }}", description="Synthetic fact-checks")
    + """<h1>Latest fact-checks</h1><ol class="report-list">
{{ range (where .Site.RegularPages "Section" "reports").ByDate.Reverse }}<li class="report-card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="meta">{{ .Date.Format "2 January 2006" }} · {{ len .Params.claims }} claims</p><p>{{ .Params.summary }}</p></li>
{{ end }}</ol>
"""
    + PAGE_FOOT
)

ELEVENTY_CONFIG = """\
module.exports = function () {
  return {
    dir: { input: "src", output: "_site", includes: "_includes" },
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
    templateFormats: ["md", "njk"],
  };
};
"""

ELEVENTY_LAYOUT = (
    PAGE_HEAD.format(title="{{ title }}", description="{{ summary | truncate(300) }}")
    + """<article class="report"><h1>{{ title }}</h1>
<p class="meta">Published <time datetime="{{ page.date.toISOString().slice(0, 10) }}">{{ page.date.toDateString() }}</time> · By {{ authors | join(", ") }}</p>
<table class="glance"><thead><tr><th>#</th><th>Claim</th><th>Verdict</th></tr></thead><tbody>
{% for c in claims %}<tr><td>{{ c.n }}</td><td>{{ c.claim }}</td><td><span class="verdict">{{ c.rating }}</span></td></tr>
{% endfor %}</tbody></table>
<div class="prose">{{ content | safe }}</div></article>
"""
    + PAGE_FOOT
)

ELEVENTY_LIST = (
    "---\ntitle: Latest fact-checks\n---\n"
    + PAGE_HEAD.format(title="{{ title }}", description="Synthetic fact-checks")
    + """<h1>Latest fact-checks</h1><ol class="report-list">
{% for r in collections.reports | reverse %}<li class="report-card"><h3><a href="{{ r.url }}">{{ r.data.title }}</a></h3>
<p class="meta">{{ r.date.toDateString() }} · {{ r.data.claims | length }} claims</p><p>{{ r.data.summary }}</p></li>
{% endfor %}</ol>
"""
    + PAGE_FOOT
)


def write_hugo(reports: list[Report], root: Path) -> None:
    """A Hugo site: one page layout, one list (home) layout, the reports under content/reports/."""
    (root / "content" / "reports").mkdir(parents=True, exist_ok=True)
    (root / "layouts").mkdir(parents=True, exist_ok=True)
    (root / "static").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (root / "layouts" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (root / "layouts" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    (root / "content" / "_index.md").write_text("---\ntitle: Bench Checks\n---\n", encoding="utf-8")
    (root / "content" / "about.md").write_text(ABOUT_MD.replace("menu: 1\n", "summary: About.\nauthors: []\nclaims: []\n"), encoding="utf-8")
    shutil.copy(REPO / "themes" / "default" / "static" / "style.css", root / "static" / "style.css")
    for r in reports:
        (root / "content" / "reports" / f"{r.id}.md").write_text(markdown_page(r), encoding="utf-8")


def write_eleventy(reports: list[Report], root: Path) -> None:
    """An Eleventy site: one Nunjucks page layout, one list page, the reports under src/reports/."""
    src = root / "src"
    (src / "reports").mkdir(parents=True, exist_ok=True)
    (src / "_includes").mkdir(parents=True, exist_ok=True)
    (root / "eleventy.config.cjs").write_text(ELEVENTY_CONFIG, encoding="utf-8")
    (src / "_includes" / "report.njk").write_text(ELEVENTY_LAYOUT, encoding="utf-8")
    (src / "index.njk").write_text(ELEVENTY_LIST, encoding="utf-8")
    (src / "about.md").write_text(ABOUT_MD.replace("menu: 1\n", "layout: report.njk\nsummary: About.\nauthors: []\nclaims: []\n"), encoding="utf-8")
    (src / "reports" / "reports.11tydata.json").write_text(json.dumps({"layout": "report.njk", "tags": "reports"}), encoding="utf-8")
    for r in reports:
        (src / "reports" / f"{r.id}.md").write_text(markdown_page(r), encoding="utf-8")


def write_all(n: int, out: Path, seed: int = 1) -> list[Report]:
    """Generate N reports and write the three trees under out/."""
    reports = generate(n, seed)
    for name in ("factcheck", "hugo", "eleventy"):
        if (out / name).exists():
            shutil.rmtree(out / name)
    write_factcheck(reports, out / "factcheck")
    write_hugo(reports, out / "hugo")
    write_eleventy(reports, out / "eleventy")
    return reports


def main() -> None:
    """Command line: write the corpus for N reports."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of reports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "corpus")
    args = parser.parse_args()
    reports = write_all(args.n, args.out, args.seed)
    words = sum(len(c.analysis.split()) for r in reports for c in r.claims) / max(1, len(reports))
    claims = sum(len(r.claims) for r in reports)
    print(f"wrote {len(reports)} reports ({claims} claims, {words:.0f} analysis words per report) under {args.out}")


if __name__ == "__main__":
    main()
