"""Themes: inheritance, site overrides, errors."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import jinja2.sandbox
import pytest
from markupsafe import Markup

from conftest import SITE_YAML
from generator.build import BuildOptions, build, check, prepare, render_site
from generator.diagnostics import BuildFailed, format_text
from generator.site.deadline import RenderTimeout, check_deadline, render_deadline
from generator.site.languages import link
from generator.site.sandbox import TemplateGlobals, TemplateRecursion, ThemeSandbox
from generator.site.theme import (
    TEMPLATES_HELD,
    LoadedTemplates,
    format_date,
    host,
    make_environment,
    resolve_theme,
)


def page_html(root: Path, path: str) -> str:
    result = render_site(root)
    return next(p.data.decode() for p in result.pages if p.path == path)


def test_child_theme_extends_parent(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {
            "content/site.yaml": SITE_YAML + "theme: newsroom\n",
            "themes/newsroom/theme.yaml": "name: newsroom\nextends: default\n",
            "themes/newsroom/templates/page.html": '{% extends "base.html" %}{% block content %}<h1 class="newsroom">{{ page.title }}</h1>{% endblock %}',
            "themes/newsroom/static/style.css": "body { color: red; }",
        }
    )
    assert resolve_theme(root, "newsroom").chain[1].name == "default"
    assert '<h1 class="newsroom">About us</h1>' in page_html(root, "about/index.html")
    assert "Latest fact-checks" in page_html(root, "index.html")  # inherited
    result = render_site(root)
    assert next(p.data for p in result.pages if p.path == "static/style.css") == b"body { color: red; }"
    assert any(p.path == "static/print.css" for p in result.pages)


def test_site_overrides_single_templates(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/templates/404.html": '{% extends "base.html" %}{% block content %}<p>Custom 404</p>{% endblock %}'})
    assert "<p>Custom 404</p>" in page_html(root, "404.html")


def test_missing_theme_and_loops_are_diagnostics(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/site.yaml": SITE_YAML + "theme: nope\n"})
    with pytest.raises(BuildFailed) as failed:
        render_site(root)
    assert "theme 'nope' not found" in failed.value.diagnostics[-1].message
    assert "default" in failed.value.diagnostics[-1].hint
    loop = make_project({"content/site.yaml": SITE_YAML + "theme: a\n", "themes/a/theme.yaml": "extends: a\n", "themes/a/templates/x.html": ""})
    with pytest.raises(BuildFailed) as failed:
        render_site(loop)
    assert "extends itself" in failed.value.diagnostics[-1].message
    # Through another theme: at the line of the extends that closes the loop (hostile-input audit F5).
    files = {"content/site.yaml": SITE_YAML + "theme: mine\n", "themes/mine/theme.yaml": "extends: other\n", "themes/other/theme.yaml": "# x\nextends: mine\n"}
    files |= {"themes/mine/templates/x.html": "", "themes/other/templates/x.html": ""}
    with pytest.raises(BuildFailed) as failed:
        render_site(make_project(files))
    looped = failed.value.diagnostics[-1]  # after the check's notes (no base_url)
    assert (looped.path, looped.line, looped.col, looped.message) == ("themes/other/theme.yaml", 2, 10, "theme 'mine' extends itself (through other)")


def test_template_syntax_error_is_located(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/templates/page.html": "line one\n{% if %}\n"})
    with pytest.raises(BuildFailed) as failed:
        render_site(root)
    diag = failed.value.diagnostics[-1]
    assert (diag.path, diag.line) == ("content/templates/page.html", 2)
    assert "template syntax error" in diag.message


def test_filters() -> None:
    import datetime as dt

    assert format_date(dt.date(2026, 6, 2)) == "2 June 2026"
    assert format_date(dt.date(2026, 6, 2), "short") == "2 Jun 2026"
    assert format_date(None) == ""
    assert host("https://www.example.org/a?b") == "example.org"


def test_packaged_theme_is_used_without_a_themes_folder(make_project: Callable[..., Path]) -> None:
    """A site with no themes/ of its own builds with the default theme shipped in the package."""
    from generator.packaged import data_dir

    root = make_project(theme=False)
    assert not (root / "themes").exists()
    theme = resolve_theme(root, "default")
    assert theme.chain == (data_dir("themes") / "default",)  # type: ignore[operator]
    assert "Latest fact-checks" in page_html(root, "index.html")


def test_project_theme_extends_the_packaged_one_of_the_same_name(make_project: Callable[..., Path]) -> None:
    """themes/default/ with `extends: default` changes one template and inherits the rest from the package."""
    root = make_project(
        {
            "themes/default/theme.yaml": "name: default\nextends: default\n",
            "themes/default/templates/page.html": '{% extends "base.html" %}{% block content %}<h1 class="mine">{{ page.title }}</h1>{% endblock %}',
        },
        theme=False,
    )
    assert len(resolve_theme(root, "default").chain) == 2
    assert '<h1 class="mine">About us</h1>' in page_html(root, "about/index.html")
    assert "Latest fact-checks" in page_html(root, "index.html")


def test_misspelt_theme_is_an_error_of_check_at_its_line(make_project: Callable[..., Path]) -> None:
    """`check` reports an unknown theme at the `theme:` line of site.yaml with a suggestion."""
    from generator.build import check
    from generator.diagnostics import format_text

    root = make_project({"content/site.yaml": SITE_YAML + "theme: defualt\n"}, theme=False)
    with pytest.raises(BuildFailed) as failed:
        check(root)
    line = SITE_YAML.count("\n") + 1
    assert format_text(failed.value.diagnostics) == f"content/site.yaml:{line}:8: error: theme: theme 'defualt' not found\n    hint: did you mean 'default'?"


@pytest.fixture
def env(make_project: Callable[..., Path]) -> jinja2.Environment:
    return make_environment(resolve_theme(make_project(), "default"))


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(10**9) %}{% endfor %}",
        "{% for i in range(10**5) %}{% for j in range(10**5) %}{{ j }}{% endfor %}{% endfor %}",
        "{% for i in range(10**9) %}{{ 'https://x.example/'|host }}{% endfor %}",
        "{% set ns = namespace(n=0) %}{% for i in range(10**9) %}{% set ns.n = ns.n + 1 %}{% endfor %}",
        "{% macro f(n) %}{% for i in range(100) %}{{ f(n + 1) if n < 3 else '' }}{% endfor %}{% endmacro %}{{ f(0) }}",
    ],
)
def test_runaway_templates_stop_at_the_deadline(env: jinja2.Environment, source: str) -> None:
    # Earlier tests' garbage is collected first: collected mid-render, a finalizer could be running when the alarm
    # fires, and Python would report the swallowed RenderTimeout as a warning (the next check stops the render all the same).
    gc.collect()
    with render_deadline(0.2), pytest.raises(RenderTimeout, match=r"longer than 0\.2 s"):
        env.from_string(source).render()


def test_a_recursive_macro_is_an_ordinary_template_error(env: jinja2.Environment) -> None:
    with pytest.raises(TemplateRecursion, match="too deeply"):
        env.from_string("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").render()
    with render_deadline(5), pytest.raises(TemplateRecursion):
        env.from_string("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}").render()


@pytest.mark.parametrize("drafts", [[], ["--drafts"]])
def test_a_recursive_template_fails_the_build_with_a_diagnostic(make_project: Callable[..., Path], drafts: list[str]) -> None:
    page = "{% extends 'base.html' %}\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{% block content %}{{ f(0) }}{% endblock %}\n"
    root = make_project({"content/templates/page.html": page})
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build", *drafts], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/templates/page.html:2:1: error: template error: TemplateRecursion" in result.stderr


def test_range_behaves_as_before_and_no_deadline_means_no_limit(env: jinja2.Environment) -> None:
    out = env.from_string("{{ range(5)|list }} {{ range(5)|length }} {{ range(10)[2] }} {{ range(2, 10, 3)|list }} {{ range(3)|reverse|list }}").render()
    assert out == "[0, 1, 2, 3, 4] 5 2 [2, 5, 8] [2, 1, 0]"
    check_deadline()  # outside render_deadline: never raises
    with render_deadline(60):
        assert env.from_string("{% for i in range(3000) %}{% endfor %}ok").render() == "ok"
    check_deadline()


def test_calls_from_templates_pass_the_context_only_where_asked(env: jinja2.Environment) -> None:
    # The quick path for plain functions and macros must not change what Jinja passes to the others.
    @jinja2.pass_context
    def page_name(context: jinja2.runtime.Context) -> str:
        return str(context.get("name"))

    @jinja2.pass_environment
    def autoescaping(environment: jinja2.Environment) -> bool:
        return bool(environment.autoescape)

    def plain(*args: object, **kwargs: object) -> str:
        return f"{args}{sorted(kwargs)}"

    def stops() -> object:
        raise StopIteration

    template = env.from_string(
        "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(1) }} {{ page_name() }} {{ autoescaping() }} "
        "{% for i in [1] %}{{ plain(i, k=2) }}{% endfor %} [{{ stops() is undefined }}]"
    )
    out = template.render(page_name=page_name, autoescaping=autoescaping, plain=plain, stops=stops, name="home")
    assert out == "<1> home True (1,)[&#39;k&#39;] [True]"


def test_imported_templates_see_the_importers_globals_and_those_added_later() -> None:
    # Template globals keep Jinja's ChainMap lookups; only their keys are a real set, which Jinja subtracts on every import.
    env = ThemeSandbox(
        loader=jinja2.DictLoader({"m.html": "{% macro show() %}{{ extra }}/{{ later }}{% endmacro %}", "page.html": '{% import "m.html" as m %}{{ m.show() }}'})
    )
    page = env.get_template("page.html", globals={"extra": "own"})
    assert isinstance(page.globals, TemplateGlobals) and isinstance(page.globals.keys(), set)
    env.globals["later"] = "added"  # after the template was loaded, as install_globals does
    assert page.render() == "own/added"
    assert env.get_template("m.html").globals.keys() >= {"later", "range"}
    assert "extra" not in env.get_template("m.html").globals


def test_template_globals_read_the_templates_own_names_first_and_iterate_as_a_set() -> None:
    own, shared = {"a": "own"}, {"a": "shared", "b": "shared"}
    names = TemplateGlobals(own, shared)
    assert (names["a"], names["b"]) == ("own", "shared")
    assert set(names) == names.keys() == {"a", "b"} and dict(names) == {"a": "own", "b": "shared"}
    with pytest.raises(KeyError):
        names["c"]
    shared["c"] = "later"  # the environment's globals stay live (install_globals adds to them after loading)
    assert names["c"] == "later" and "c" in set(names)


def test_loaded_templates_keep_the_newest_up_to_their_capacity() -> None:
    held = LoadedTemplates(3)
    for name in "abcde":
        held[name] = name.upper()
    assert list(held.items()) == [("c", "C"), ("d", "D"), ("e", "E")]


def test_a_template_spelling_one_file_in_endless_ways_does_not_fill_memory(make_project: Callable[..., Path]) -> None:
    """A name is cached as spelled ('./a.html', './/a.html'...): the cache of loaded templates stays bounded."""
    root = make_project({"content/templates/partials/one.html": "1"})
    env = make_environment(resolve_theme(root, "default"))
    source = "{% for i in range(1000) %}{% include ('./' * i) ~ 'partials/one.html' %}{% endfor %}"
    with render_deadline(60):
        assert env.from_string(source).render() == "1" * 1000
    assert isinstance(env.cache, LoadedTemplates) and len(env.cache) <= TEMPLATES_HELD


def test_only_the_generators_own_functions_skip_the_sandboxs_call_check(env: jinja2.Environment) -> None:
    # The generator's own globals go straight to the context; anything else still passes Jinja's check.
    @jinja2.sandbox.unsafe
    def outside() -> str:
        return "ran"

    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string("{{ f() }}").render(f=outside)
    out = env.from_string("{% for i in [1] %}{{ link('https://a.example/?q=<x>', i, rel='noopener') }}{% endfor %}").render(link=link)
    assert out == '<a href="https://a.example/?q=&lt;x&gt;" rel="noopener">1</a>'


def test_a_template_cannot_reach_python_internals_or_run_programs(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """Templates come with pull requests: `cycler.__init__.__globals__.os` ran any command on the building machine."""
    marker = tmp_path / "ran"
    payload = f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}{{{{ lipsum.__globals__['os'].system('touch {marker}') }}}}"
    root = make_project({"content/templates/home.html": payload})
    with pytest.raises(BuildFailed) as failed:
        check(root)
    assert "SecurityError" in format_text(failed.value.diagnostics)
    assert not marker.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ Markup.format(Markup('[{0.__init__.__globals__[os].name}]'), cycler) }}",
        "{{ Markup['format_map'](Markup('[{c.__init__.__globals__[os].name}]'), {'c': cycler}) }}",
        "{{ Markup.format(Markup('{:>1234567}'), 1) }}",
        "{{ Markup.center(Markup('a'), 1234567) }}",
        "{% set f = Markup|attr('format') %}{{ f(Markup('[{0.__init__.__globals__[os].name}]'), cycler) }}",
    ],
)
def test_a_class_given_to_templates_lends_them_none_of_its_functions(make_project: Callable[..., Path], payload: str) -> None:
    """A review found it: `Markup.format`, read from the class, ran markupsafe's formatter outside the sandbox,
    which read any attribute of what it filled in (the building machine's environment, its secrets) and any width."""
    root = make_project({"content/templates/home.html": "{% extends 'base.html' %}{% block content %}" + payload + "{% endblock %}"})
    with pytest.raises(BuildFailed) as failed:
        build(root, root / "site", BuildOptions(cache=False))
    text = format_text(failed.value.diagnostics)
    assert "SecurityError" in text and "of 'type' object is unsafe" in text and "posix" not in text
    assert not (root / "site").exists()
    # Calling the class is what themes do, and still works.
    fine = make_project({"content/templates/home.html": "{% extends 'base.html' %}{% block content %}{{ Markup('<code>x</code>') }}{% endblock %}"})
    build(fine, fine / "site", BuildOptions(cache=False))
    assert "<code>x</code>" in (fine / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "expression",
    [
        "report.__class__.__init__.__globals__",
        "report.claims[0].rating.__class__.__mro__",
        "site.config.__reduce_ex__(2)",
        "(report.claims|first).claimant.__slots__",
        "report.claims|map(attribute='__class__')|first",
    ],
)
def test_model_objects_in_templates_keep_the_sandbox(make_project: Callable[..., Path], env: jinja2.Environment, expression: str) -> None:
    # Model objects take a quick way through the sandbox's attribute check: names starting with '_' must still stop there.
    site = prepare(make_project(), BuildOptions(cache=False)).site
    report = site.reports[0]
    page = env.from_string("{% for c in report.claims %}{{ loop.index }}:{{ c.rating.label }};{% endfor %}")
    assert page.render(report=report).startswith(f"1:{report.claims[0].rating.label};")
    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string("{{ " + expression + " }}").render(report=report, site=site)


@pytest.mark.parametrize(
    "expression",
    ["'a' * 10**10", "10**10 * ['x']", "10 ** 100000000", "(10 ** 10) ** (10 ** 10)", "'%0999999999d' % 1", "'%.9999999f' % 1", "'%*d' % (10**9, 1)"],
)
def test_one_operation_cannot_fill_memory(env: jinja2.Environment, expression: str) -> None:
    # No time limit can stop a single operation once started: the sandbox refuses these before they run.
    with pytest.raises(jinja2.exceptions.SecurityError, match="too large"):
        env.from_string("{{ " + expression + " }}").render()


@pytest.mark.parametrize(
    "expression",
    [
        "'%03000000000d'|format(1)",
        "'a'|center(3000000000)",
        "'a'|indent(3000000000, true)",
        "'a'.ljust(3000000000)",
        "'1'.zfill(3000000000)",
        "'a'.center(3000000000)",
        "'\\t'.expandtabs(3000000000)",
        "'{:>3000000000}'.format(1)",
        "'{:>{w}}'.format(1, w=3000000000)",
        "'{:>{}}'.format('x', '1500000000')",  # widths given as text, an item, a key: only the filled-in spec shows them
        "'{0:>{1[w]}}'.format('x', {'w': 300000000})",
        "'{a:>{w}}'.format_map({'a': 'x', 'w': '300000000'})",
        "'{:.{}f}'.format(1.5, 300000000)",
        "('{:>{}}'|safe).format('x', '1500000000')",
        "('a' * 999999).replace('a', 'a' * 1500)",
        "('a' * 999999)|replace('a', 'a' * 1500)",
        "'x'.replace('', 'a' * 999999)",
        "'-'.join([('a' * 999999)] * 999)",
        "([('a' * 999999)] * 999)|join",
        "([('a' * 999999)] * 999)|join(',')",
    ],
)
def test_one_call_cannot_fill_memory_either(env: jinja2.Environment, expression: str) -> None:
    """Filters and str methods that pad or format to a size given in the template (the hostile-input audit's cases)."""
    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string("{{ " + expression + " }}").render()


def test_lipsum_is_not_offered(env: jinja2.Environment) -> None:
    with pytest.raises(jinja2.exceptions.UndefinedError):
        env.from_string("{{ lipsum(100000000) }}").render()


def test_padding_and_formatting_calls_still_work(env: jinja2.Environment) -> None:
    source = "{{ 'a'|center(5) }}|{{ '%03d'|format(7) }}|{{ 'x\ny'|indent(2) }}|{{ '7'.zfill(3) }}|{{ '{:>4}'.format(1) }}|{{ '{:>{w}}'.format(1, w=3) }}"
    assert env.from_string(source).render() == "  a  |007|x\n  y|007|   1|  1"


def test_replace_and_join_still_work(env: jinja2.Environment) -> None:
    source = "{{ 'a-b'.replace('-', '+') }}|{{ 'a-b'|replace('-', '&') }}|{{ 'aaa'|replace('a', 'b', 2) }}|{{ ', '.join(['x', 'y']) }}|{{ [1, 2]|join('<') }}"
    source += "|{{ 'ab'|list|join }}{{ range(3)|join(',') }}|{{ [{'n': 'p'}, {'n': 'q'}]|join(';', attribute='n') }}"
    assert env.from_string(source).render() == "a+b|a&amp;b|bba|x, y|1&lt;2|ab0,1,2|p;q"


def test_a_template_that_grows_memory_step_by_step_meets_the_ceiling(make_project: Callable[..., Path]) -> None:
    """Each step within the sandbox's rules, together a gigabyte: the build stops with a diagnostic at the line (audit F1)."""
    page = "{% extends 'base.html' %}\n{% block content %}{% set a = 'a' * 999999 %}{% set b = [a] * 999 %}\n{{ b }}{% endblock %}\n"
    root = make_project({"content/templates/page.html": page})
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/templates/page.html:3:1: error: template error: the page needed more than 1 GB of memory" in result.stderr


def test_ordinary_arithmetic_and_formatting_still_work(env: jinja2.Environment) -> None:
    source = "{{ 'ab' * 3 }} {{ 3 * [1] }} {{ 2 ** 10 }} {{ '%05d' % 42 }} {{ (100 * 3 / 7)|round(1) }} {{ '%.2f' % 3.14159 }} {{ 7 % 3 }}"
    assert env.from_string(source).render() == "ababab [1, 1, 1] 1024 00042 42.9 3.14 1"


def test_a_theme_that_extends_nothing_gets_template_errors_not_a_crash(make_project: Callable[..., Path]) -> None:
    """No `extends:` and no string tables: the texts come from the packaged default theme; missing templates are named."""
    root = make_project({"themes/a/theme.yaml": "name: a\n", "themes/a/templates/page.html": "{{ t('nav.fact_checks') }}\n"})
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "theme: a\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        check(root)
    text = format_text(failed.value.diagnostics)
    assert "template 'report.html' is needed by the site but not found in the theme or its parents" in text


def test_the_urlencode_filter_gives_what_jinjas_own_gives(make_project: Callable[..., Path]) -> None:
    """Texts are quoted by table (urls.quote); whatever the value, the filter's answer is Jinja's."""
    ours = make_environment(resolve_theme(make_project(), "default")).from_string("{{ value|urlencode }}")
    jinjas = jinja2.Environment(autoescape=True).from_string("{{ value|urlencode }}")
    for value in ["Mostly false: 3% of Zürich's rents", Markup("a &amp; b / c"), 42, 2.5, None, {"q": "a b", "é": 1}, [("k", "v w")], ""]:
        assert ours.render(value=value) == jinjas.render(value=value), value


def test_a_theme_yaml_with_a_line_break_editors_do_not_count_is_refused_at_its_line(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "themes/default/theme.yaml").write_text("name: default\u0085\nextends: ''\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        resolve_theme(root, "default")
    assert format_text(failed.value.diagnostics).startswith("themes/default/theme.yaml:1:14: error: contains an invisible control character (U+0085)")


def test_a_template_named_by_an_expression_and_missing_is_reported_at_the_line_naming_it(make_project: Callable[..., Path]) -> None:
    # The template check cannot know the name before the page renders; the render's error points at the include.
    page = "{% extends 'base.html' %}\n{% block content %}\n{% include 'no' ~ 'pe.html' %}{% endblock %}\n"
    root = make_project({"content/templates/page.html": page})
    result = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "content/templates/page.html:3:1: error: template 'nope.html' not found in the theme or its parents" in result.stderr


def test_a_site_adds_to_every_pages_head_and_body_without_copying_base_html(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """The newcomer audit: adding one stylesheet meant copying the whole base.html. Two optional partials take it."""
    root = make_project(
        {
            "content/templates/partials/head_extra.html": '<link rel="stylesheet" href="{{ static(\'extra.css\') }}">\n',
            "content/templates/partials/body_end.html": "<script src=\"{{ static('extra.js') }}\"></script>\n",
            "themes/default/theme.yaml": "extends: default\n",  # the packaged theme, plus these files
            "themes/default/static/extra.css": "body { color: #111; }\n",
            "themes/default/static/extra.js": "// ours\n",
        }
    )
    build(root, tmp_path / "site", BuildOptions(cache=False))
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    claim = (tmp_path / "site/reports/planet-rents/claims/rents-doubled/index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="static/extra.css">' in home and '<script src="static/extra.js"></script></body>' in home
    assert '<link rel="stylesheet" href="../../../../static/extra.css">' in claim and (tmp_path / "site/static/extra.css").is_file()
