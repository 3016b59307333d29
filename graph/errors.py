"""Parley's one exception family.

Every error carries a one-line ``message`` that names the file, record or setting at fault
and a ``hint`` that says how to fix it. The CLI prints them as Click's ``Error: ...`` and
exits with ``exit_code``; the server turns them into its one error shape with ``status``.
"""

from __future__ import annotations


class ParleyError(Exception):
    """Base class: a message naming what is wrong and a hint on how to fix it."""

    exit_code = 1
    status = 500
    title = "Parley error"

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class SourceError(ParleyError):
    """A corpus or curation file is malformed or disagrees with its article."""

    exit_code = 1
    status = 500
    title = "Bad source data"


class ValidationFailed(ParleyError):
    """The dataset does not conform to the shapes, the reasoner or the QC queries."""

    exit_code = 1
    status = 500
    title = "Validation failed"


class ConfigError(ParleyError):
    """A setting, option or required file of the installation is wrong or missing."""

    exit_code = 2
    status = 500
    title = "Configuration error"


class QueryRefused(ParleyError):
    """A SPARQL request the public endpoint will not run (update, LOAD, SERVICE)."""

    exit_code = 2
    status = 403
    title = "Query refused"


class BadQuery(ParleyError):
    """A SPARQL request that does not parse or lacks a required parameter."""

    exit_code = 2
    status = 400
    title = "Bad Request"


class QueryTimeout(ParleyError):
    """A SPARQL query that ran past the configured time limit."""

    exit_code = 1
    status = 503
    title = "Query timed out"


class NotFound(ParleyError):
    """A resource or file that the build does not have."""

    exit_code = 1
    status = 404
    title = "Not Found"
