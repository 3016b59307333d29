"""The README's table of linked-data and page routes cannot go stale: every route of the
resources, browse, published, dumps and query-page blueprints is documented in the README's pages section."""

from __future__ import annotations

from pathlib import Path

PAGE_BLUEPRINTS = (
    "resources",
    "browse",
    "published",
    "context",
    "dumps",
    "query_page",
    "releases",
    "release_documents",
    "memento",
    "search",
    "reconcile",
    "claims",
    "compare",
)
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _section() -> str:
    start, end = README.index("<!-- section: pages -->"), README.index("<!-- /section: pages -->")
    return README[start:end]


def test_every_page_route_is_in_the_readme(app):
    section = _section()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in PAGE_BLUEPRINTS]
    assert rules
    for rule in rules:
        fixed = rule.rule.split("<", 1)[0]
        assert f"`{fixed}" in section, f"route {rule.rule} ({rule.endpoint}) is not in the README's pages section"
