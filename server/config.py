"""Server settings: one table, read from defaults, then ``PARLEY_*`` variables, then overrides.

Each setting has a name whose suffix gives its unit (``_s``, ``_rows``, ``_bytes``), a default,
a parser, a meaning and the metavar its ``parley serve`` option shows; the CLI generates those
options from ``SETTINGS`` and a test checks the README's tables against it. Values are validated
at start and a bad one raises ``ConfigError`` naming the variable or option.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    meaning: str
    metavar: str = "VALUE"

    @property
    def env(self) -> str:
        return "PARLEY_" + self.name.upper()


# The parsers raise ValueError with what a valid value looks like, never Python's own
# "invalid literal for int()": the message reaches the user after the variable or option name.
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError("must be a positive integer")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise ValueError("must be a positive number")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 0 < value < 65536:
        raise ValueError("must be a port number between 1 and 65535")
    return value


def _base_iri(text: str) -> str:
    if not (text.startswith("http://") or text.startswith("https://")) or not text.endswith("/"):
        raise ValueError("must be an http(s) IRI ending in '/'")
    return text


def _url_or_empty(text: str) -> str:
    if text and not (text.startswith("http://") or text.startswith("https://")):
        raise ValueError("must be an http(s) URL, or empty for the embedded store")
    return text


FRONTS = ("granian", "gunicorn")


def _front(text: str) -> str:
    if text not in FRONTS:
        raise ValueError("must be one of " + ", ".join(FRONTS))
    return text


def _text(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "build_dir",
        "build",
        _text,
        "Directory of the build to serve (made by `parley build`); `parley serve` takes a relative one from --root.",
        "DIR",
    ),
    Setting(
        "releases_dir",
        "releases",
        _text,
        "Directory of the releases to serve under /releases/ (made by `parley release`); a relative one is taken from the working directory.",
        "DIR",
    ),
    Setting("host", "127.0.0.1", _text, "Address `parley serve` binds to.", "H"),
    Setting("port", 8000, _port, "Port `parley serve` listens on.", "N"),
    Setting(
        "front",
        "granian",
        _front,
        "HTTP server `parley serve` runs the app in: granian (Rust HTTP handling) or gunicorn (Python).",
        "NAME",
    ),
    Setting("workers", 2, _positive_int, "Worker processes of `parley serve`.", "N"),
    Setting(
        "threads",
        8,
        _positive_int,
        "Request threads per worker; a thread waiting on a query process does not block the others.",
        "N",
    ),
    Setting(
        "header_timeout_s",
        10.0,
        _positive_float,
        "Seconds a client may take to send a request's headers, and again its body, before the server closes its connection (granian).",
        "S",
    ),
    Setting(
        "query_processes",
        2,
        _positive_int,
        "Query processes per server worker that run SPARQL queries off the request thread.",
        "N",
    ),
    Setting(
        "query_timeout_s",
        10.0,
        _positive_float,
        "Wall-clock limit of one SPARQL query; past it the query's process is stopped and the client gets 503.",
        "S",
    ),
    Setting(
        "max_rows",
        10000,
        _positive_int,
        "Most result rows (or triples) one SPARQL query may return; past it the client gets an error, never a truncated body.",
        "N",
    ),
    Setting(
        "page_links",
        200,
        _positive_int,
        "Most links in (and graphs) one resource page shows; past it the page has a next-page link.",
        "N",
    ),
    Setting(
        "feed_page_items",
        20,
        _positive_int,
        "Releases per page of the change feed (/feed); past it the page links the next.",
        "N",
    ),
    Setting(
        "store_url",
        "",
        _url_or_empty,
        "SPARQL 1.1 query endpoint of a remote store to serve from instead of the build's embedded store.",
        "URL",
    ),
    Setting(
        "max_request_bytes",
        1_000_000,
        _positive_int,
        "Largest request body (a POSTed query) the server reads; a larger one gets 413.",
        "N",
    ),
    Setting(
        "sparql_cache_bytes",
        32_000_000,
        _positive_int,
        "Bytes of SPARQL answers each server worker keeps, to answer a repeated query without running it again.",
        "N",
    ),
    Setting(
        "page_cache_bytes",
        64_000_000,
        _positive_int,
        "Bytes of pages and documents each server worker keeps, to answer them again without making them.",
        "N",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the settings as a dict keyed by name; raise ConfigError naming a bad variable."""
    environ = os.environ if environ is None else environ
    settings = {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        if setting.env in environ:
            raw = environ[setting.env]
            try:
                settings[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ConfigError(
                    f"{setting.env}={raw!r} is invalid: {exc}",
                    hint=f"set {setting.env} to a valid value or unset it (default {setting.default!r})",
                ) from None
    for key, value in (overrides or {}).items():
        name = key.lower()
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {key!r}", hint="known settings: " + ", ".join(_BY_NAME))
        setting = _BY_NAME[name]
        try:
            settings[name] = setting.parse(str(value))
        except ValueError as exc:
            option = "--" + name.replace("_", "-")
            raise ConfigError(
                f"{option} {value!r} is invalid: {exc}",
                hint=f"give {option} (or {setting.env}) a valid value; default {setting.default!r}",
            ) from None
    settings["build_dir"] = Path(settings["build_dir"])
    settings["releases_dir"] = Path(settings["releases_dir"])
    return settings
