"""The change feed: the releases and their changelogs as an Activity Streams 2.0
``OrderedCollection`` (https://www.w3.org/ns/activitystreams), newest first, in pages.

Each release is one activity: ``Create`` for the first release, ``Update`` for every later
one, whose ``object`` is the release's dataset IRI (``{base}dataset/{version}``) and whose
``target`` is the dataset; ``published`` is the date the release came in force (00:00 UTC),
and its ``attachment`` links the release's changelog (text, and Turtle when it has one). The
collection names its ``first`` and ``last`` pages; each ``OrderedCollectionPage`` is ``partOf``
it, with ``next`` (older) and ``prev`` (newer) where there are more.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from graph.namespaces import DATASET
from graph.release import dataset_iri

from ..data.releases import ReleaseInfo
from ..http.memento import absolute

CONTEXT = "https://www.w3.org/ns/activitystreams"
MEDIA_TYPE = "application/activity+json"


def page_count(total: int, per_page: int) -> int:
    """How many pages the feed has (one, empty, before the first release)."""
    return max(1, math.ceil(total / per_page))


def listing_tag(infos: Sequence[ReleaseInfo]) -> str:
    """What the feed is made from, as a hash: a new release (or none) changes it."""
    return hashlib.sha256("\x1f".join(f"{i.version}:{i.manifest_sha256}" for i in infos).encode()).hexdigest()


def _page_url(number: int) -> str:
    return absolute(f"/feed?page={number}")


def collection(infos: Sequence[ReleaseInfo], per_page: int) -> dict:
    """The feed itself: how many releases, and where its first and last pages are."""
    pages = page_count(len(infos), per_page)
    return {
        "@context": CONTEXT,
        "id": absolute("/feed"),
        "type": "OrderedCollection",
        "name": "Releases of the dataset",
        "summary": "Every release of the dataset and its changelog, newest first.",
        "totalItems": len(infos),
        "first": _page_url(1),
        "last": _page_url(pages),
    }


def page(infos: Sequence[ReleaseInfo], number: int, per_page: int) -> dict | None:
    """Page ``number`` (from 1) of the feed, or None when there is no such page.

    ``infos`` are the releases newest first, as ``all_releases`` gives them; the last of them
    is the first release.
    """
    pages = page_count(len(infos), per_page)
    if not 1 <= number <= pages:
        return None
    start = (number - 1) * per_page
    found = {
        "@context": CONTEXT,
        "id": _page_url(number),
        "type": "OrderedCollectionPage",
        "partOf": absolute("/feed"),
        "startIndex": start,
        "orderedItems": [activity(info, first=info is infos[-1]) for info in infos[start : start + per_page]],
    }
    if number > 1:
        found["prev"] = _page_url(number - 1)
    if number < pages:
        found["next"] = _page_url(number + 1)
    return found


def _summary(info: ReleaseInfo, first: bool) -> str:
    """What the release did, from its manifest's change counts ("claim: 1 changed")."""
    head = f"Release {info.version} of the dataset" + (", its first" if first else "")
    counts = info.manifest.get("changes") or {}
    said = [
        f"{kind}: {n} {action}"
        for kind, actions in counts.items()
        if isinstance(actions, dict)
        for action, n in actions.items()
        if isinstance(n, int) and n
    ]
    return head + (" (" + "; ".join(said) + ")" if said and not first else "")


def activity(info: ReleaseInfo, first: bool) -> dict:
    """One release as an activity: Create (the first release) or Update of the dataset."""
    at = f"/releases/{info.version}/"
    attachments = [
        {"type": "Link", "href": absolute(at + name), "mediaType": media, "name": f"Changelog of {info.version}"}
        for name, media in (("changelog.txt", "text/plain"), ("changelog.ttl", "text/turtle"))
        if (info.path / name).is_file()
    ]
    found = {
        "id": absolute(at) + "#activity",
        "type": "Create" if first else "Update",
        "summary": _summary(info, first),
        "published": info.released.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "object": {"id": str(dataset_iri(info.version)), "name": f"Release {info.version}", "url": absolute(at)},
        "target": str(DATASET),
        "attachment": attachments,
    }
    previous = info.manifest.get("previous")
    if previous:
        found["origin"] = str(dataset_iri(previous))
    return found
