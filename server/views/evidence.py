"""Claims, quotes and passages as pages show them.

``claims(iri)`` gives the claims about a resource (or a claim with the claims related to it),
each with its figure, dates, modality, speakers, articles, the quote in a window of its
article's text and its relations to other claims with their reasons (derived by the build or
asserted by a curator); ``group_by_measure`` sets them side by side per measure;
``attestations`` gives the quotes that support the statements about a resource;
``marked_text`` an article's text with the evidenced passages marked.
"""

from __future__ import annotations

from collections import OrderedDict

import pyoxigraph as ox

from graph.namespaces import PARLEY

from ..data.canned import query
from ..data.site import site
from .terms import curie, iri_term, label, local_href, reason_words, term
from .wording import date_text

QUOTE_WINDOW = 160  # code points of article text shown on each side of a quote


def quote_in_context(source: str | None, exact: str | None, start, end, prefix=None, suffix=None) -> dict | None:
    """Return the quote with a window of its article's text around it (before, exact, after)."""
    if exact is None and start is None:
        return None
    text = site().text(source) if source else None
    if text is not None and start is not None and end is not None:
        a, b = int(start), int(end)
        if 0 <= a <= b <= len(text) and (exact is None or text[a:b] == exact):
            lo, hi = max(0, a - QUOTE_WINDOW), min(len(text), b + QUOTE_WINDOW)
            before, after = text[lo:a], text[b:hi]
            if lo > 0 and " " in before:
                before = "…" + before[before.index(" ") + 1 :]
            if hi < len(text) and " " in after:
                after = after[: after.rindex(" ")] + "…"
            return {"before": before, "exact": text[a:b], "after": after, "start": a, "end": b}
    return {"before": prefix or "", "exact": exact or "", "after": suffix or "", "start": start, "end": end}


def row_quote(row) -> dict | None:
    """``quote_in_context`` of a query row with ?source ?exact ?start ?end ?prefix ?suffix."""
    return quote_in_context(*(_value(row, k) for k in ("source", "exact", "start", "end", "prefix", "suffix")))


def _value(row, name):
    node = row.get(name)
    return node.value if node is not None else None


def _range(row, name):
    """A day the text bounds but does not give, as "between EARLIEST and LATEST" (None without one)."""
    earliest, latest = _value(row, f"{name}Earliest"), _value(row, f"{name}Latest")
    return f"between {earliest} and {latest}" if earliest and latest else None


def when(day: str | None, between: str | None) -> dict | None:
    """A claim's day for a page: ``iso`` (for ``<time datetime>``, None for a range) and ``words``."""
    if day:
        return {"iso": day, "words": date_text(day)}
    if between:
        return {"iso": None, "words": date_text(between)}
    return None


def claims(iri: str, related: bool = False) -> list[dict]:
    """Return the claims about ``iri`` (or, ``related``, the claim ``iri`` and the claims it
    conflicts with or corroborates), each with figure, speakers, quote and links."""
    s = site()
    bindings = {"s": ox.NamedNode(iri)}
    found: OrderedDict[str, dict] = OrderedDict()
    for row in s.store.select(query("claim-and-related" if related else "claims-about"), bindings):
        claim = row["claim"].value
        if claim in found:
            continue
        measure = _value(row, "measure")
        approx = _value(row, "approx")
        modality = _value(row, "modality")
        found[claim] = {
            "iri": claim,
            "href": local_href(claim) or claim,
            "label": _value(row, "label") or curie(claim),
            "anchor": claim.rsplit("/", 1)[-1],
            "measure": iri_term(measure, s) if measure else None,
            "figure": _value(row, "figure"),
            "stated_value": _value(row, "statedValue"),
            "approximation": iri_term(approx, s) if approx else None,
            "value": _value(row, "value"),
            "min": _value(row, "min"),
            "max": _value(row, "max"),
            "stated_on": _value(row, "statedOn"),
            "as_of": _value(row, "asOf"),
            "stated_on_range": _range(row, "statedOn"),
            "as_of_range": _range(row, "asOf"),
            "stated_on_when": when(_value(row, "statedOn"), _range(row, "statedOn")),
            "as_of_when": when(_value(row, "asOf"), _range(row, "asOf")),
            "modality": iri_term(modality, s) if modality else None,
            "source": term(row["source"], s) if "source" in row else None,
            "quote": row_quote(row),
            "speakers": [],
            "articles": [],
            "conflicts": [],
            "corroborates": [],
            "possibly": [],
            "relations": [],
        }
    slots = {
        str(PARLEY.speaker): "speakers",
        str(PARLEY.reportedIn): "articles",
        str(PARLEY.conflictsWith): "conflicts",
        str(PARLEY.corroborates): "corroborates",
        str(PARLEY.possiblyConflictsWith): "possibly",
    }
    for row in s.store.select(query("claim-and-related-links" if related else "claim-links-about"), bindings):
        claim = found.get(row["claim"].value)
        if claim is None:
            continue
        slot = slots[row["p"].value]
        item = term(row["o"], s)
        if item not in claim[slot]:
            claim[slot].append(item)
    for claim in found.values():
        for slot in slots.values():
            claim[slot].sort(key=lambda t: t.get("label", ""))
    _add_relations(found, bindings)
    return list(found.values())


