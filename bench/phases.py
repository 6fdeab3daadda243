"""Phase split of one cold build, in process: load, validate, model (markdown apart), plan, templates, write.

Runs the pipeline stage by stage on one CPU, without the cache and without worker processes,
so each phase's share of the work shows; the parallel build spreads the same work over the
cores. Markdown time (parsing while checking, rendering while modelling) is measured by wrapping MarkdownRenderer's refused and render_each; the render
stage is split into pages from templates, share-card PNGs and the other made files.
With --profile it also prints the functions with the most own time (cProfile).

    python bench/phases.py PROJECT [--profile]      # prints one JSON object
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The code to measure: --code FOLDER (run.py's snapshot of generator/), else this repository.
_code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, _code)

from generator.content import markdown  # noqa: E402
from generator.content.checks import check_people, check_report_doc, check_site, make_context  # noqa: E402
from generator.content.load import PEOPLE_FILE, SITE_FILE, discover, load_yaml_file, read_snapshot  # noqa: E402
from generator.content.schema import SITE  # noqa: E402
from generator.content.stringtables import load_catalog, string_dirs  # noqa: E402
from generator.content.validate import validate_doc  # noqa: E402
from generator.model.assemble import ModelBuilder, assemble_site, build_config  # noqa: E402
from generator.output.disk import copy_static  # noqa: E402
from generator.pipeline.heap import tuned_gc  # noqa: E402
from generator.site.plan import expand, plan_site  # noqa: E402
from generator.site.render import install_globals, render_job  # noqa: E402
from generator.site.theme import make_environment, resolve_theme  # noqa: E402


def phases(root: Path) -> dict[str, float]:
    """Seconds per phase for one sequential cold build of the project (the pipeline's stages, called one by one)."""
    spent = [0.0]
    # markdown-it parses each analysis while it is checked (for refused links, `refused`) and renders the kept
    # parse while it is modelled (`render_each`, which `render` calls too): both are markdown's time.
    originals = {name: getattr(markdown.MarkdownRenderer, name) for name in ("refused", "render_each")}

    def timed(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: markdown.MarkdownRenderer, *args: object, **kwargs: object) -> Any:
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return wrapper

    for name, original in originals.items():
        setattr(markdown.MarkdownRenderer, name, timed(original))
    out = Path(tempfile.mkdtemp(prefix="phases-")) / "site"
    times: dict[str, float] = {}
    try:
        with tuned_gc():
            diags: list = []
            t0 = time.perf_counter()
            found = discover(root)
            site_doc = load_yaml_file(root, SITE_FILE, diags)
            people_doc = load_yaml_file(root, PEOPLE_FILE, diags)
            docs = [load_yaml_file(root, rel, diags) for rel in found.reports]
            snapshots = {rel: read_snapshot(root, rel, []) or b"" for rel in found.snapshots}
            t1, md1 = time.perf_counter(), spent[0]
            site_obj = check_site(validate_doc(site_doc, SITE, diags), diags)
            people = check_people(people_doc, diags)
            ctx = make_context(site_obj, people, snapshots)
            checked = [check_report_doc(doc, ctx, diags)[1] for doc in docs]
            del docs
            t2, md2 = time.perf_counter(), spent[0]
            builder = ModelBuilder(build_config(site_obj), people)
            reports = [builder.report(c) for c in checked if c is not None]
            del checked
            site = assemble_site(builder.config, builder.people.values(), reports, [], False)
            t3, md3 = time.perf_counter(), spent[0]
            theme = resolve_theme(root, site.config.theme)
            # The theme's string tables, as build.prepare reads them.
            codes = [language.code for language in site.config.languages] or [site.config.language]
            catalog, _ = load_catalog(root, string_dirs(theme.chain, root), codes[0], codes)
            plan = plan_site(site, catalog=catalog)
            t4 = time.perf_counter()
            env = make_environment(theme)
            install_globals(env, site, plan.globals, plan.other_languages)
            # Pages from templates, share cards (PNG) and the other made files (feeds, sitemap, exports) apart.
            made_by = {"templates": 0.0, "cards": 0.0, "files": 0.0}
            pages = []
            for job in plan.jobs:
                started = time.perf_counter()
                pages.append(render_job(env, job, site))
                made_by["templates" if job.template else "cards" if job.url.endswith(".png") else "files"] += time.perf_counter() - started
            started = time.perf_counter()
            pages += [render_job(env, job, site) for fs in plan.file_sets for job in expand(fs)]
            pages += copy_static(theme.static_dirs, root)
            made_by["files"] += time.perf_counter() - started
            t5 = time.perf_counter()
            made: set[Path] = set()
            for page in pages:
                target = out / page.path
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                target.write_bytes(page.data)
            t6 = time.perf_counter()
        times = {
            "load": t1 - t0,
            # Markdown is rendered while checking (validate) and while modelling: each stage is counted without it.
            "validate": t2 - t1 - (md2 - md1),
            "markdown": spent[0],
            "model": t3 - t2 - (md3 - md2),
            "plan": t4 - t3,
            "templates": t5 - t4 - made_by["cards"] - made_by["files"],
            "cards": made_by["cards"],
            "files": made_by["files"],
            "write": t6 - t5,
            "total": t6 - t0,
            "pages": float(len(pages)),
        }
    finally:
        for name, original in originals.items():
            setattr(markdown.MarkdownRenderer, name, original)
        shutil.rmtree(out.parent, ignore_errors=True)
    return times


def top_functions(root: Path, count: int = 15) -> str:
    """cProfile of a sequential build: the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    phases(root)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(count)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(line.replace(str(Path.home()), "~") for line in lines[start:])


def main() -> None:
    """Command line: print the phase split (and the profile) as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--code", type=Path, default=None, help="folder holding the generator package to measure")
    args = parser.parse_args()
    result: dict[str, object] = {"phases": phases(args.root)}
    gc.collect()
    if args.profile:
        result["profile"] = top_functions(args.root)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
