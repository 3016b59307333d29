"""``parley preview``: serve the working tree's curation, TODOs and all, and rebuild it on change.

Builds into a temporary directory (removed on exit) with ``server.preview.Preview``, serves it
with werkzeug on ``--host``/``--port`` (one thread: the SPARQL endpoint's query processes live
with the thread that started them) through ``create_app``, the app ``parley serve`` runs, plus
the curation view at ``/preview/``. A thread polls ``corpus/`` and ``curation/`` every
``--interval`` seconds and swaps in a new build when a file changed. Registered on the group in
``parley/cli.py``.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from pathlib import Path

import click

from graph.errors import ConfigError

from .common import Options, checkout, root_option, say


@click.command()
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, metavar="H", help="Address to bind to.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), metavar="N", help="Port.")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.1, 60),
    metavar="S",
    help="Seconds between looks at corpus/ and curation/ for changes.",
)
@click.pass_obj
def preview(options: Options, root: Path | None, host: str, port: int, interval: float) -> None:
    """Serve the working tree's curation with its TODOs, with a curation view of each article at /preview/.

    Rebuilds when a file under corpus/ or curation/ changes. Not for production: one thread,
    a temporary build, no integrity check.
    """
    from werkzeug.serving import make_server

    from server.preview import Preview

    base = checkout(root)
    signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl-C, so the temporary build is removed
    workdir = Path(tempfile.mkdtemp(prefix="parley-preview-"))
    site = Preview(base, workdir, {"query_processes": 1})
    try:
        site.rebuild()
        try:
            server = make_server(host, port, site, threaded=False)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}", hint="pass another --port") from None
        # The watch runs on the serving thread, between requests (socketserver's service_actions):
        # pyoxigraph's result objects must be made and freed on one thread, and a rebuild on a
        # thread of its own would collect the request thread's garbage (and the other way round).
        server.service_actions = lambda: site.poll(interval)
        say(options, f"preview of {base}: http://{host}:{server.server_port}/preview/ (Ctrl-C to stop)")
        try:
            server.serve_forever(poll_interval=min(interval, 0.5))
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    finally:
        site.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
