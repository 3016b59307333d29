"""The build's cost curve: wall, CPU and peak RSS of ``parley build`` as a project grows.

For each size of ``--sizes`` (triples; default 100000) it generates a synthetic project
(``bench/generate.py``, kept in ``WORK/SIZE`` and reused when already there), builds it afresh
(no reasoner, as ``generate.py --build``; its cache, ``.parley-cache/`` beside the build, removed
first), then changes one article (a sentence added to the last article's text and covered by an
out-of-scope entry, so the build stays strict; on a project changed before, the sentence is taken
out again) and builds again into the same output, with the cache the first build left. Each build
runs in a fresh process, so its peak RSS is its own.

    .venv/bin/python bench/build_bench.py --work /tmp/wt-build-bench --sizes 100000
    .venv/bin/python bench/build_bench.py --work /work/bench-data --sizes 1000000,10000000

``--json FILE`` keeps every figure. The cache spares the rebuild only the SHACL validation of
the unchanged units (``graph.build_cache``); ingest, the other checks and the writes run in full.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from graph.build_cache import default_cache_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHANGE = "This sentence was added by the build benchmark to change an article."


def child(root: Path, out: Path, figures: Path) -> None:
    """Build ``root`` into ``out`` in this process; write wall, CPU, peak RSS and the build's own timings."""
    sys.path.insert(0, str(ROOT))
    from graph.build import build

    started, cpu = time.perf_counter(), time.process_time()
    result = build(out, root, reasoner=False)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures.write_text(
        json.dumps(
            {
                "wall": time.perf_counter() - started,
                "cpu": usage.ru_utime + usage.ru_stime,
                "build_cpu": time.process_time() - cpu,
                "peak_mb": usage.ru_maxrss / 1024,
                "triples": result.triples,
                "articles": result.articles,
                "timings": result.timings,
            }
        ),
        encoding="utf-8",
    )


def run_build(root: Path, out: Path) -> dict:
    figures = out.parent / "build-figures.json"
    command = [sys.executable, __file__, "--child", str(root), str(out), str(figures)]
    subprocess.run(command, check=True, cwd=ROOT)
    return json.loads(figures.read_text(encoding="utf-8"))


def change_one_article(root: Path) -> str:
    """Add a sentence to the last article with an out-of-scope entry for it, or take them out
    where an earlier run added them; return the article's file name."""
    article = sorted((root / "corpus").glob("*.txt"))[-1]
    curation = root / "curation" / (article.stem + ".yaml")
    text = article.read_text(encoding="utf-8")
    data = yaml.safe_load(curation.read_text(encoding="utf-8"))
    entries = data.setdefault("out_of_scope_sentences", [])
    added = "\n\n" + CHANGE + "\n"
    if text.endswith(added):
        article.write_text(text[: -len(added)] + "\n", encoding="utf-8")
        data["out_of_scope_sentences"] = [e for e in entries if e.get("quote") != CHANGE] or None
        if data["out_of_scope_sentences"] is None:
            del data["out_of_scope_sentences"]
    else:
        article.write_text(text.rstrip("\n") + added, encoding="utf-8")
        entries.append({"quote": CHANGE, "reason": "a benchmark's edit, not reporting"})
    curation.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return article.name


def measure(size: int, work: Path, seed: int) -> dict:
    root = work / str(size)
    if not (root / "corpus").is_dir():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                "--triples",
                str(size),
                "--out",
                str(root),
                "--seed",
                str(seed),
            ],
            check=True,
            cwd=ROOT,
        )
    out = root / "build"
    shutil.rmtree(default_cache_dir(out), ignore_errors=True)
    full = run_build(root, out)
    changed = change_one_article(root)
    again = run_build(root, out)
    return {"size": size, "full": full, "one_article": again, "changed": changed}


def print_row(row: dict) -> None:
    for kind in ("full", "one_article"):
        f = row[kind]
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in f["timings"].items())
        print(
            f"{row['size']:>11,} {kind:<12} {f['triples']:>11,} {f['articles']:>6} {f['wall']:>8.1f} s "
            f"{f['cpu']:>8.1f} s {f['peak_mb'] / 1024:>6.2f} GB  ({steps})",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/parley-build-bench"), help="projects go here")
    parser.add_argument("--sizes", default="100000", help="comma-separated target sizes, in triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{'target':>11} {'build':<12} {'triples':>11} {'arts':>6} {'wall':>10} {'CPU':>10} {'peak RSS':>9}")
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        row = measure(size, args.work.absolute(), args.seed)
        print_row(row)
        rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