RELATION_WORDS = {  # how a relation reads from its from claim, and from its to claim
    "agrees": ("agrees with", "agrees with"),
    "consistent": ("is consistent, at the precision printed, with", "is consistent, at the precision printed, with"),
    "conflicts": ("conflicts with", "conflicts with"),
    "possibly-conflicts": ("possibly conflicts with", "possibly conflicts with"),
    "updates": ("updates", "is updated by"),
    "not-comparable": ("is not comparable with", "is not comparable with"),
}


def _add_relations(found: dict[str, dict], bindings: dict) -> None:
    """Give each claim its relations: kind in words, the other claim, the rule and the reason."""
    s = site()
    for row in s.store.select(query("claim-relations"), bindings):
        claim = found.get(row["claim"].value)
        if claim is None:
            continue
        kind = row["kind"].value.rsplit("/", 1)[-1]
        outgoing = row["outgoing"].value == "true"
        words = RELATION_WORDS.get(kind, (kind, kind))[0 if outgoing else 1]
        rule = row["rule"].value
        item = {
            "iri": row["r"].value,
            "kind": kind,
            "words": words,
            "other": term(row["other"], s),
            "rule": iri_term(rule, s),
            "by_hand": rule.endswith("/relation-rule/curator"),
            "reason": reason_words(row["reason"].value, s),
            "overridden": "overriddenBy" in row,
        }
        if all(r["iri"] != item["iri"] for r in claim["relations"]):
            claim["relations"].append(item)


def group_by_measure(items: list[dict]) -> list[dict]:
    """Group claims by measure; a group lists its claims side by side and says which conflict (or may)."""
    groups: OrderedDict[str, dict] = OrderedDict()
    for claim in items:
        key = claim["measure"]["iri"] if claim["measure"] else ""
        group = groups.setdefault(key, {"measure": claim["measure"], "claims": [], "conflicts": 0})
        group["claims"].append(claim)
    on_page = {c["iri"] for c in items}
    for claim in items:
        for other in claim["conflicts"] + claim["corroborates"] + claim["possibly"]:
            other["on_page"] = other.get("iri") in on_page
        for relation in claim["relations"]:
            relation["other"]["on_page"] = relation["other"].get("iri") in on_page
    for group in groups.values():
        members = {c["iri"] for c in group["claims"]}
        group["conflicts"] = sum(1 for c in group["claims"] if any(o["iri"] in members for o in c["conflicts"]))
        group["possibly"] = sum(
            1
            for c in group["claims"]
            if not any(o["iri"] in members for o in c["conflicts"]) and any(o["iri"] in members for o in c["possibly"])
        )
        group["claims"].sort(key=lambda c: (c["as_of"] or c["stated_on"] or "", c["iri"]))
    return sorted(groups.values(), key=lambda g: g["measure"]["label"] if g["measure"] else "")


def attestations(iri: str) -> list[dict]:
    """Return the attestations of statements about ``iri``: property, value, quote, article."""
    s = site()
    out, seen = [], set()
    for row in s.store.select(query("attestations"), {"s": ox.NamedNode(iri)}):
        if row["att"].value in seen:
            continue
        seen.add(row["att"].value)
        out.append(
            {
                "iri": row["att"].value,
                "property": term(row["prop"], s),
                "value": term(row["value"], s),
                "source": term(row["source"], s) if "source" in row else None,
                "quote": row_quote(row),
            }
        )
    return out


def by_passage(items: list[dict]) -> list[dict]:
    """Group quoted statements by passage (same article, same exact text, same place): each
    passage once, with the statements (``property``, ``value``) it supports, in first-seen order."""
    groups: dict[tuple, dict] = {}
    for item in items:
        q = item.get("quote") or {}
        source = item.get("source") or {}
        key = (source.get("iri"), q.get("exact"), q.get("start"), q.get("end")) if q else ("", item.get("iri"))
        group = groups.setdefault(key, {"source": item.get("source"), "quote": item.get("quote"), "statements": []})
        statement = {"property": item["property"], "value": item.get("value")}
        if statement not in group["statements"]:
            group["statements"].append(statement)
    return list(groups.values())


def marked_text(article: str) -> list[dict]:
    """Return the article's text as segments, the passages that evidence claims or statements marked.

    Each segment is ``{"text", "href", "title"}``; ``href`` is set on a marked passage and links
    to the claim or attestation it supports. Where passages overlap, the first one is marked.
    """
    s = site()
    text = s.text(article)
    if text is None:
        return []
    segments, position = [], 0
    for row in s.store.select(query("passages"), {"s": ox.NamedNode(article)}):
        start, end = int(row["start"].value), int(row["end"].value)
        if start < position or not 0 <= start <= end <= len(text):
            continue  # overlaps the passage marked before it, or does not fit the text
        if start > position:
            segments.append({"text": text[position:start], "href": None, "title": None})
        user = row["user"].value
        segments.append({"text": text[start:end], "href": local_href(user) or user, "title": label(user, s)})
        position = end
    if position < len(text):
        segments.append({"text": text[position:], "href": None, "title": None})
    return segments
