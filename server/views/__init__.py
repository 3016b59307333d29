"""View-models: what the page templates and RDF documents are made from, route-independent.

``terms`` is one RDF term as a template shows it; ``description`` answers "what does the dataset
say about this IRI" (the triples of a document); ``evidence`` the claims, quotes and passages shown
on pages; ``page`` the context of a resource page; ``browse`` the entry pages; ``claims_table``
the ``/claims`` table; ``compare``, ``figures`` and ``chart`` the figures in dispute; ``citation``
the "cite this" block; ``context`` the JSON-LD context; ``files`` the pages made from the build's
Turtle files (ontology, shapes, VoID, report). Views import the data and HTTP layers, never a
route (``tests/test_layout.py``).
"""
