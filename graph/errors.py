"""Parley's one exception family.

Every error carries a one-line ``message`` that names the file, record or setting at fault
and a ``hint`` that says how to fix it. The CLI prints them as Click's ``Error: ...`` and
exits with ``exit_code``; the server turns them into its one error shape with ``status``.
The server's own errors (refused or bad queries, time limits, unknown resources) are in
``server.http.errors``: nothing in the graph package answers HTTP.
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

    def __reduce__(self):
        # Pickled whole (message and hint), so a query process can send its error back as it is.
        return (type(self), (self.message, self.hint))


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
