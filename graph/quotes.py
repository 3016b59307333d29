"""Finding a curated quote in its article and anchoring it: offsets computed here, never taken
from a curation file, with the context (prefix and suffix) a Web Annotation selector needs.
"""

from __future__ import annotations

import difflib
import re

from .records import Anchor

CONTEXT_CHARS = 32


def find_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int] | str:
    """Return (start, end) of the quote in the text, or a reason string when it cannot be used."""
    starts = []
    index = text.find(quote)
    while index != -1:
        starts.append(index)
        index = text.find(quote, index + 1)
    if not starts:
        return "quote not found in the article"
    if occurrence is None:
        if len(starts) > 1:
            return (
                f"quote occurs {len(starts)} times in the article; lengthen it or add "
                f"'occurrence: N' (1 to {len(starts)})"
            )
        return starts[0], starts[0] + len(quote)
    if not 1 <= occurrence <= len(starts):
        return f"occurrence {occurrence} asked but the quote occurs {len(starts)} time(s)"
    start = starts[occurrence - 1]
    return start, start + len(quote)


def make_anchor(text: str, start: int, end: int) -> Anchor:
    return Anchor(
        exact=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def nearest_passage(text: str, quote: str) -> tuple[str, str] | None:
    """Return the passage of ``text`` nearest to ``quote`` (as many words) and the words that differ.

    The words that differ are written ``quoted -> printed`` (``+word`` or ``-word`` for a word
    only one of them has); None when the text has no word in common with the quote.
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    wanted = quote.split()
    if not words or not wanted:
        return None
    size = len(wanted)
    best, best_score = None, (0.0, 0.0)
    for i in range(max(1, len(words) - size + 1)):
        window = words[i : i + size]
        candidate = [text[s:e] for s, e in window]
        score = (difflib.SequenceMatcher(None, wanted, candidate, autojunk=False).ratio(), 0.0)
        if score[0] and score[0] >= best_score[0]:  # a tie in words goes to the passage nearer in characters
            score = (score[0], difflib.SequenceMatcher(None, quote, " ".join(candidate)).ratio())
        if score > best_score:
            best, best_score = (window[0][0], window[-1][1], candidate), score
    if best is None:
        return None
    start, end, printed = best
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, wanted, printed, autojunk=False).get_opcodes():
        if op == "replace":
            changes.append(f"'{' '.join(wanted[a1:a2])}' -> '{' '.join(printed[b1:b2])}'")
        elif op == "delete":
            changes.append(f"-'{' '.join(wanted[a1:a2])}'")
        elif op == "insert":
            changes.append(f"+'{' '.join(printed[b1:b2])}'")
    return text[start:end], ", ".join(changes)
