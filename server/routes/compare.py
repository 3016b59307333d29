"""``/compare``: the figures of one subject and measure side by side, and the index of them.

``/compare`` lists every subject and measure with several figures; ``/compare?subject=IRI&
measure=IRI`` shows that pair's figures as a table (figure, speakers, said on, as of, modality,
article, quote), the relations between them with their reasons, and a chart of the figures over
their dates drawn on the server (``views.chart``); ``/compare/chart.svg`` with the same
parameters is the chart alone. Both parameters are IRIs, checked by pyoxigraph's parser before
they reach a query as bindings: one without the other, or a malformed one, is a 400; a pair
with no figure is a 404.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, render_template, request
from markupsafe import Markup

from ..conditional import respond
from ..errors import BadQuery, NotFound
from ..representations import HTML, SVG
from ..site import Site, site
from ..views.chart import chart_svg
from ..views.compare import compare_href, compared_pairs, comparison, comparisons

bp = Blueprint("compare", __name__)


def _iri(name: str) -> str:
    value = request.args.get(name, "").strip()
    hint = "give the full IRI of a subject and of a measure, as the links on /compare do"
    if not value:
        raise BadQuery(f"the parameter {name} is missing", hint=hint)
    if len(value) > 500 or not value.startswith(("http://", "https://")):
        raise BadQuery(f"{name}={value[:80]!r} is not an IRI", hint=hint)
    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise BadQuery(f"{name}={value[:80]!r} is not an IRI: {error}", hint=hint) from None
    return value


def _pair() -> tuple[str, str, dict]:
    subject, measure = _iri("subject"), _iri("measure")
    if (subject, measure) in compared_pairs():  # a bounded set: computed once per app
        found = site().once(f"compare {subject} {measure}", lambda: comparison(subject, measure))
    else:
        found = comparison(subject, measure)
    if found is None:
        raise NotFound(
            f"no figure about {subject[:100]} for the measure {measure[:100]}",
            hint="the subjects and measures with figures are listed on /compare",
        )
    return subject, measure, found


def _chart(found: dict) -> str:
    subject, measure = found["subject"]["label"], found["measure"]["label"]
    charted = [f for f in found["figures"] if f["charted"]]
    desc = (
        f"{len(charted)} figures about {subject} ({measure}) in the order of their dates; "
        "a dot is an exact figure, a bar runs from a figure's lower to its upper bound, an arrow "
        "marks a bound with nothing beyond it; hollow or dashed marks have no as-of date and stand "
        "at the day they were said or at their article's date. The table below gives every figure."
    )
    left = len(found["figures"]) - len(charted)
    if left:
        desc += f" Not on the chart, for want of bounds: {left} of the {len(found['figures'])} figures."
    return chart_svg(found["marks"], f"Figures about {subject}: {measure}", desc)


@bp.route("/compare", methods=["GET", "HEAD"])
def compare():
    """The comparison of one subject and measure, or (without parameters) the list of them."""
    s = site()
    if not request.args.get("subject") and not request.args.get("measure"):
        return respond(
            lambda: render_template("compare_index.html", comparisons=comparisons()),
            HTML,
            etag=s.etag("page", "compare"),
            last_modified=s.modified,
            cache=s.bodies,
        )
    subject, measure, found = _pair()

    def make():
        return render_template(
            "compare.html",
            **found,
            chart=Markup(_chart(found)),  # noqa: S704 - built by ElementTree, which escapes every text
            chart_href="/compare/chart.svg?" + compare_href(subject, measure).split("?", 1)[1],
        )

    return respond(make, HTML, etag=s.etag("compare", subject, measure), last_modified=s.modified, cache=s.bodies)


@bp.route("/compare/chart.svg", methods=["GET", "HEAD"])
def chart():
    """The chart of a comparison alone, as an SVG document."""
    s = site()
    subject, measure, found = _pair()
    return respond(
        lambda: '<?xml version="1.0" encoding="UTF-8"?>\n' + _chart(found),
        SVG,
        etag=s.etag("compare-chart", subject, measure),
        last_modified=s.modified,
        cache=s.bodies,
    )


def register(app: Flask, site: Site) -> None:
    """Attach the comparison pages."""
    app.register_blueprint(bp)
