"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: read-only, time-limited, row-capped.

One module per question: ``protocol`` reads Protocol requests and holds the views and CORS;
``description`` makes the Service Description; ``guard`` decides what is refused (updates,
``SERVICE``) and bounds a query's nesting and size before any parser sees it; ``execute`` runs
one query as a pure function over the ``Store`` interface (negotiation from the representations
table, serialization, the row cap); ``child`` is the query process that runs it and ``pool`` the
processes each server worker owns, so that a time limit can really stop a query; ``bounded``
says which queries cannot run long and so are run by the server worker itself; ``cache`` keeps
answers already made, by entity tag. Everything
reaches the store through ``server.data.store.Store`` only, so a remote SPARQL store can serve too.
"""
