"""The ``parley`` command: one verb per lifecycle step, thin wrappers over library functions.

``check`` loads the curation and reports what remains (problems, TODOs, coverage, the build's
validation); ``build`` ingests,
validates and writes the build; ``validate`` checks the sources without writing; ``serve``
serves a build with granian (or gunicorn), with one option per setting of ``server.config.SETTINGS``.
Every command takes ``--root`` (a relative ``--out`` or ``--build-dir`` is taken from it), and
``parley -q`` prints only errors. Exit codes: 0 ok, 1 invalid data, 2 usage or configuration
error; an error is Click's ``Error: ...`` on stderr, with the fix on the next line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph import __version__
from graph.errors import ValidationFailed
from server.config import SETTINGS, Setting, load_settings

from . import add_cli, preview_cli, release_cli
from .common import Options, ParleyGroup, checkout, configure_logging, root_dir, root_option, say, under


@click.group(cls=ParleyGroup)
@click.version_option(__version__, prog_name="parley")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors: no summaries, no progress, no server logs.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """Parley: build, validate and serve the Istanbul talks knowledge graph."""
    configure_logging(quiet)
    ctx.obj = Options(quiet=quiet)


@cli.command()
@root_option
@click.option(
    "--partial",
    is_flag=True,
    help="Report articles that have no curation file yet (and references no file declares) instead of failing on them.",
)
@click.pass_obj
def check(options: Options, root: Path | None, partial: bool) -> None:
    """Check the curation: keys, quotes, references, TODOs, number coverage, and the build's own validation.

    Lists everything that remains at once (file:line and the fix of each) and exits 1 while
    anything does.
    """
    from graph.check import check_corpus, missing_summary
    from graph.coverage import FAILED_FIX, NUMBER_FIX, SENTENCE_FIX, CorpusCoverage, CorpusSentenceCoverage
    from graph.curation import all_problems

    base = checkout(root)
    report = check_corpus(base, partial=partial)
    numbers = CorpusCoverage([item.coverage for item in report.articles])
    sentences = CorpusSentenceCoverage([item.sentence_coverage for item in report.articles])
    for item in report.articles:
        article, cov, sentence_cov = item.article, item.coverage, item.sentence_coverage
        say(
            options,
            f"{article.curation_path.relative_to(base)}: {len(article.entities)} entities, "
            f"{len(article.facts) + len(article.source_facts)} facts, {len(article.claims)} claims, "
            f"numbers covered {cov.covered}/{len(cov.numbers)}"
            + (f" ({len(cov.pending)} more in entries that failed)" if cov.pending else "")
            + (f", {len(item.todos)} lines marked TODO" if item.todos else "")
            + f", sentences covered {sentence_cov.covered}/{len(sentence_cov.sentences)}"
            f" ({len(sentence_cov.out_of_scope)} out of scope)",
        )
    say(options, f"coverage: {numbers.covered}/{numbers.total} numbers ({numbers.percent:.1f}%)")
    say(
        options,
        f"sentence coverage: {sentences.covered}/{sentences.total} sentences "
        f"({sentences.percent:.1f}%, {sentences.out_of_scope} out of scope)",
    )
    for path in report.corpus.missing:
        say(options, missing_summary(path, base))
    if report.corpus.missing:
        say(options, f"partial: {len(report.corpus.missing)} article(s) still need a curation file")
    for problem in report.corpus.unknown_refs:
        say(options, f"unknown ref (declare it, unless an article not curated yet will): {problem.message}")
    if report.validation and report.validation_pending:
        say(options, "the build's validation, on the articles curated so far (listed, not failed):")
        for problem in report.validation:
            say(options, "  " + problem.line())
    say(options, "validation: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items()))
    if report.passed:
        return
    if report.problems:
        error = all_problems(report.problems)
        click.echo(f"Error: {error.message}\n  fix: {error.hint}", err=True)
    _errors(numbers.uncovered(), NUMBER_FIX if any(c.uncovered for c in numbers.articles) else FAILED_FIX)
    todos = [
        f"{a.article.curation_path.relative_to(base)}:{t.line}: {t.text}" for a in report.articles for t in a.todos
    ]
    if todos:
        click.echo(f"Error: {len(todos)} line(s) still marked TODO:\n" + "\n".join(todos), err=True)
        click.echo("  fix: confirm, fix or delete each candidate and replace every TODO value", err=True)
    if report.validation and not report.validation_pending:
        click.echo(
            f"Error: the build's validation (SHACL, QC queries, metadata) would refuse {len(report.validation)} "
            "thing(s):\n" + "\n".join(problem.line() for problem in report.validation),
            err=True,
        )
        click.echo("  fix: fix the curation entries named above", err=True)
    _errors(sentences.uncovered(), SENTENCE_FIX if any(c.uncovered for c in sentences.articles) else FAILED_FIX)
    sys.exit(1)


def _errors(lines: list[str], fix: str) -> None:
    """Print each line as an error, then the one fix they share."""
    for line in lines:
        click.echo(f"Error: {line}", err=True)
    if lines:
        click.echo(f"  fix: {fix}", err=True)


@cli.command()
@root_option
@click.option(
    "--out",
    default="build",
    show_default=True,
    metavar="DIR",
    help="Build directory to write, taken from --root when relative (swapped in only on success).",
)
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (no Java needed).")
@click.option(
    "--load-into",
    default=None,
    metavar="URL",
    help="Then replace Parley's graphs in the remote store whose Graph Store Protocol endpoint is URL.",
)
@click.option(
    "--store-url",
    default=None,
    metavar="URL",
    help="The remote store's SPARQL query endpoint, to check the load [PARLEY_STORE_URL].",
)
@click.option("--no-cache", is_flag=True, help="Validate every SHACL unit afresh and keep no cache.")
@click.option(
    "--cache",
    "cache_dir",
    default=None,
    metavar="DIR",
    help="Keep the SHACL units that passed in DIR (taken from --root when relative) [default: .parley-cache/ beside --out].",
)
@click.pass_obj
def build(
    options: Options,
    root: Path | None,
    out: str,
    no_reasoner: bool,
    load_into: str | None,
    store_url: str | None,
    no_cache: bool,
    cache_dir: str | None,
) -> None:
    """Ingest, validate, then write the store, dumps, VoID/DCAT and validation report."""
    from graph.build import build as run_build

    if no_cache and cache_dir:
        raise click.UsageError("--no-cache and --cache DIR contradict each other: give one of them")
    base = checkout(root)
    query_url = store_url or load_settings()["store_url"]
    if load_into and not query_url:
        raise click.UsageError("--load-into needs the store's query endpoint: give --store-url or PARLEY_STORE_URL")
    cache: Path | bool = False if no_cache else under(base, cache_dir) if cache_dir else True
    result = run_build(out=under(base, out), root=base, reasoner=not no_reasoner, cache=cache)
    say(options, result.summary())
    if load_into:
        from server.data.store.loading import load_build

        load_build(under(base, out), load_into, query_url, progress=lambda text: say(options, text))


@cli.command()
@root_option
@click.option(
    "--report", default=None, metavar="FILE", help="Also write the sh:ValidationReport as Turtle to this file."
)
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check (no Java needed).")
@click.pass_obj
def validate(options: Options, root: Path | None, report: str | None, no_reasoner: bool) -> None:
    """Validate the sources (SHACL, OWL consistency, QC queries, ontology metadata) without building."""
    from graph.build import ingest_sources
    from graph.validate import validate as run_validate

    base = checkout(root)
    outcome = run_validate(ingest_sources(base), base, reasoner=not no_reasoner)
    if report:
        Path(report).write_text(outcome.report_turtle(), encoding="utf-8")
    for name, status in outcome.checks.items():
        say(options, f"{name}: {status}")
    if not outcome.conforms:
        raise ValidationFailed(
            f"the sources are not valid: {len(outcome.problems)} problem(s):\n"
            + "\n".join(problem.line() for problem in outcome.problems),
            hint="fix the curation entries named above, then run `parley validate` again",
        )
    say(options, "valid")


@cli.command()
@root_option
@click.option("--out", default=None, metavar="FILE", help="Write the schema to FILE (taken from --root when relative).")
def schema(root: Path | None, out: str | None) -> None:
    """Write the JSON Schema of a curation file (default: stdout), for editors that validate YAML."""
    import json

    from graph.curation_models import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        target = under(root_dir(root), out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


class SettingType(click.ParamType):
    """A setting's own parser as a Click type, so a bad value is a usage error naming the option."""

    def __init__(self, setting: Setting):
        self.setting = setting
        self.name = type(setting.default).__name__

    def convert(self, value, param, ctx):
        try:
            return self.setting.parse(str(value))
        except ValueError as exc:
            self.fail(f"{value!r} {exc}", param, ctx)


