"""The targets of issue 13 (and the earlier round's edit and serve targets), checked against measured numbers.

Each row is (target, limit, measured, met) where met is True, False or None ("not measured"). The
issue states its targets at N=4,000 on the equal-output variant; when a run has no N=4,000 the largest
N measured stands in, and the row says which N it used.
"""

from __future__ import annotations

from typing import Any

OURS, HUGO, ELEVENTY = "factcheck", "Hugo", "Eleventy"
TARGET_N = 4000
GROWTH_N = 40000
# factcheck at TARGET_N built in alternation with the growth size's builds (run.py): the growth ratio's denominator.
PAIRED = f"factcheck (N={TARGET_N:,}, alternating)"
Row = tuple[str, str, str, bool | None]


def _s(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _pick(table: dict[str, Any], variant: str) -> tuple[str, dict[str, Any]] | None:
    """(N, {tool: stats}) of a variant at N=4,000, else at the largest N measured."""
    sizes = sorted((n for n, by in table.items() if variant in by), key=int)
    if not sizes:
        return None
    n = str(TARGET_N) if str(TARGET_N) in sizes else sizes[-1]
    return n, table[n][variant]


def _at(n: str) -> str:
    return f"N={int(n):,}" + ("" if int(n) == TARGET_N else f"; the target is stated at {TARGET_N:,}")


def _missing(target: str, limit: str, why: str = "not measured") -> Row:
    return (target, limit, why, None)


def _ratio_row(target: str, limit: float, picked: tuple[str, dict[str, Any]] | None, other: str) -> Row:
    text = f"≤ {limit:.2f} × {other}'s wall time"
    if picked is None or OURS not in picked[1] or other not in picked[1]:
        return _missing(target, text)
    n, stats = picked
    ours, theirs = stats[OURS]["wall"], stats[other]["wall"]
    return (f"{target} ({_at(n)})", text, f"{ours / theirs:.2f} × ({_s(ours)} vs {_s(theirs)})", ours / theirs <= limit)


def issue13(results: dict[str, Any]) -> list[Row]:
    """One row per target of issue 13."""
    cold = results.get("cold", {})
    equal = _pick(cold, "equal")
    rows = [
        _ratio_row("cold build vs Hugo, equal output", 0.8, equal, HUGO),
        _ratio_row("cold build vs Eleventy, equal output", 0.5, equal, ELEVENTY),
    ]
    if equal and OURS in equal[1]:
        n, stats = equal
        peak = stats[OURS]["tree_pss_mb"]
        rows.append((f"peak memory of the whole build ({_at(n)})", "≤ 250 MB (sum of PSS over processes)", f"{peak:.0f} MB", peak <= 250))
        if HUGO in stats:
            hugo = stats[HUGO]["tree_pss_mb"]
            rows.append(
                (
                    f"peak memory vs Hugo, equal output ({_at(n)})",
                    "≤ 0.25 × Hugo's",
                    f"{peak / hugo:.2f} × ({peak:.0f} MB vs {hugo:.0f} MB)",
                    peak / hugo <= 0.25,
                )
            )
        else:
            rows.append(_missing("peak memory vs Hugo, equal output", "≤ 0.25 × Hugo's"))
    else:
        rows += [_missing("peak memory of the whole build", "≤ 250 MB"), _missing("peak memory vs Hugo, equal output", "≤ 0.25 × Hugo's")]
    liar = results.get("liar")
    if liar:
        rows.append((f"LIAR cold build ({results.get('liar_reports', 0):,} reports)", "< 20 s", _s(liar["wall"]), liar["wall"] < 20))
    else:
        rows.append(_missing("LIAR cold build", "< 20 s"))
    small, large = ours_at(cold, TARGET_N), ours_at(cold, GROWTH_N)
    paired = results.get("growth_paired", {}).get(str(GROWTH_N))
    if paired and large and paired.get("run") == large.get("run"):
        # The builds at TARGET_N made in alternation with these: the same minutes of the machine for both sizes.
        small = paired
    if small and large and small.get("run") != large.get("run"):
        # Built in different runs (this machine's speed moves by 2-3 x between hours): a ratio would mean nothing.
        why = f"not comparable: {TARGET_N:,} and {GROWTH_N:,} measured in different runs (needs one run with --n {TARGET_N} {GROWTH_N})"
        rows.append(_missing(f"growth: cold build at {GROWTH_N:,} vs {TARGET_N:,}", "≤ 11 ×", why))
    elif small and large:
        growth = large["wall"] / small["wall"]
        how = f", {TARGET_N:,} built between them" if small is paired else ""
        rows.append(
            (f"growth: cold build at {GROWTH_N:,} vs {TARGET_N:,}", "≤ 11 ×", f"{growth:.2f} × ({_s(large['wall'])} vs {_s(small['wall'])}{how})", growth <= 11)
        )
    else:
        rows.append(_missing(f"growth: cold build at {GROWTH_N:,} vs {TARGET_N:,}", "≤ 11 ×", f"not measured (needs --n {TARGET_N} {GROWTH_N})"))
    if large:
        rows.append((f"peak memory at {GROWTH_N:,}", "< 1 GB", f"{large['tree_pss_mb']:.0f} MB", large["tree_pss_mb"] < 1024))
    else:
        rows.append(_missing(f"peak memory at {GROWTH_N:,}", "< 1 GB"))
    return rows


def ours_at(cold: dict[str, Any], n: int) -> dict[str, Any] | None:
    """factcheck's cold-build stats at N (the build is the same in every variant: equal's run preferred)."""
    by = cold.get(str(n), {})
    for variant in ("equal", "minimal"):
        if OURS in by.get(variant, {}):
            return dict(by[variant][OURS])
    return None


def earlier(results: dict[str, Any]) -> list[Row]:
    """The first round's targets that the edit and serve scenarios still measure (largest N)."""
    rows: list[Row] = []
    cold, edit, serve = results.get("cold", {}), results.get("edit", {}), results.get("serve", {})
    for variant in ("equal", "minimal"):
        picked = _pick(edit, variant)
        if picked is None:
            continue
        n, stats = picked
        hugo = cold.get(n, {}).get(variant, {}).get(HUGO)
        if OURS in stats and hugo:
            ours = stats[OURS]["wall"]
            rows.append(
                (
                    f"one-report edit vs Hugo's cold build, {variant} ({_at(n)})",
                    "≤ 0.25 ×",
                    f"{ours / hugo['wall']:.2f} × ({_s(ours)} vs {_s(hugo['wall'])})",
                    ours / hugo["wall"] <= 0.25,
                )
            )
    for variant in ("equal", "minimal"):
        picked = _pick(serve, variant)
        if picked is None:
            continue
        n, stats = picked
        if OURS in stats:
            rows.append((f"serve: edit to served, p50 ({_at(n)})", "< 100 ms", _s(stats[OURS]["p50"]), stats[OURS]["p50"] < 0.1))
            rows.append((f"serve: edit to served, p95 ({_at(n)})", "< 250 ms", _s(stats[OURS]["p95"]), stats[OURS]["p95"] < 0.25))
        else:
            rows.append(_missing("serve latency", "p50 < 100 ms, p95 < 250 ms", "not measured: `factcheck serve` did not run"))
        break  # factcheck's server is the same in both variants
    return rows


def issue10(results: dict[str, Any]) -> list[Row]:
    """Issue 10's `check` targets: a warm check within 2 s, a cold check's stage no longer than the build's."""
    checks = results.get("check", {})
    if not checks:
        return [_missing("warm `check`", "≤ 2 s"), _missing("cold `check`'s check stage vs the cold build's", "≤ 1.00 ×")]
    n = str(TARGET_N) if str(TARGET_N) in checks else max(checks, key=int)
    got = checks[n]
    rows: list[Row] = [
        (f"warm `check`, nothing changed ({_at(n)})", "≤ 2 s", _s(got["warm"]["wall"]), got["warm"]["wall"] <= 2.0),
        (f"warm `check` after a one-report edit ({_at(n)})", "≤ 2 s", _s(got["edited"]["wall"]), got["edited"]["wall"] <= 2.0),
    ]
    ratio = got["check_stage"] / got["build_stage"]
    stages = f"{ratio:.2f} × ({_s(got['check_stage'])} vs {_s(got['build_stage'])})"
    rows.append((f"cold `check`'s check stage vs the cold build's ({_at(n)})", "≤ 1.00 ×", stages, ratio <= 1.0))
    return rows


def table(rows: list[Row]) -> list[str]:
    """Markdown lines of a targets table."""
    out = ["| target | limit | measured | met |", "| --- | --- | --- | --- |"]
    for target, limit, measured, met in rows:
        out.append(f"| {target} | {limit} | {measured} | {'met' if met else ('missed' if met is not None else 'not measured')} |")
    return out
