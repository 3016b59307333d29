"""Benchmark: the SPARQL guard's lexer on hostile text, at two sizes, to see that it is linear.

Each pattern (``HOSTILE``: a repeated unit and how often, chosen so the text is 600 kB or so) is
lexed at its size and at twice its size; the script prints the seconds for each and their
ratio, which stays near 2 for a linear lexer and near 4 for a quadratic one. No timing is
asserted: tests/sparql/test_guard.py lexes the same texts and checks what the lexer says of them.

    .venv/bin/python bench/guard_bench.py
"""

from __future__ import annotations

import argparse
import sys
import time

from server.problems import BadQuery
from server.sparql import guard

#: (unit, times, tail): the text is ``unit * times + tail``
HOSTILE = [
    ("a-", 300_000, ""),
    (".", 600_000, ""),
    ('"a', 300_000, ""),
    ("'x\n", 200_000, ""),
    ("<a", 300_000, ""),
    ('"""', 1, "a" * 600_000),
    (":", 600_000, ""),
    ("%", 600_000, ""),
    ("@a-", 200_000, ""),
    ("#", 600_000, ""),
    ("a", 600_000, ".:"),
    ("a.", 300_000, ":"),
    (".a:", 200_000, ""),
]


def hostile_text(unit: str, times: int, tail: str, scale: int = 1) -> str:
    """The hostile text ``unit * times + tail``, its repeated part ``scale`` times as long."""
    if unit == '"""':  # an unclosed long string: the tail is what repeats
        return unit + tail * scale
    return unit * (times * scale) + tail


def lex_seconds(text: str) -> float:
    started = time.perf_counter()
    try:
        guard.keywords(text)
    except BadQuery:
        pass
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    guard.warm_up()
    print(f"{'pattern':<12}{'chars':>10}{'s':>9}{'2x chars s':>12}{'ratio':>8}")
    for unit, times, tail in HOSTILE:
        text = hostile_text(unit, times, tail)
        once, twice = lex_seconds(text), lex_seconds(hostile_text(unit, times, tail, 2))
        print(f"{unit!r:<12}{len(text):>10,}{once:>9.3f}{twice:>12.3f}{twice / max(once, 1e-9):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
