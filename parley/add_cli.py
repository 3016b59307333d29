"""``parley add``: file a new article in ``corpus/`` and write a draft of its curation file.

The article is copied byte for byte to ``corpus/NNN_<hex>.txt``: ``NNN`` the next free number
(one above the highest in ``corpus/``), ``<hex>`` the first 16 hex digits of the SHA-256 of
its bytes. It is refused (exit 1, nothing written) when it is empty, binary (a NUL byte), not
UTF-8, or has the same SHA-256 as an article already filed. The draft,
``curation/NNN_<hex>.yaml``, is made by ``graph.draft.draft_curation``. A thin wrapper,
registered on the group in ``parley/cli.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import click

from graph.curation_fields import ARTICLE_FILE
from graph.errors import SourceError

from .common import Options, checkout, root_option, say

HEX_DIGITS = 16


def _published(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def check_article(raw: bytes, name: str, corpus_dir: Path) -> str:
    """Return the article's text; raise SourceError when it is empty, binary, not UTF-8 or filed already."""
    if not raw.strip():
        raise SourceError(f"{name}: the file is empty", hint="pass the article's text file")
    if b"\x00" in raw:
        raise SourceError(f"{name}: a binary file (it holds NUL bytes)", hint="pass the article as plain UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: not UTF-8 (byte {exc.start} cannot be decoded)",
            hint="convert it first, e.g. `iconv -f LATIN1 -t UTF-8`",
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    for path in sorted(corpus_dir.iterdir()):
        if path.is_file() and ARTICLE_FILE.match(path.name) and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            raise SourceError(
                f"{name}: the same article (SHA-256 {digest[:HEX_DIGITS]}...) is already corpus/{path.name}",
                hint=f"curate curation/{path.stem}.yaml instead of adding it again",
            )
    return text


def article_name(raw: bytes, corpus_dir: Path) -> str:
    """Return ``NNN_<hex>.txt``: the next free number, and the SHA-256 prefix of the bytes."""
    numbers = [int(m.group(1)) for p in corpus_dir.iterdir() if (m := ARTICLE_FILE.match(p.name))]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{hashlib.sha256(raw).hexdigest()[:HEX_DIGITS]}.txt"


@click.command()
@root_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, metavar="URL", help="Where the article was published (kept as a comment).")
@click.option("--outlet", default=None, metavar="NAME", help="The news organisation that published it.")
@click.option("--published", default=None, metavar="YYYY-MM-DD", callback=_published, help="The publication date.")
@click.pass_obj
def add(
    options: Options,
    root: Path | None,
    file: Path,
    url: str | None,
    outlet: str | None,
    published: str | None,
) -> None:
    """File the article FILE in corpus/ and write a draft curation file beside the others."""
    from graph.draft import draft_curation, learn, measure_labels
    from graph.vocabulary import load_vocabulary

    base = checkout(root)
    corpus_dir, curation_dir = base / "corpus", base / "curation"
    raw = file.read_bytes()
    text = check_article(raw, str(file), corpus_dir)
    name = article_name(raw, corpus_dir)
    target, draft_path = corpus_dir / name, curation_dir / (Path(name).stem + ".yaml")
    if draft_path.exists():
        raise SourceError(f"curation/{draft_path.name} exists already", hint="move it away, then add again")
    measures = measure_labels(load_vocabulary(base / "ontology"))
    knowledge = learn(curation_dir)  # what the curated files teach the draft
    draft = draft_curation(
        text,
        name,
        knowledge.labels,
        url=url,
        outlet=outlet,
        published=published,
        measures=measures,
        knowledge=knowledge,
    )
    curation_dir.mkdir(exist_ok=True)
    target.write_bytes(raw)
    draft_path.write_text(draft, encoding="utf-8")
    todos = draft.count("TODO")
    say(options, f"corpus/{name}: filed; curation/{draft_path.name}: draft written ({todos} TODOs)")
    say(options, f"next: edit curation/{draft_path.name}, then run `parley check`")
