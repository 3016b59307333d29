"""The ``parley`` command: one verb per lifecycle step.

``check`` loads the curation and reports quote and number coverage; ``build`` ingests,
validates and writes the build; ``validate`` checks the current sources without writing;
``serve`` serves a build with gunicorn. Commands are thin wrappers over library functions.
Exit codes: 0 ok, 1 invalid data, 2 usage or configuration error.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ConfigError, ParleyError

log = logging.getLogger(__name__)


class _ParleyGroup(click.Group):
    """Turns ParleyError into Click's ``Error: ...`` with the error's exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ParleyError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            if exc.hint:
                click.echo(f"  fix: {exc.hint}", err=True)
            sys.exit(exc.exit_code)


def _root(value: str | None) -> Path:
    root = Path(value) if value else Path.cwd()
    if not (root / "corpus").is_dir() or not (root / "ontology").is_dir():
        raise ConfigError(f"{root}: not a Parley checkout (no corpus/ or ontology/)",
                          hint="run parley from the project directory or pass --root")
    return root.resolve()


root_option = click.option("--root", envvar="PARLEY_ROOT", default=None,
                           help="Project directory holding corpus/, curation/, ontology/, shapes/ (default: the current directory).")


@click.group(cls=_ParleyGroup)
@click.version_option(__version__, prog_name="parley")
@click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
def cli(quiet: bool) -> None:
    """Parley: build, validate and serve the Istanbul talks knowledge graph."""
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s", stream=sys.stderr)


@cli.command()
@root_option
@click.option("--partial", is_flag=True, help="Skip articles that have no curation file yet.")
def check(root: str | None, partial: bool) -> None:
    """Check the curation files against the articles: quotes, references, number coverage."""
    from .coverage import corpus_coverage
    from .curation import load_corpus
    from .vocabulary import load_vocabulary

    base = _root(root)
    corpus = load_corpus(base, load_vocabulary(base / "ontology"), partial=partial)
    report = corpus_coverage(corpus.articles)
    for cov in report.articles:
        article = cov.article
        click.echo(f"{article.curation_path.relative_to(base)}: {len(article.entities)} entities, "
                   f"{len(article.facts) + len(article.source_facts)} facts, {len(article.claims)} claims, "
                   f"numbers covered {cov.covered}/{len(cov.numbers)}")
    click.echo(f"coverage: {report.covered}/{report.total} numbers ({report.percent:.1f}%)")
    failures = report.uncovered()
    if failures:
        for failure in failures:
            click.echo(f"Error: {failure}: not covered by any claim, fact or out_of_scope entry", err=True)
        click.echo("  fix: add a claim or fact whose quote includes the number, or an out_of_scope entry "
                   "with its reason, in the article's curation file", err=True)
        sys.exit(1)


@cli.command()
@root_option
@click.option("--out", default="build", show_default=True, help="Build directory to write (swapped in only on success).")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (no Java needed).")
def build(root: str | None, out: str, no_reasoner: bool) -> None:
    """Ingest, validate, then write the store, dumps, VoID/DCAT and validation report."""
    from .build import build as run_build

    base = _root(root)
    result = run_build(out=Path(out), root=base, reasoner=not no_reasoner)
    click.echo(result.summary())


@cli.command()
@root_option
@click.option("--report", default=None, help="Also write the sh:ValidationReport as Turtle to this file.")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (no Java needed).")
def validate(root: str | None, report: str | None, no_reasoner: bool) -> None:
    """Validate the sources (SHACL, OWL consistency, QC queries, ontology metadata) without building."""
    from .build import ingest_sources
    from .validate import validate as run_validate

    base = _root(root)
    dataset = ingest_sources(base)
    outcome = run_validate(dataset, base, reasoner=not no_reasoner)
    if report:
        Path(report).write_text(outcome.report_turtle(), encoding="utf-8")
    click.echo(outcome.human())
    if not outcome.conforms:
        sys.exit(1)


@cli.command()
@click.option("--build-dir", default=None, help="Build to serve [PARLEY_BUILD_DIR, default build].")
@click.option("--host", default=None, help="Address to bind [PARLEY_HOST, default 127.0.0.1].")
@click.option("--port", default=None, type=int, help="Port [PARLEY_PORT, default 8000].")
@click.option("--workers", default=None, type=int, help="Gunicorn workers [PARLEY_WORKERS, default 2].")
@click.option("--query-timeout-s", default=None, type=float, help="SPARQL time limit [PARLEY_QUERY_TIMEOUT_S].")
@click.option("--max-rows", default=None, type=int, help="SPARQL row cap [PARLEY_MAX_ROWS].")
@click.option("--threads", default=None, type=int, help="Request threads per worker [PARLEY_THREADS].")
@click.option("--query-processes", default=None, type=int, help="Query processes per worker [PARLEY_QUERY_PROCESSES].")
@click.option("--max-request-bytes", default=None, type=int, help="Largest request body [PARLEY_MAX_REQUEST_BYTES].")
def serve(**options) -> None:
    """Serve a build with gunicorn: SPARQL endpoint, linked-data pages, dumps."""
    from server.config import load_settings
    from server.serve import run

    overrides = {k: v for k, v in options.items() if v is not None}
    settings = load_settings(overrides=overrides)
    run(settings)


def main() -> None:
    cli(prog_name="parley")


if __name__ == "__main__":
    main()
