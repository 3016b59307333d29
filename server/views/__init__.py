"""View-models: what the page templates and RDF documents are made from, route-independent.

``description`` answers "what does the dataset say about this IRI" (the triples of a document),
``claims`` the claims, quotes and passages shown on pages, ``page`` the context of a resource
page, ``files`` the pages made from the build's Turtle files (ontology, shapes, VoID, report).
"""
