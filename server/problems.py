"""The errors a request can end in, each with its HTTP status, title and exit code.

They are what only a server raises (a refused or malformed query, a query past its time limit,
a resource the build does not have) and extend ``graph.errors.ParleyError``, which keeps the
message and the hint and pickles whole, so a query process can send one back as it is. Nothing
here imports Flask: the query processes raise these too. ``server.http.errors`` turns them (and every
HTTPException) into the one error shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.errors import ParleyError


class QueryRefused(ParleyError):
    """A SPARQL request the public endpoint will not run (update, LOAD, SERVICE, too many rows)."""

    exit_code = 2
    status = 403
    title = "Query refused"


class BadQuery(ParleyError):
    """A SPARQL request that does not parse or lacks a required parameter."""

    exit_code = 2
    status = 400
    title = "Bad Request"


class QueryTimeout(ParleyError):
    """A SPARQL query that ran past the configured time limit (or found no free query process)."""

    exit_code = 1
    status = 503
    title = "Query timed out"
    retry_after_s = 1


class QueryAborted(ParleyError):
    """A query process that died during a query (killed, out of memory); it has been replaced."""

    exit_code = 1
    status = 503
    title = "Query aborted"
    retry_after_s = 1


class BadRequest(ParleyError):
    """A request header or parameter that is malformed (an Accept-Datetime that is no date)."""

    exit_code = 2
    status = 400
    title = "Bad Request"


class NotFound(ParleyError):
    """A resource or file that the build does not have."""

    exit_code = 1
    status = 404
    title = "Not Found"


class NotAcceptable(ParleyError):
    """Nothing the route offers is acceptable to the client (Accept or ``format``)."""

    exit_code = 2
    status = 406
    title = "Not Acceptable"

    @classmethod
    def offering(cls, offered: Iterable, what: str = "this resource") -> NotAcceptable:
        names = ", ".join(str(rep) for rep in offered)
        return cls(
            f"none of the representations of {what} is acceptable; offered: {names}",
            hint="send one of the offered media types in Accept (or a format parameter where one is taken)",
        )
