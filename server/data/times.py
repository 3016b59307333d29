"""The times a build and a release carry, read one way: ISO 8601 text (``Z`` or an offset; no
offset is UTC) as a UTC datetime to the second, which is what HTTP dates and Memento-Datetime can
say. ``EPOCH`` stands in where a build states no time at all."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def utc_time(text: object) -> dt.datetime | None:
    """Return ``text`` (ISO 8601 date or date-time) as a UTC datetime to the second; None when it
    is empty or not ISO 8601."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0)
