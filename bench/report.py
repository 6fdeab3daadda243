"""Render benchmark results (the dict run.py collects) as docs/benchmarks.md."""

from __future__ import annotations

import argparse
import time
from typing import Any

OURS, HUGO, ELEVENTY = "factcheck", "Hugo", "Eleventy"


def _s(value: float | None) -> str:
    return "–" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def _ratio(ours: float | None, other: float | None) -> str:
    return "–" if not ours or not other else f"{ours / other:.2f}"


def _row(label: str, n: str, stats: dict[str, Any], key: str, fmt: Any) -> str:
    get = lambda name: stats.get(name, {}).get(key)  # noqa: E731
    ours, hugo, eleventy = get(OURS), get(HUGO), get(ELEVENTY)
    return f"| {label} | {int(n):,} | {fmt(ours)} | {fmt(hugo)} | {fmt(eleventy)} | {_ratio(ours, hugo)} | {_ratio(ours, eleventy)} |"


VARIANT_TITLES = {
    "equal": "Equal output: Hugo and Eleventy write the kind of pages factcheck writes",
    "minimal": "One page per report: Hugo and Eleventy write a page per report and one list",
}
SCENARIO_KEYS = ("cold", "edit", "serve", "files")


def _is_variant_map(entry: dict[str, Any]) -> bool:
    return bool(entry) and all(key in VARIANT_TITLES for key in entry)


def normalize(results: dict[str, Any]) -> dict[str, Any]:
    """Results of runs before variants existed ({n: {tool: stats}}) as {n: {"minimal": {tool: stats}}}."""
    for key in SCENARIO_KEYS:
        table = results.setdefault(key, {})
        for n, entry in list(table.items()):
            if isinstance(entry, dict) and not _is_variant_map(entry):
                table[n] = {"minimal": entry}
    return results


def variants_in(results: dict[str, Any]) -> list[str]:
    """The variants with any numbers, equal first."""
    seen = {v for key in SCENARIO_KEYS for entry in results.get(key, {}).values() for v in entry}
    return [v for v in VARIANT_TITLES if v in seen]


def _by_n(results: dict[str, Any], key: str, variant: str) -> list[tuple[str, dict[str, Any]]]:
    return sorted(((n, by[variant]) for n, by in results.get(key, {}).items() if variant in by), key=lambda kv: int(kv[0]))


def _run_counts(results: dict[str, Any]) -> str:
    """How many counted runs each scenario's figures are medians of, as stored with them."""
    said = []
    for key, label in (("cold", "cold builds"), ("edit", "edits"), ("check", "checks")):
        counts = set()
        for entry in results.get(key, {}).values():
            rows = entry.values() if key != "check" else [entry.get("warm", {})]
            for row in rows:
                for stats in [row] if key == "check" else [v for v in row.values() if isinstance(v, dict)]:
                    if "runs" in stats:
                        counts.add(int(stats["runs"]))
        if counts:
            said.append(f"{label}: {' or '.join(str(c) for c in sorted(counts))}")
    return "; ".join(said) or "one each"


