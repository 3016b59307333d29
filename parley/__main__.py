"""``python -m parley``: the same command as the ``parley`` script."""

from .cli import main

main()
