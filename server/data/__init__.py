"""The data layer: what the server serves, below HTTP, the views and the routes.

``store`` is the store package (its interface, the embedded Oxigraph store, the remote store and
loading a build into it); ``site`` the build being served (store, texts, figures, caches);
``canned`` the query files in ``queries/``; ``search`` the search index; ``releases`` and
``release_sites`` the published releases as data; ``integrity`` the check of a build before it
is served. Nothing here imports Flask's request machinery but ``site``'s accessor, and the store
package imports no Flask at all (the query processes run it).
"""
