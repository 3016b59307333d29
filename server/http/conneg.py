"""Content negotiation: which of the offered representations the request prefers.

The ``Accept`` header is parsed by werkzeug (``MIMEAccept``: q-values, media ranges and their
parameters). Each offered representation takes the q-value of the most specific media range
that matches it, as RFC 9110 (section 12.5.1) says, so ``text/turtle;q=0, */*`` excludes Turtle
and ``text/*;q=0.2, text/turtle`` prefers it. A range's ``charset`` parameter must name UTF-8,
the charset of every textual representation here; other parameters (a JSON-LD ``profile``, say)
do not make a type unacceptable. Ties go to the more specific match, then to the server's order,
so ``*/*`` or a missing header gets the route's default (its first representation). A
``format`` parameter, where a route honours one, overrides the header.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from .representations import Representation, by_format_name

_UTF8 = {"utf-8", "utf8"}


def _split(value: str) -> tuple[str, str, dict[str, str]]:
    media, params = parse_options_header(value)
    main, _, sub = media.lower().partition("/")
    return main, sub, {k.lower(): v for k, v in params.items()}


def _match(range_: tuple[str, str, dict[str, str]], media_type: str, text: bool) -> tuple[int, int, int] | None:
    """Return the specificity of ``range_`` if it matches ``media_type``, else None."""
    main, sub, params = range_
    want_main, _, want_sub = media_type.partition("/")
    if main != "*" and main != want_main:
        return None
    if sub != "*" and sub != want_sub:
        return None
    charset = params.get("charset")
    if charset is not None and (not text or charset.lower() not in _UTF8):
        return None
    return (main != "*", sub != "*", len(params))


def ranked(accept: str | None, offered: Sequence[Representation]) -> list[tuple[Representation, float]]:
    """Return the offered representations with their q-values, best first; q=0 ones left out."""
    if not accept or not accept.strip():
        return [(rep, 1.0) for rep in offered]
    ranges = [(_split(value), quality) for value, quality in parse_accept_header(accept, MIMEAccept) if "/" in value]
    scored = []
    for index, rep in enumerate(offered):
        best: tuple[tuple[int, int, int, int], float] | None = None
        for position, media in enumerate((rep.media_type, *rep.aliases)):
            for range_, quality in ranges:
                specificity = _match(range_, media, rep.text)
                if specificity is None:
                    continue
                # the type itself before the media types it stands for (text/plain for N-Triples)
                key = (*specificity, -position)
                if best is None or key > best[0]:
                    best = (key, quality)
        if best is not None and best[1] > 0:
            scored.append((best[1], best[0], -index, rep))
    scored.sort(key=lambda item: item[:3], reverse=True)
    return [(rep, q) for q, _specificity, _index, rep in scored]


def negotiate(accept: str | None, offered: Sequence[Representation]) -> Representation | None:
    """Return the offered representation the Accept header prefers, or None (answer 406)."""
    ranking = ranked(accept, offered)
    return ranking[0][0] if ranking else None


def choose(accept: str | None, format_param: str | None, offered: Sequence[Representation]) -> Representation | None:
    """Return the representation a ``format`` parameter names, else the negotiated one.

    A ``format`` that names nothing offered gives None, like an unacceptable Accept header.
    """
    if format_param:
        return by_format_name(format_param, offered)
    return negotiate(accept, offered)