def setting_options(command):
    """Add one ``--name`` option per setting of ``SETTINGS``, in the table's order."""
    for setting in reversed(SETTINGS):
        command = click.option(
            "--" + setting.name.replace("_", "-"),
            setting.name,
            type=SettingType(setting),
            default=None,
            metavar=setting.metavar,
            help=f"{setting.meaning} [{setting.env}; default: {setting.default}]",
        )(command)
    return command


@cli.command()
@root_option
@setting_options
@click.pass_obj
def serve(options: Options, root: Path | None, **values) -> None:
    """Serve a build with granian (or gunicorn, --front): SPARQL endpoint, linked-data pages, dumps.

    Each option overrides its PARLEY_* variable, which overrides the default. The build is
    checked (every store file and dump against its recorded SHA-256) before the server starts;
    kill -HUP reloads the workers onto the build directory as it is then.
    """
    from server.serve import run

    settings = load_settings(overrides={name: value for name, value in values.items() if value is not None})
    settings["build_dir"] = under(root_dir(root), settings["build_dir"])
    settings["releases_dir"] = under(root_dir(root), settings["releases_dir"])
    run(settings, quiet=options.quiet)


cli.add_command(add_cli.add)
cli.add_command(preview_cli.preview)
cli.add_command(release_cli.release)
cli.add_command(release_cli.release_files)
cli.add_command(release_cli.diff)


def main() -> None:
    cli(prog_name="parley")


if __name__ == "__main__":
    main()
