"""``parley release``, ``parley release-files`` and ``parley diff``: the release step of the lifecycle.

Thin wrappers over ``graph.release.release``, ``graph.release_text.restore`` (a release is
committed as text; its downloads are made from it) and ``graph.diff.diff``; ``parley/cli.py``
registers them on its group, so they share its ``--root``, ``-q`` and error handling (a
ParleyError is ``Error: ...`` with its exit code: 1 when the data or the release is refused,
2 for usage). Both build on the options of ``parley.common``.
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import Options, root_dir, root_option, say, under


@click.command()
@root_option
@click.argument("version")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Issued date of the release (default: today).")
@click.option("--notes", default=None, metavar="FILE", help="Release notes to include (text or Markdown).")
@click.option(
    "--build-dir",
    default="build",
    show_default=True,
    metavar="DIR",
    help="Build to release, taken from --root when relative.",
)
@click.option(
    "--releases-dir",
    default="releases",
    show_default=True,
    metavar="DIR",
    help="Where releases live, taken from --root when relative.",
)
@click.pass_obj
def release(
    options: Options,
    root: Path | None,
    version: str,
    date: str | None,
    notes: str | None,
    build_dir: str,
    releases_dir: str,
) -> None:
    """Turn a passing build into the immutable release VERSION (X.Y.Z, above the latest)."""
    from graph.release import release as run_release

    base = root_dir(root)
    result = run_release(
        under(base, build_dir),
        under(base, releases_dir),
        version,
        date=date,
        notes=str(under(base, notes)) if notes else None,
        root=base,
    )
    say(options, result.summary())


@click.command("release-files")
@root_option
@click.argument("versions", nargs=-1, metavar="[VERSION]...")
@click.option(
    "--releases-dir",
    default="releases",
    show_default=True,
    metavar="DIR",
    help="Where releases live, taken from --root when relative.",
)
@click.pass_obj
def release_files(options: Options, root: Path | None, versions: tuple[str, ...], releases_dir: str) -> None:
    """Check each release's committed text and make its downloads (dumps/) where missing.

    Every release when no VERSION is given. A committed file that changed, or a made file
    that differs from SHA256SUMS, is an error naming it (exit 2).
    """
    from graph.errors import ConfigError
    from graph.release import releases
    from graph.release_text import is_text_release, restore

    directory = under(root_dir(root), releases_dir)
    known = releases(directory)
    for version in versions:
        if version not in known:
            raise ConfigError(
                f"{directory / version}: no release {version} here",
                hint=f"the releases in {directory} are: {', '.join(known) or 'none'}",
            )
    for version in versions or known:
        path = directory / version
        if not is_text_release(path):
            say(options, f"{path}: an older release (its dumps were copied, not made from text): nothing to make")
            continue
        made = restore(path)
        say(options, f"{path}: " + (f"made {', '.join(made)}" if made else "complete") + "; every file checked")


@click.command()
@root_option
@click.argument("old", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle"]),
    default="text",
    show_default=True,
    help="Print the changelog as text or as RDF (Turtle).",
)
@click.pass_obj
def diff(options: Options, root: Path | None, old: Path, new: Path, fmt: str) -> None:
    """Print what changed from OLD to NEW (release or build directories), by stable IRI."""
    from rdflib import URIRef

    from graph.diff import diff as run_diff
    from graph.dump import serialize_sorted
    from graph.release_text import is_text_release, restore

    base = root_dir(root)
    old, new = under(base, old), under(base, new)
    for directory in (old, new):
        if is_text_release(directory):
            restore(directory)  # a release committed as text: its dump is made from the text
    changelog = run_diff(old, new, old_name=_name(old), new_name=_name(new))
    if fmt == "turtle":
        graph = changelog.graph(URIRef(_dataset(new) + "/changelog"), URIRef(_dataset(old)), URIRef(_dataset(new)))
        click.echo(serialize_sorted(graph), nl=False)
    else:
        click.echo(changelog.text(), nl=False)


def _name(directory: Path) -> str:
    """A release is named by its version, a build by its path."""
    return _manifest(directory).get("version") or str(directory)


def _dataset(directory: Path) -> str:
    """A release's dataset IRI, or the build directory's file URI (a build has no versioned IRI)."""
    return _manifest(directory).get("dataset") or directory.resolve().as_uri()


def _manifest(directory: Path) -> dict:
    import json

    from graph.release import RELEASE_MANIFEST

    path = directory / RELEASE_MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
