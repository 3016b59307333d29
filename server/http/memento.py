"""Memento (RFC 7089): datetime negotiation across the releases, TimeMaps and the Link headers.

Every ``/id/...``, ``/graph/...`` and ``/doc/...`` path is an Original Resource (URI-R) and its
own TimeGate (URI-G, the RFC's pattern 1.1). Its Mementos (URI-M) are the same path under each
release that holds the resource, ``/releases/{version}/{path}``, dated by the release's issue
date (midnight UTC). A request with ``Accept-Datetime`` gets ``302 Found`` to the Memento of the
release in force at that datetime (the newest issued at or before it); a datetime before the
first release gets the first Memento, the one closest to it, as RFC 7089 section 4.5.3 has a
TimeGate do; a value that is not an RFC 1123 date is a 400. The TimeMap (URI-T) of a path is
``/timemap/{path}`` in ``application/link-format`` (RFC 6690), listing the original, the
TimeGate, itself and every Memento with its datetime.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass

from flask import request
from werkzeug.http import http_date

from ..problems import BadRequest

LINK_FORMAT = "application/link-format"


@dataclass(frozen=True)
class Memento:
    """One Memento of an Original Resource: the release's version and its datetime."""

    version: str
    datetime: dt.datetime


def parse_accept_datetime(value: str) -> dt.datetime:
    """Return the UTC datetime of an ``Accept-Datetime`` value; raise BadRequest unless RFC 1123."""
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or not value.rstrip().endswith("GMT") or "," not in value:
        raise BadRequest(
            f"Accept-Datetime {value[:80]!r} is not an RFC 1123 date",
            hint='send an RFC 1123 date such as "Tue, 01 Dec 2026 12:00:00 GMT" (RFC 7089 section 2.1.1)',
        )
    return parsed.astimezone(dt.UTC)


def requested_datetime() -> dt.datetime | None:
    """Return the request's Accept-Datetime as UTC, None without one; BadRequest when malformed."""
    value = request.headers.get("Accept-Datetime")
    return None if value is None else parse_accept_datetime(value)


def select(mementos: Sequence[Memento], when: dt.datetime) -> Memento:
    """Return the Memento in force at ``when`` (``mementos`` oldest first, not empty)."""
    chosen = mementos[0]  # before the first: the closest, the first
    for memento in mementos:
        if memento.datetime <= when:
            chosen = memento
    return chosen


def absolute(path: str) -> str:
    """Return the absolute URL of a path on this server (as the request reached it)."""
    return request.host_url.rstrip("/") + request.script_root + path


def original_links(path: str) -> list[str]:
    """``Link`` values of an Original Resource that is its own TimeGate, and its TimeMap."""
    return [
        f'<{absolute("/" + path)}>; rel="original timegate"',
        f'<{absolute("/timemap/" + path)}>; rel="timemap"; type="{LINK_FORMAT}"',
    ]


def memento_headers(memento: Memento) -> dict[str, str]:
    """The header that marks a response as a Memento: its ``Memento-Datetime`` (RFC 1123)."""
    return {"Memento-Datetime": http_date(memento.datetime)}


def memento_path(version: str, path: str) -> str:
    return f"/releases/{version}/{path}"


def timemap(path: str, mementos: Sequence[Memento]) -> str:
    """Return the TimeMap of ``path`` in link-format: original, self, TimeGate, every Memento."""
    self_link = f'<{absolute("/timemap/" + path)}>; rel="self"; type="{LINK_FORMAT}"'
    if mementos:
        self_link += f'; from="{http_date(mementos[0].datetime)}"; until="{http_date(mementos[-1].datetime)}"'
    links = [f'<{absolute("/" + path)}>; rel="original"', self_link, f'<{absolute("/" + path)}>; rel="timegate"']
    for index, memento in enumerate(mementos):
        rel = ["first"] if index == 0 else []
        if index == len(mementos) - 1:
            rel.append("last")
        rel.append("memento")
        links.append(
            f'<{absolute(memento_path(memento.version, path))}>; rel="{" ".join(rel)}"; '
            f'datetime="{http_date(memento.datetime)}"'
        )
    return ",\n".join(links) + "\n"
