"""The ``parley`` command, downstream of both packages it drives: ``graph`` (check, build,
validate) and ``server`` (serve). Nothing in ``graph`` imports it or ``server``."""

from graph import __version__

__all__ = ["__version__"]
