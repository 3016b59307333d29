"""What every ``parley`` command shares: the group's options, ``--root``, path and output
helpers, and how a ParleyError becomes Click's ``Error: ...`` with its exit code.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from graph.errors import ConfigError, ParleyError


@dataclass(frozen=True)
class Options:
    """What the group's options tell every command."""

    quiet: bool


class Failure(click.ClickException):
    """A ParleyError as Click prints it: ``Error: message``, then ``  fix: hint``; its exit code."""

    def __init__(self, error: ParleyError):
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.hint = error.hint

    def format_message(self) -> str:
        return self.message + (f"\n  fix: {self.hint}" if self.hint else "")


class ParleyGroup(click.Group):
    """Turns a ParleyError from any command into a ``Failure``."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ParleyError as exc:
            raise Failure(exc) from None


def configure_logging(quiet: bool) -> None:
    level = logging.ERROR if quiet else logging.INFO
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(level)  # basicConfig does nothing when a handler exists already
    # Library warnings (rdflib, pyshacl) go through logging too, so that -q silences them.
    logging.captureWarnings(True)


def root_option(command):
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        envvar="PARLEY_ROOT",
        show_envvar=True,  # also names PARLEY_ROOT when its value is the one refused
        default=None,
        metavar="DIR",
        help="Project directory holding corpus/, curation/, ontology/, shapes/ (default: the current directory).",
    )(command)


def root_dir(value: Path | None) -> Path:
    return (value or Path.cwd()).resolve()


def checkout(value: Path | None) -> Path:
    root = root_dir(value)
    if not (root / "corpus").is_dir() or not (root / "ontology").is_dir():
        raise ConfigError(
            f"{root}: not a Parley checkout (no corpus/ or ontology/)",
            hint="run parley from the project directory or pass --root",
        )
    return root


def under(root: Path, path: Path | str) -> Path:
    """Return ``path`` taken from ``root`` when it is relative, as the README promises."""
    path = Path(path)
    return path if path.is_absolute() else root / path


def say(options: Options, text: str) -> None:
    if not options.quiet:
        click.echo(text)
