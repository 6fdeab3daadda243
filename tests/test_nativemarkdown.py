"""generator/content/nativemarkdown.py: the native engine renders what it may, byte for byte as markdown-it-py does, and nothing else."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
import yaml

from conftest import DATA, REPO
from generator.content.markdown import MarkdownRenderer, refused_links
from generator.content.nativemarkdown import citation_html, native_ok, relabelled

CASES = json.loads((DATA / "markdown" / "native-cases.json").read_text(encoding="utf-8"))
PIECES = [
    *("*", "**", "_", "__", "~~", "~", "[", "]", "(", ")", "[@a]", "[@b; @c]", "@a", "`", "```", "\n", "\n\n", "> ", "- ", "1. ", "1)", "+ "),
    *("  ", "    ", "\t", "#", "## ", "|", "|-|", ":", ":-", "---", "***", "===", "<", ">", "&", "&amp;", "!", "![", "\\", "\\[", "'", '"'),
    *("word", "two words", "x_y_z", "é", "😀", "\u00a0", "https://x.example/p?q=1&r=2", "http://ünï.example/ä", "<https://auto.example>"),
    *("<a@b.example>", '[t](https://x.example "title")', "[r](../rel/)", "[e](ftp://x)", "^[", "[^1]", "[x]: https://r.example", "[x]", "![a](b)"),
]


def both(text: str) -> tuple[str, str]:
    """The HTML markdown-it-py makes of `text`, and what the renderer makes (natively where it may), two numberings, headings shifted."""
    numberings = [{"a": 1, "b": 2}, {}]
    slow = MarkdownRenderer(native=False).render_each(text, numberings, "doc", 1)
    fast = MarkdownRenderer().render_each(text, numberings, "doc", 1)
    assert [r.rejected_links for r in slow] == [r.rejected_links for r in fast]
    return "".join(r.html for r in slow), "".join(r.html for r in fast)


@pytest.mark.parametrize("text", CASES)
def test_texts_the_engines_once_disagreed_on_render_as_markdown_it_py_does(text: str) -> None:
    slow, fast = both(text)
    assert fast == slow


def test_random_markdown_renders_as_markdown_it_py_does() -> None:
    rng = random.Random(20261202)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    differ = [t for t in texts if len(set(both(t))) > 1]
    assert differ == []
    assert sum(native_ok(t) for t in texts) > 400  # the native engine did take a good share of them


def test_the_bundled_analyses_all_take_the_native_engine_and_render_the_same() -> None:
    analyses = []
    for path in sorted((REPO / "content" / "reports").rglob("*.yaml")):
        analyses += [claim["analysis"] for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]]
    assert len(analyses) > 10
    for text in analyses:
        assert MarkdownRenderer()._native(text) is not None, text[:80]
        slow, fast = both(text)
        assert fast == slow


@pytest.mark.parametrize("text", [">" * 100000 + " x", "*" * 60000 + "a" + "*" * 60000, "![" * 30000 + "a" + "](u)" * 30000, "> - " * 20000 + "x"])
def test_nesting_that_would_crash_the_native_engine_takes_markdown_it_py(text: str) -> None:
    """markdown-it-pyrs overflows its stack (the process dies) at about 50,000 levels: such a text never reaches it."""
    assert not native_ok(text)
    code = "import sys; from generator.content.markdown import MarkdownRenderer; MarkdownRenderer().render(sys.stdin.read()); print('ok')"
    result = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0 and result.stdout == "ok\n"


def test_a_text_that_panics_the_native_engine_renders_quietly() -> None:
    """markdown-it-pyrs 0.4 panics on "[a`"; the text goes to markdown-it-py, and no Rust message reaches the terminal."""
    code = "from generator.content.markdown import MarkdownRenderer; print(MarkdownRenderer().render('see [a` here').html, end='')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "<p>see [a` here</p>\n", "")


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("[x](javascript:alert(1))", ["javascript:alert(1)"]),
        ("<a@b.example>", ["mailto:a@b.example"]),
        ("[x](&#106;avascript:alert(1))", ["javascript:alert(1)"]),
        ("[z](//evil.example/)", ["//evil.example/"]),
        ("fine [x](https://ok.example/) [@a]", []),
    ],
)
def test_refused_links_are_found_whichever_engine_renders(text: str, refused: list[str]) -> None:
    assert [url for _, _, url in refused_links(text)] == refused
    assert MarkdownRenderer().render(text).rejected_links == refused


def test_relabelled_citations_are_those_another_numbering_makes() -> None:
    ids = ["a", "b&c", "unknown"]
    mine, report = {"a": 1, "b&c": 2}, {"a": 5, "b&c": 2, "unknown": 7}
    text = f'<p>See {citation_html(ids, mine)} and [@a] in text, <a href="#source-a">a link</a>.</p>'
    labels = {"a": "5", "unknown": "7"}
    assert relabelled(text, labels) == f'<p>See {citation_html(ids, report)} and [@a] in text, <a href="#source-a">a link</a>.</p>'
    assert relabelled(text, {}) == text
    assert 'href="#source-b&amp;c" aria-label="Source 2"' in relabelled(text, labels)  # ids are matched as escaped in the link


@pytest.mark.parametrize("text", ["x ](" + " " * 30_000 + "y", "a|b\n" + "-" * 30_000 + "x", "](" * 20_000 + " y"])
def test_texts_its_patterns_once_read_quadratically_are_judged_in_one_pass(text: str) -> None:
    """The sixth hostile-input audit: a run of spaces after '](' took 8 s for 20,000 (two runs side by side backtracked)."""
    native_ok(text)  # returns at once; what it decides is the engines' business
    assert not native_ok("see ](  <  javascript:alert(1))") and not native_ok("[a]: < data:text/html,x")
