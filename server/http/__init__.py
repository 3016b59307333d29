"""The HTTP layer: what a response is made of, below the views and routes.

``representations`` is the one table of media types and file extensions; ``conneg`` picks one
from ``Accept``; ``conditional`` answers with validators (ETag, Last-Modified, 304, ranges);
``errors`` turns a ``problems`` error into a problem document in the negotiated form;
``limits`` and ``security`` are the request limits and the security headers; ``memento`` reads
``Accept-Datetime`` and writes the Memento links. These modules import the data layer at most,
never a view or a route.
"""
