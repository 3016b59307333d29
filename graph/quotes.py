"""Finding a curated quote in its article and anchoring it: offsets computed here, never taken
from a curation file, with the context (prefix and suffix) a Web Annotation selector needs.
"""

from __future__ import annotations

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
