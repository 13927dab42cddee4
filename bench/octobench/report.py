"""Figures: one line each with our value, the reference measured in the same run, the ratio, the goal and
whether it holds. Rounds pair our measurement with its reference and alternate which goes first, so a
machine that gets busier or quieter during the run shifts both alike."""
import math
import sys
from dataclasses import dataclass, field

from .core import median


@dataclass
class Figure:
    name: str
    ours: float
    ref: float | None
    unit: str
    ratio: float | None
    goal: str
    holds: bool | None  # None: reported, no goal
    note: str = ""
    rounds: dict = field(default_factory=dict)  # raw values, for BENCHMARKS.md

    def verdict(self):
        return "INFO" if self.holds is None else ("PASS" if self.holds else "MISS")


def fmt(value, unit):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "req":
        return f"{value:,.0f}"
    return f"{value:.2f}{unit}"


HEADER = f"{'figure':<34} {'octohost':>12} {'reference':>12} {'ratio':>7}  {'goal':<22} {'':4}  note"


def line(f: Figure) -> str:
    ratio = "-" if f.ratio is None else f"{f.ratio:.2f}"
    return f"{f.name:<34} {fmt(f.ours, f.unit):>12} {fmt(f.ref, f.unit):>12} {ratio:>7}  {f.goal:<22} {f.verdict():4}  {f.note}"


def emit(f: Figure):
    print(line(f), flush=True)
    return f


def paired(rounds, ours, ref, between=None):
    """Runs ours(i) and ref(i) once per round, alternating which goes first; returns both lists of seconds."""
    return interleaved(rounds, (ours, ref, between))[0]


def interleaved(rounds, *pairs):
    """Like paired, for several figures at once, round by round: while one figure's app settles
    (say, old containers drain), the others measure. Each pair is (ours, ref, between or None)."""
    results = [([], []) for _ in pairs]
    for i in range(rounds):
        for (ours, ref, between), (o, r) in zip(pairs, results):
            if between:
                between(i)
            if i % 2 == 0:
                o.append(ours(i))
                r.append(ref(i))
            else:
                r.append(ref(i))
                o.append(ours(i))
            print(f"  round {i + 1}: octohost {o[-1]:.2f} s, reference {r[-1]:.2f} s", file=sys.stderr, flush=True)
    return results


def ratio_figure(name, ours, refs, goal_max, note="", unit="s"):
    """ours/ref per round, the median of those ratios against a goal: ratio <= goal_max."""
    ratios = [a / b for a, b in zip(ours, refs)]
    ratio = median(ratios)
    return Figure(name, median(ours), median(refs), unit, ratio, f"ratio <= {goal_max:.2f}", ratio <= goal_max, note,
                  {"ours": ours, "ref": refs, "ratios": ratios})
