"""The time limit of the page being made: store reads inside ``page_deadline`` stop once it is past."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from .interface import PageTimeout

log = logging.getLogger(__name__)

# The deadline of the page being made (``page_deadline``): pyoxigraph evaluates as results are
# read, so a page query that yields many rows is stopped between them once it is past.
_DEADLINE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("page_deadline", default=None)
_CHECK_EVERY = 64  # rows between two looks at the clock


@contextlib.contextmanager
def page_deadline(timeout_s: float):
    """Bound the store reads made inside the block to ``timeout_s`` seconds of wall clock."""
    token = _DEADLINE.set((time.monotonic() + timeout_s, timeout_s))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _within_deadline(items):
    deadline = _DEADLINE.get()
    if deadline is None:
        yield from items
        return
    for number, item in enumerate(items, 1):
        if number % _CHECK_EVERY == 0 and time.monotonic() > deadline[0]:
            log.warning("a page query was stopped after %.1f s: %d rows read", deadline[1], number)
            raise PageTimeout(
                f"this page's queries ran past query_timeout_s={deadline[1]:g} s and were stopped",
                hint="retry later; a page with very many links shows them a page at a time (?page=2)",
            )
        yield item
