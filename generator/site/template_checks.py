"""Every problem in a theme's templates at once, before any page renders: syntax, nesting, missing templates.

Each template is parsed and compiled, so a template Python refuses (nested past its limits) is
named with its file; references to templates that no folder of the theme chain holds are found at
the line that names them. The compiled code can be kept for the render processes (see check_templates).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import jinja2

from generator.content.files import read_project_file
from generator.diagnostics import Diagnostic, error
from generator.site.theme import MISSING_TEMPLATE_HINT, THEMES, Theme, make_environment


def check_templates(theme: Theme, needed: Iterable[str] = (), compiled: jinja2.BytecodeCache | None = None) -> list[Diagnostic]:
    """Every problem in the theme chain's and content/templates' files at once: syntax errors, references
    to missing templates (at the line that names them), and templates the site needs that none provides.

    Each template is compiled to be checked; with `compiled` (the build's bytecode cache) the code is kept
    there too, so the processes that render load it instead of compiling every template once more each.
    """
    env = make_environment(theme)
    kept: set[str] = set()
    root = theme.root
    diags: list[Diagnostic] = []
    available: set[str] = set()
    files: list[tuple[str, str, Path]] = []  # (template name, path relative to the root, path)
    for folder in theme.template_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_dir() and not path.is_symlink():
                continue
            name = path.relative_to(folder).as_posix()
            available.add(name)
            files.append((name, path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix(), path))
    for name, rel, path in files:
        # A project's template is read under the file rule; a packaged theme's comes with factcheck itself.
        data = read_project_file(root, rel, diags) if path.is_relative_to(root) else path.read_bytes()
        if data is None:
            continue
        try:
            source = data.decode("utf-8-sig")
            tree = env.parse(source, name, rel)
            # Compiled too: Python refuses code nested past its limits, which Jinja's parser lets through.
            # Under the file name the loader gives (ProjectLoader.get_source), so the kept code is what it would make.
            filename = os.path.normpath(path)
            code = env.compile(tree, name, filename)
            if compiled is not None and name not in kept:  # the first folder's file is the one the loader finds
                kept.add(name)
                bucket = compiled.get_bucket(env, name, filename, source)
                bucket.code = code
                compiled.set_bucket(bucket)
        except jinja2.TemplateSyntaxError as exc:
            diags.append(error(rel, exc.lineno, 1, f"template syntax error: {exc.message}"))
            continue
        except UnicodeDecodeError:
            diags.append(error(rel, 1, 1, "template is not UTF-8 text", hint="save it as UTF-8"))
            continue
        except (RecursionError, SyntaxError, MemoryError):  # SyntaxError: "too many levels of indentation" and the like
            diags.append(
                error(
                    rel,
                    1,
                    1,
                    "template too deeply nested: tags, brackets or blocks inside each other too many levels deep",
                    hint="flatten it: move inner parts into macros or included templates",
                )
            )
            continue
        for line, names in _references(tree):
            if not any(_as_loaded(target) in available for target in names):  # a list of choices needs one of them
                message = f"template '{names[0]}' not found in the theme or its parents"
                diags.append(error(rel, line, 1, message, hint=MISSING_TEMPLATE_HINT))
    for name in sorted(set(needed) - available):
        diags.append(error(f"{THEMES}/{theme.name}/templates", 1, 1, f"template '{name}' is needed by the site but not found in the theme or its parents"))
    return diags


def _as_loaded(name: str) -> str:
    """The name as the loader looks it up (jinja2.loaders.split_template_path): './a.html' is 'a.html'; '' for one never found ('../a.html')."""
    pieces = [piece for piece in name.split("/") if piece and piece != "."]
    refused = ".." in pieces or any(os.sep in piece or (os.altsep and os.altsep in piece) for piece in pieces)
    return "" if refused else "/".join(pieces)


def _references(tree: jinja2.nodes.Template) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line, names) of every template named by constants in extends, include, import and from-import (names: choices)."""
    kinds = (jinja2.nodes.Extends, jinja2.nodes.Include, jinja2.nodes.Import, jinja2.nodes.FromImport)
    for node in tree.find_all(kinds):
        assert isinstance(node, kinds)
        if isinstance(node, jinja2.nodes.Include) and node.ignore_missing:
            continue
        target = node.template
        items = target.items if isinstance(target, (jinja2.nodes.Tuple, jinja2.nodes.List)) else [target]
        names = tuple(item.value for item in items if isinstance(item, jinja2.nodes.Const) and isinstance(item.value, str))
        if names and len(names) == len(items):  # names computed at render time cannot be checked here
            yield node.lineno, names