def results_table(results: dict[str, Any], variant: str) -> list[str]:
    """The results table of one variant."""
    out = ["| scenario | N | factcheck | Hugo | Eleventy | ours/Hugo | ours/Eleventy |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, stats in _by_n(results, "cold", variant):
        out.append(_row("cold build, wall", n, stats, "wall", _s))
        out.append(_row("cold build, CPU", n, stats, "cpu", _s))
        out.append(_row("cold build, memory", n, stats, "tree_pss_mb", _mb))
        out.append(_row("cold build, max RSS", n, stats, "max_rss_mb", _mb))
    for n, stats in _by_n(results, "edit", variant):
        out.append(_row("one-report edit, wall", n, stats, "wall", _s))
        out.append(_row("one-report edit, CPU", n, stats, "cpu", _s))
        out.append(_row("one-report edit, memory", n, stats, "tree_pss_mb", _mb))
    for n, stats in _by_n(results, "serve", variant):
        out.append(_row("serve: edit to served, p50", n, stats, "p50", _s))
        out.append(_row("serve: edit to served, p95", n, stats, "p95", _s))
        out.append(_row("serve: peak memory", n, stats, "peak_mb", _mb))
        missing = stats.get("_missing") or []
        if missing:
            out.append(f"| serve | {int(n):,} | not measured ({', '.join(missing)}: no server) | | | | |")
    return out if len(out) > 2 else []


def _same(counts: dict[str, Any]) -> str:
    vs = counts.get("vs_factcheck")
    if vs is None:
        return ""
    if not vs["missing"] and not vs["extra"]:
        return "all"
    return f"{vs['missing']:,} of ours missing, {vs['extra']:,} not ours"


def files_table(results: dict[str, Any]) -> list[str]:
    """Files written by each tool in each variant: the reader's check that the work is equal."""
    out = [
        "| variant | N | tool | HTML pages | at factcheck's addresses | feeds | sitemaps | redirects | other | total | KB per HTML page | other files |",
        "| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for variant in variants_in(results):
        for n, tools in _by_n(results, "files", variant):
            for tool in (OURS, HUGO, ELEVENTY):
                c = tools.get(tool)
                if not c:
                    continue
                kb = c["html_bytes"] / c["html"] / 1024 if c["html"] else 0.0
                other = ", ".join(f"{k:,} {e}" for e, k in sorted(c["other_by_ext"].items(), key=lambda kv: (-kv[1], kv[0])))
                cells = " | ".join(f"{c[k]:,}" for k in ("feeds", "sitemaps", "redirects", "other", "total"))
                out.append(f"| {variant} | {int(n):,} | {tool} | {c['html']:,} | {_same(c)} | {cells} | {kb:.1f} | {other} |")
    return out if len(out) > 2 else []


WHAT_IS_BUILT = [
    "`bench/corpus.py` generates N reports, deterministic from a seed: 3 to 6 claims each (4.5 on average), each quote "
    "anchored in a generated article snapshot, 3 to 7 sources, about 600 words of markdown analysis per report with "
    "headings, lists, links, emphasis and citations. factcheck builds the project as it is, with every output it has: "
    "a report page, a page per claim (with its share-card PNG unless `share_cards: false`), the annotated article for "
    "one report in four, listings of claims by rating, claimant, topic and outlet paginated at 50 with their hubs, "
    "people pages, home, search page and search index shards, two Atom feeds (reports, corrections), the sitemap, "
    "robots.txt and the JSON and CSV exports. The benchmark sets `share_cards: false` in the generated site.yaml "
    "unless run with `--share-cards`, since Hugo and Eleventy draw no cards; search data and exports have no switch, "
    "so factcheck always writes them.",
    "",
    "The same reports are given to Hugo and Eleventy in two variants, built in the same run with the tools alternating:",
    "",
    "- **equal output** (`bench/equal.py`, templates in `bench/sites/`): a content file per report, per claim, per "
    "annotated article and per person, and the plain pages. Claims carry the taxonomies rating, claimant, topic and "
    "outlet (a claim's topics and outlet are its report's), so each tool's own machinery makes the listings, paginated "
    "at 50 (Hugo: taxonomies and `.Paginate`; Eleventy 3: one template paginated over a collection of 50-claim pages "
    "built in its config), and the hubs. The templates show what ours show: verdicts with their meter, quotes, "
    "sources, related claims (Hugo's related-content index; a filter in Eleventy choosing as ours does), share links, "
    "ClaimReview JSON-LD, the verdict mix on the home page and claimant pages. Each tool renders the markdown analyses "
    "with its own engine (Goldmark, markdown-it), once for the claim page and once for the report page, as ours does. "
    "Both write a feed of the 50 newest reports, a sitemap, robots.txt, a 404 page and the theme's static files.",
    "- **one page per report** (`bench/corpus.py`, the first round's variant): one markdown page per report with the "
    "claims, verdicts, quotes, analyses and sources, one page template and one list of all reports.",
    "",
    "The equal-output sites write no share-card PNGs, no search index shards, no JSON or CSV exports and no "
    "corrections feed; the files table below counts what each tool wrote, and the section on the equal-output "
    "variant further down says what each tool does and where it differs.",
]


def _growth_note(results: dict[str, Any]) -> list[str]:
    """How the growth row was measured, when its N=4,000 builds were made in alternation with the large ones."""
    from targets import GROWTH_N, TARGET_N, ours_at

    paired = results.get("growth_paired", {}).get(str(GROWTH_N))
    ours, large = ours_at(results.get("cold", {}), TARGET_N), ours_at(results.get("cold", {}), GROWTH_N)
    if not paired or ours is None or large is None:
        return []
    return [
        f"The growth row divides the median of the {GROWTH_N:,}-report builds by that of {TARGET_N:,}-report builds made "
        f"in alternation with them ({TARGET_N:,}, {GROWTH_N:,}, {TARGET_N:,}, ...: {paired['min_wall']:.2f} to "
        f"{paired['max_wall']:.2f} s), so that both sizes are measured in the same minutes of the machine, whose speed "
        f"moves by a fifth within an hour. The {TARGET_N:,}-report builds in the rounds with Hugo and Eleventy, earlier "
        f"in the run, took {ours['wall']:.2f} s (median): against them the ratio is {large['wall'] / ours['wall']:.2f} ×.",
        "",
    ]


def _cards_line(results: dict[str, Any]) -> str:
    cards = results.get("share_cards")
    if not isinstance(cards, dict) or not cards:
        return "factcheck's share cards in these numbers: as the project had them (runs before `--share-cards` existed drew them)."
    on = sorted((n for n, v in cards.items() if v), key=int)
    off = sorted((n for n, v in cards.items() if not v), key=int)
    say = lambda ns: ", ".join(f"{int(n):,}" for n in ns)  # noqa: E731
    parts = ([f"off at N={say(off)}"] if off else []) + ([f"on at N={say(on)}"] if on else [])
    liar = results.get("liar_share_cards")
    also = "" if liar is None else f" LIAR: {'on' if liar else 'off'}."
    return f"factcheck's share cards in these numbers: {'; '.join(parts)}.{also}"


def render(results: dict[str, Any], args: argparse.Namespace, chart: str | None, notes: str) -> str:
    """The whole markdown page."""
    from targets import earlier, issue13, table

    results = normalize(results)
    out = [
        "# Benchmarks: factcheck, Hugo and Eleventy",
        "",
        f"Generated by `python bench/run.py` on {time.strftime('%Y-%m-%d')} ({results['seconds'] / 60:.0f} minutes). "
        "Absolute times on a shared 2-core machine are noisy; the ratios, taken from the same run with the generators "
        "alternating (factcheck, then Hugo and Eleventy of each variant, factcheck, ...), are the figures to quote. Each "
        f"figure is the median of its scenario's counted runs ({_run_counts(results)}); memory is the peak over those runs. "
        "A `--merge` run adds to the numbers of earlier runs: bench/notes.md (below) says which rows each run measured.",
        "",
        "## Machine and versions",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in results["machine"].items()],
        *[f"| {k} | {v} |" for k, v in results["versions"].items()],
        "",
        "## What is built",
        "",
        *WHAT_IS_BUILT,
        "",
        _cards_line(results),
        "",
        "Commands (the cold build first deletes the output and every cache):",
        "",
        "```",
        "python -m generator --root factcheck build --out site-factcheck          # cache: factcheck/.cache/factcheck/",
        "hugo --quiet --source hugo-equal --destination site-hugo-equal --cacheDir hugo-equal/.hugo_cache   # or hugo/",
        "node node_modules/@11ty/eleventy/cmd.cjs --quiet --output=site-eleventy-equal   # in eleventy-equal/ or eleventy/",
        "python -m generator --root factcheck serve --port P     |   hugo server --source hugo-equal --port P",
        "```",
        "",
        "- **cold**: no output folder, no cache. **edit**: one report's summary changed, then a build with the output and "
        "cache of the previous build in place (what CI with a restored cache does). Hugo and Eleventy keep no build cache "
        "between runs, so theirs is a full build over an existing output folder.",
        "- **CPU** is user + system time of the command and its child processes (wait4 rusage). **memory** is the peak "
        "sum of PSS over the process tree, sampled every 50 ms, or less often when one sample would take more than 5% of a core "
        "(shared pages split between the processes that share them); "
        "**max RSS** is the largest single process (rusage).",
        "- **serve**: the time from writing the file to the first HTTP response that contains the edit, polling every 2 ms, "
        f"{args.serve_edits} edits after 2 warm-up edits, servers alternating.",
        "",
        "## Results",
        "",
    ]
    for variant in variants_in(results):
        rows = results_table(results, variant)
        if rows:
            out += [f"### {VARIANT_TITLES[variant]}", "", *rows, ""]
    files = files_table(results)
    if files:
        out += ["### Files written", "", "Counted in each tool's output after its last cold build (or edit build).", "", *files, ""]
    if chart:
        out += [f"![Cold build time and peak memory against N]({chart})", ""]
    out += ["## Targets (issue 13)", "", *table(issue13(results)), "", *_growth_note(results)]
    first = earlier(results)
    if first:
        out += ["Targets of the first round that the edit and serve scenarios still measure:", "", *table(first), ""]
    out += check_section(results)
    failures = list(dict.fromkeys(results.get("failures") or []))
    if failures:
        out += ["Failures in this run:", "", *[f"- {f}" for f in failures], ""]
    liar = results.get("liar")
    out += ["## LIAR corpus", ""]
    if liar:
        out.append(
            f"`tools/liar_to_content.py` converts the {results.get('liar_reports', 0):,} LIAR statements (research-use data, "
            f"never committed) into one report each. Cold build, median of {int(liar['runs'])}: **{_s(liar['wall'])}** wall, "
            f"{_s(liar['cpu'])} CPU, {_mb(liar['tree_pss_mb'])} peak memory."
        )
    else:
        out.append("Not measured in this run (the converter or the data was missing, or the scenario was not selected).")
    out.append("")
    out += _phases(results, args)
    if notes:
        out += [notes.strip(), ""]
    return "\n".join(out)


def check_section(results: dict[str, Any]) -> list[str]:
    """`factcheck check` cold and warm, and issue 10's targets for it."""
    from targets import issue10, table

    checks = results.get("check") or {}
    out = ["## `factcheck check` (issue 10)", ""]
    if checks:
        out += [
            "What a pull request's check costs (bench/checks.py): cold (no `.cache/`), warm with nothing changed, and warm after "
            "one report was edited; medians, memory the peak. The check stage is the `Checked ... in X s` line of `check -v` "
            "and of a cold `build -v`: the same pipeline, so neither should cost more.",
            "",
            "| N | cold | warm | warm, one report edited | check stage: `check` / `build` | memory (warm) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for n, got in sorted(checks.items(), key=lambda kv: int(kv[0])):
            walls = " | ".join(_s(got[kind]["wall"]) for kind in ("cold", "warm", "edited"))
            stages = f"{_s(got['check_stage'])} / {_s(got['build_stage'])}"
            out.append(f"| {int(n):,} | {walls} | {stages} | {_mb(got['warm']['tree_pss_mb'])} |")
        out.append("")
    out += [*table(issue10(results)), ""]
    return out


PHASES = {
    "load": "load (read + YAML compose)",
    "validate": "validate + cross-file checks",
    "markdown": "markdown (parsed while checking, rendered while modelling)",
    "model": "model (without markdown)",
    "plan": "plan pages",
    "templates": "templates (Jinja)",
    "cards": "share-card PNGs (Pillow)",
    "files": "feeds, sitemap, exports, search index, static files",
    "write": "write",
}


def _phases(results: dict[str, Any], args: argparse.Namespace) -> list[str]:
    phases = results.get("phases")
    if not phases:
        return []
    p = phases["phases"]
    work = sum(p.get(k, 0.0) for k in PHASES)
    out = [
        f"## Phase split (N={int(phases.get('n', max(args.n))):,}, one process, no cache)",
        "",
        "`bench/phases.py` runs the stages one after another in one process, so each stage's share of the work shows "
        "(the build spreads load-to-model and templates-to-write over both cores).",
        "",
        "| phase | seconds | share |",
        "| --- | ---: | ---: |",
    ]
    out += [f"| {label} | {p[key]:.2f} | {100 * p[key] / work:.0f}% |" for key, label in PHASES.items() if key in p]
    out += [f"| total ({int(p['pages']):,} files) | {p['total']:.2f} | |", ""]
    if phases.get("profile"):
        out += [
            "Functions with the most own time (cProfile, same sequential build; profiling slows it about 2 ×):",
            "",
            "```",
            phases["profile"],
            "```",
            "",
        ]
    return out
