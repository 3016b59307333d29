"""The curation view of ``parley preview``: registered only by the preview, never by ``parley serve``.

``/preview/`` lists the articles with what remains of each; ``/preview/{stem}`` shows one
article's text with every quote highlighted by kind (entity, fact, claim, out of scope: each
its own line style as well as its colour, and named in the segment's title), the numbers no
entry covers and the sentences no quote touches marked, and beside the text the lines of its
curation file still marked TODO and the loader's problems, each with its file and line. The
view is made from the ``graph.check.CheckReport`` of the working tree the preview built, held
by the app (each rebuild makes a new app, so a page never mixes two builds).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, render_template

from graph.check import ArticleReport, CheckReport

from ..http.conditional import respond
from ..http.representations import HTML
from ..problems import NotFound

bp = Blueprint("preview", __name__)

#: kind -> what the legend and titles call it; the CSS class is ``q-<kind>``
KINDS = {
    "entity": "entity quote",
    "fact": "fact quote",
    "claim": "claim quote",
    "excluded": "out of scope",
    "uncovered": "number not covered",
    "failed": "number in an entry that failed its checks",
    "untouched": "sentence no quote touches",
}


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]

    @property
    def classes(self) -> str:
        return " ".join(f"q-{kind}" for kind in self.kinds)

    @property
    def title(self) -> str:
        return ", ".join(KINDS[kind] for kind in self.kinds)


def spans(item: ArticleReport) -> list[tuple[int, int, str]]:
    """The (start, end, kind) of every quote, uncovered number (or one only an entry that failed
    covers) and untouched sentence of the article."""
    article = item.article
    found = [(e.anchor.start, e.anchor.end, "entity") for e in article.entities]
    found += [(f.anchor.start, f.anchor.end, "fact") for f in article.source_facts + article.facts]
    found += [(c.anchor.start, c.anchor.end, "claim") for c in article.claims]
    found += [(o.anchor.start, o.anchor.end, "excluded") for o in article.out_of_scope]
    cov = item.coverage
    if cov is None:
        found += [(n.start, n.end, "uncovered") for n in item.uncovered]
    else:
        found += [(n.start, n.end, "uncovered") for n in cov.uncovered]
        found += [(n.start, n.end, "failed") for n, _ in cov.pending]
    found += [(s.start, s.end, "untouched") for s in item.untouched]
    return found


def segments(text: str, marked: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece carries the kinds of the spans over it."""
    cuts = sorted({0, len(text)} | {s for s, _, _ in marked} | {e for _, e, _ in marked})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        kinds = tuple(kind for kind in KINDS if any(s <= start and end <= e and k == kind for s, e, k in marked))
        pieces.append(Segment(text[start:end], kinds))
    return pieces


def _report() -> CheckReport:
    return current_app.extensions["parley_preview"]


def _problems(report: CheckReport, item: ArticleReport) -> list[str]:
    name = str(item.article.curation_path.relative_to(report.root))
    return [p.message + (f"; fix: {p.hint}" if p.hint else "") for p in report.problems if p.message.startswith(name)]


def _page(page: str, template: str, **context):
    """Respond with a page of the preview, its entity tag from the files it was made from."""
    error = current_app.extensions["parley_preview_error"]()
    token = current_app.extensions["parley_preview_token"] + ("-stale" if error else "")
    return respond(
        lambda: render_template(template, rebuild_error=error, **context),
        HTML,
        etag=f"preview-{page}-{token}",
        last_modified=None,
        cache_control="no-cache",
    )


@bp.get("/preview/")
def index():
    report = _report()
    rows = [(item, len(_problems(report, item))) for item in report.articles]
    return _page("index", "preview_index.html", report=report, rows=rows)


@bp.get("/preview/<stem>")
def article(stem: str):
    report = _report()
    item = next((a for a in report.articles if a.article.stem == stem), None)
    if item is None:
        raise NotFound(f"no article {stem!r} in the preview", hint="pick one from /preview/")
    return _page(
        stem,
        "preview.html",
        report=report,
        item=item,
        curation=str(item.article.curation_path.relative_to(report.root)),
        segments=segments(item.article.text, spans(item)),
        problems=_problems(report, item),
        kinds=KINDS,
    )


def register(app: Flask, report: CheckReport, error=lambda: None) -> None:
    """Attach the curation view of ``report`` to an app made by ``create_app``.

    ``error()`` returns why the latest rebuild failed (None when it did not), shown on every page.
    """
    app.extensions["parley_preview"] = report
    app.extensions["parley_preview_error"] = error
    # The curation files change the view without changing the graph (a TODO comment), so the
    # pages' entity tag is made from the files' own digests and the problems found.
    digests = [(a.article.sha256, a.article.curation_sha256) for a in report.articles]
    token = hashlib.sha256(repr((digests, [p.message for p in report.problems])).encode()).hexdigest()[:16]
    app.extensions["parley_preview_token"] = token
    app.register_blueprint(bp)
