"""Diagnostic formats: text, JSON and GitHub annotations."""

from __future__ import annotations

import json

from generator.diagnostics import error, format_github, format_json, format_text, listed, note, one_line, summary_line, warning

DIAGS = [
    warning("b.yaml", 3, 1, "source 'x' is not used", "sources[x]", "cite it"),
    error("a.yaml", 12, 5, "unknown rating 'tru'", "claims[c].verdict.rating", "did you mean 'true'?"),
    error("a.yaml", 2, 1, "bad, very: bad\nsecond line 100%", "title"),
]


def test_text_is_sorted_with_hints_indented() -> None:
    assert format_text(DIAGS).splitlines() == [
        "a.yaml:2:1: error: title: bad, very: bad",
        "    second line 100%",
        "a.yaml:12:5: error: claims[c].verdict.rating: unknown rating 'tru'",
        "    hint: did you mean 'true'?",
        "b.yaml:3:1: warning: sources[x]: source 'x' is not used",
        "    hint: cite it",
    ]


def test_json_has_every_field() -> None:
    rows = json.loads(format_json(DIAGS))
    assert [r["line"] for r in rows] == [2, 12, 3]
    assert rows[1] == {
        "path": "a.yaml",
        "line": 12,
        "col": 5,
        "severity": "error",
        "field": "claims[c].verdict.rating",
        "message": "unknown rating 'tru'",
        "hint": "did you mean 'true'?",
    }


def test_github_annotations_escape_properties_and_newlines() -> None:
    lines = format_github(DIAGS).splitlines()
    assert lines[0] == "::error file=a.yaml,line=2,col=1::title: bad, very: bad%0Asecond line 100%25"
    assert lines[1] == "::error file=a.yaml,line=12,col=5::claims[c].verdict.rating: unknown rating 'tru'%0Ahint: did you mean 'true'?"
    assert lines[2].startswith("::warning file=b.yaml,line=3,col=1::")


def test_summary_line_counts_errors_files_and_warnings() -> None:
    assert summary_line(DIAGS) == "2 errors in 1 file, 1 warning"
    assert summary_line(DIAGS[:1]) == "0 errors in 0 files, 1 warning"


def test_summary_line_counts_an_options_error_apart_from_files() -> None:
    out = error("/tmp/site/content", 0, 0, "refusing to write the site here", "--out")
    assert summary_line([out]) == "1 error in the command's options"
    assert summary_line([out, *DIAGS]) == "3 errors in 1 file and the command's options, 1 warning"


def test_severity_pickles_by_value_for_the_build_cache() -> None:
    """Older Python 3.11 (Debian 12) pickled enum members as getattr(...), which the cache refuses."""
    import pickle
    import pickletools

    from generator.diagnostics import Severity

    data = pickle.dumps(warning("a", 1, 1, "w"), protocol=pickle.HIGHEST_PROTOCOL)
    assert "getattr" not in " ".join(str(arg) for _op, arg, _pos in pickletools.genops(data))
    assert pickle.loads(data).severity is Severity.WARNING


def test_notes_are_advice_not_warnings() -> None:
    advice = note("content/reports/a.yaml", 3, 5, "claim_reviewed is 80 characters", "claims[x].claim_reviewed")
    assert not advice.is_error and not advice.is_warning
    assert format_text([advice]) == "content/reports/a.yaml:3:5: note: claims[x].claim_reviewed: claim_reviewed is 80 characters"
    assert format_github([advice]).startswith("::notice file=content/reports/a.yaml,line=3,col=5::")
    assert summary_line([advice, error("a.yaml", 1, 1, "bad")]) == "1 error in 1 file"


def test_escape_codes_and_bidi_overrides_are_written_out_not_sent_to_the_terminal() -> None:
    """A pull request's key or file name must not clear lines, recolour text or fake a line of ours."""
    hostile = error("x\n.yaml", 4, 1, "unknown field '\x1b[2K\u202eok'\nCheck passed: no problems found.", hint="keep\n  \x1b[8mthis")
    text = format_text([hostile])
    assert text.splitlines() == [
        "x\\x0a.yaml:4:1: error: unknown field '\\x1b[2K\\u202eok'",
        "    Check passed: no problems found.",
        "    hint: keep",
        "            \\x1b[8mthis",
    ]
    github = format_github([hostile])
    assert "\x1b" not in github and "\u202e" not in github and "\\x1b[2K\\u202eok" in github


def test_characters_that_show_nothing_are_written_out() -> None:
    """A hint quoting 'li\\xadbraries' must show why it differs from 'libraries' (hostile-input audit F8)."""
    found = error("r.yaml", 3, 5, "quote not found", hint='closest passage: "more li\u00adbra\u200bries\u200d\ufeff\u2060"')
    assert format_text([found]).splitlines()[1] == '    hint: closest passage: "more li\\xadbra\\u200bries\\u200d\\ufeff\\u2060"'


def test_one_line_writes_out_line_breaks_and_control_characters() -> None:
    # A value quoted in a one-line message (`docs TOPIC`, `--since REF`) cannot start a line of its own or clear the screen.
    assert one_line("\x1b[2J\nx") == "\\x1b[2J\\x0ax"
    assert one_line("plain text") == "plain text"


def test_a_files_diagnostics_are_listed_up_to_a_limit_then_counted() -> None:
    # A YAML alias can repeat one mistake a hundred thousand times: the first ones are listed, the rest counted.
    many = [warning("r.yaml", n, 1, f"warning {n}") for n in range(1, 301)] + [error("r.yaml", 500, 2, "the error")]
    shown = listed("r.yaml", many, limit=50)
    assert len(shown) == 51 and shown[0].message == "the error"  # errors first
    assert [d.line for d in shown[1:50]] == list(range(1, 50))
    last = shown[-1]
    assert (last.message, last.is_error, last.line) == ("251 more problems in this file are not listed", False, 50)
    assert listed("r.yaml", many[:10], limit=50) == many[:10]
    errors = [error("r.yaml", n, 1, f"error {n}") for n in range(1, 5)]
    assert listed("r.yaml", errors, limit=2)[-1].is_error  # errors were left out: the count is an error too


def test_no_line_of_the_text_output_is_a_ci_runners_command() -> None:
    """A key holding a line break and `::warning ...` (GitHub's workflow command) cannot start a line of ours."""
    key = "evil\n::warning file=content/site.yaml,line=1::INJECTED"
    shown = format_text([error("content/site.yaml", 7, 1, f"unknown field '{key}'", key, hint="see\n::add-mask::secret")])
    assert not any(line.lstrip().startswith("::") for line in shown.splitlines())
    assert shown.startswith("content/site.yaml:7:1: error: evil\\x0a::warning file=content/site.yaml,line=1::INJECTED: unknown field")
