"""Generate a synthetic Parley project of a given size, for benchmarks that compare like with like.

The benchmarks need graphs of about 100k, 1M and 5M triples that look like Parley's own: articles
with text, entities shared across articles (people, states, organisations, delegations, posts,
places, exchange rounds, agreements), facts, claims with quantities that agree and disagree so the
build derives relations, evidence and attestations in one named graph per article. Hand-made
data cannot reach that size and copies of the real corpus would repeat the same resources, so
this script writes a project root (``corpus/``, ``curation/``, and the checkout's ``ontology/``
and ``shapes/``) that the real build (``graph.build.build``, as ``parley build`` runs it) turns
into a build like any other: strict, every number and sentence covered, validated.

Everything is visibly synthetic ("Synthetic Person 0042", outlet "Synthetic Wire", headline
"Synthetic report 000123", dates in 2031-2032); nothing is said about the real talks.

Deterministic: the same arguments give byte-identical ``corpus/`` and ``curation/`` files (one
``random.Random(seed)``, lists only, no clock). The size is set by the number of articles (at
most 1000, as article numbers have three digits) and the number of blocks per article; the pools
of people and organisations grow with the square root of the number of blocks, so some resources
are linked from many articles, while exchange rounds grow linearly, so each (subject, measure)
group of claims stays small and the derived relations stay linear in size.

    .venv/bin/python bench/generate.py --triples 1000000 --out /work/bench-data/1m --build
    .venv/bin/python bench/generate.py --triples 100000 --out /tmp/g --seed 2   # files only

``--build`` runs the real build into ``OUT/build`` (no reasoner), which ``parley serve
--build-dir OUT/build`` serves, and prints the triple count against the target, the generation
and build times and the peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import random
import resource
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("ontology", "shapes")  # what the build reads besides corpus/ and curation/
MAX_ARTICLES = 1000  # article numbers have three digits (graph.curation_fields.ARTICLE_FILE)

# Calibrated on builds of this generator: a build of B blocks holds about FIXED_TRIPLES (the
# ontology, code lists, one article's header) + B * (BLOCK_TRIPLES - BLOCK_SHARED * sqrt(10 / B))
# triples. A block costs less in a small corpus, where its people and places are more often
# already declared in the same article; the build's own count is printed, so a drift shows.
FIXED_TRIPLES = 2350
BLOCK_TRIPLES = 478
BLOCK_SHARED = 143
TRIPLES_PER_ARTICLE = 2500
# Each exchange round is the subject of exactly this many blocks (two figures each), each
# agreement of this many running totals, spread over the articles: the groups of claims the
# build relates pairwise keep the same size at every scale.
EXCHANGE_BLOCKS = 2
AGREEMENT_BLOCKS = 3  # about a real article's share (12,677 triples for 5 articles)

MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Sizes:
    articles: int
    total_blocks: int  # spread evenly over the articles
    persons: int
    orgs: int
    states: int
    delegations: int
    cities: int
    exchanges: int
    agreements: int

    def blocks(self, article: int) -> int:
        """How many blocks article number ``article`` has (the first ones take the remainder)."""
        base, extra = divmod(self.total_blocks, self.articles)
        return base + (1 if article < extra else 0)

    def first_block(self, article: int) -> int:
        base, extra = divmod(self.total_blocks, self.articles)
        return article * base + min(article, extra)


def expected_triples(blocks: int) -> float:
    return FIXED_TRIPLES + blocks * BLOCK_TRIPLES - BLOCK_SHARED * math.sqrt(10 * blocks)


def sizes_for(triples: int) -> Sizes:
    """Return the number of articles, blocks per article and pool sizes for about ``triples`` triples."""
    articles = min(MAX_ARTICLES, max(1, round(triples / TRIPLES_PER_ARTICLE)))
    total = min(range(1, max(2, 2 * triples // BLOCK_TRIPLES + 2)), key=lambda b: abs(expected_triples(b) - triples))
    total = max(total, articles)
    root = math.sqrt(total)
    return Sizes(
        articles=articles,
        total_blocks=total,
        persons=max(3, round(2 * root)),
        orgs=max(2, round(root)),
        states=max(2, round(total**0.25) + 1),
        delegations=max(2, round(root / 2)),
        cities=max(2, round(root / 2)),
        exchanges=(total + EXCHANGE_BLOCKS - 1) // EXCHANGE_BLOCKS,
        agreements=(total + AGREEMENT_BLOCKS - 1) // AGREEMENT_BLOCKS,
    )


def _named(path: str, cls: str, label: str, digits: int):
    """Return ``i -> (ref, class, label)`` for a pool of synthetic entities of one kind."""

    def make(i: int) -> tuple[str, str, str]:
        return f"{path}-{i:0{digits}d}", cls, f"{label} {i:0{digits}d}"

    return make


person = _named("person/synthetic-person", "Person", "Synthetic Person", 4)
org = _named("org/synthetic-organisation", "Organisation", "Synthetic Organisation", 4)
state = _named("state/synthetic-state", "State", "Synthetic State", 2)
delegation = _named("delegation/synthetic-delegation", "Delegation", "Synthetic Delegation", 4)
post = _named("post/synthetic-post", "Post", "Synthetic Post", 4)
city = _named("place/synthetic-city", "Place", "Synthetic City", 4)
exchange = _named("exchange/synthetic-exchange", "ExchangeRound", "Synthetic Exchange", 6)
agreement = _named("agreement/synthetic-agreement", "Agreement", "Synthetic Agreement", 5)


OUTLET = ("org/synthetic-wire", "NewsOrganisation", "Synthetic Wire")


def say_date(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def say_number(n: int) -> str:
    return f"{n:,}"


class World:
    """The fixed properties of every pooled thing, the same in every article that names it."""

    def __init__(self, sizes: Sizes, seed: int):
        rng = random.Random(f"world-{seed}")
        self.sizes = sizes
        first = dt.date(2031, 1, 1)
        self.exchange_date = [first + dt.timedelta(days=rng.randrange(365)) for _ in range(sizes.exchanges)]
        self.exchange_city = [rng.randrange(sizes.cities) for _ in range(sizes.exchanges)]
        self.exchange_bodies = [rng.randrange(40, 4000) for _ in range(sizes.exchanges)]
        self.post_state = [rng.randrange(sizes.states) for _ in range(sizes.persons)]
        self.delegation_state = [rng.randrange(sizes.states) for _ in range(sizes.delegations)]
        self.delegation_head = [rng.randrange(sizes.persons) for _ in range(sizes.delegations)]
        self.agreement_total = [rng.randrange(1000, 20000) for _ in range(sizes.agreements)]
        self.block_exchange = self._groups(rng, sizes.total_blocks, EXCHANGE_BLOCKS)
        self.block_agreement = self._groups(rng, sizes.total_blocks, AGREEMENT_BLOCKS)

    @staticmethod
    def _groups(rng: random.Random, blocks: int, size: int) -> list[int]:
        """Return, for each block, its group: ``size`` blocks a group, scattered over the articles."""
        order = list(range(blocks))
        rng.shuffle(order)
        return [i // size for i in order]


@dataclass
class Article:
    """One article being written: its text and its curation entries, kept in step."""

    number: int
    lines: list[str] = field(default_factory=list)
    entities: dict[str, dict] = field(default_factory=dict)  # ref -> entry, in order of first mention
    facts: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    _text: str = ""

    def add_line(self, line: str) -> int:
        """Append a line; return the offset where it starts."""
        start = len(self._text)
        self._text += line + "\n"
        self.lines.append(line)
        return start

    def anchor(self, quote: str, at: int) -> dict:
        """Return ``{quote[, occurrence]}`` for the occurrence of ``quote`` that starts at offset ``at``."""
        assert self._text[at : at + len(quote)] == quote, (quote, self._text[at : at + 40])
        if self._text.count(quote) == 1 and self._text.find(quote, at + 1) == -1:
            return {"quote": quote}
        occurrence = self._text.count(quote, 0, at) + 1
        # count() counts non-overlapping matches; the names never overlap themselves
        return {"quote": quote, "occurrence": occurrence}

    def mention(self, thing: tuple[str, str, str], line_start: int, line: str) -> None:
        """Declare ``thing`` (ref, type, name) at its first mention in ``line``."""
        ref, kind, name = thing
        if ref in self.entities:
            return
        at = line_start + line.index(name)
        self.entities[ref] = {"ref": ref, "type": kind, "name": name, "label": name, "at": at}


def write_article(number: int, world: World, rng: random.Random) -> Article:
    sizes = world.sizes
    art = Article(number)
    headline = f"Synthetic report {number:06d}"
    art.add_line(headline)
    published = dt.date(2032, 1, 1) + dt.timedelta(days=rng.randrange(360))
    home = city(rng.randrange(sizes.cities))
    place_part = f"{home[2]}, {say_date(published)}"
    dateline = f"{place_part} ({OUTLET[2]})"
    start = art.add_line(dateline)
    art.source = {
        "headline": {"quote": headline},
        "outlet": {"ref": OUTLET[0], "quote": f"({OUTLET[2]})"},
        "published": {"date": published, "quote": say_date(published), "at": start + len(home[2]) + 2},
        "dateline": {"quote": place_part, "places": [home[0]], "at": start},
    }
    art.mention(home, start, dateline)
    art.mention(OUTLET, start, dateline)
    first = sizes.first_block(number)
    for b in range(sizes.blocks(number)):
        write_block(art, b, first + b, world, rng, published)
    # resolve anchors now that the text is complete
    text = art._text
    art.source["outlet"] = art.anchor(f"({OUTLET[2]})", text.index(f"({OUTLET[2]})")) | {"ref": OUTLET[0]}
    for name in ("published", "dateline"):
        entry = art.source[name]
        at = entry.pop("at")
        art.source[name] = {**{k: v for k, v in entry.items() if k != "quote"}, **art.anchor(entry["quote"], at)}
    return art


def figure_for(rng: random.Random, base: int) -> tuple[str, dict]:
    """Return a printed figure and its claim fields: exact, approximate, bounded or disagreeing."""
    kind = rng.randrange(6)
    if kind == 0:
        return say_number(base), {"approximation": "exact", "value": base}
    if kind == 1:
        return f"about {say_number(base)}", {"approximation": "about", "value": base}
    if kind == 2:
        low = base - rng.randrange(1, 30)
        return f"more than {say_number(low)}", {"approximation": "more-than", "min": low}
    if kind == 3:
        high = base + rng.randrange(1, 30)
        return f"nearly {say_number(high)}", {"approximation": "nearly", "max": high}
    other = base + rng.choice((-1, 1)) * rng.randrange(5, 200)
    return say_number(max(other, 1)), {"approximation": "exact", "value": max(other, 1)}


def write_block(art: Article, b: int, g: int, world: World, rng: random.Random, published: dt.date) -> None:
    """Append paragraph ``b`` (block ``g`` of the corpus) about one exchange round: two figures, its date
    and place, who said them, and a running total under an agreement."""
    sizes = world.sizes
    e = world.block_exchange[g]
    p = rng.randrange(sizes.persons)
    o = rng.randrange(sizes.orgs)
    helper = rng.randrange(sizes.orgs)
    d = rng.randrange(sizes.delegations)
    a = world.block_agreement[g]
    ex, spk, body, aid = exchange(e), person(p), org(o), org(helper)
    st = state(rng.randrange(sizes.states))
    when = world.exchange_date[e]
    stated = when + dt.timedelta(days=rng.randrange(1, 30))
    where = city(world.exchange_city[e])
    dl, head = delegation(d), person(world.delegation_head[d])
    dl_state = state(world.delegation_state[d])
    pst, pst_state = post(p), state(world.post_state[p])
    ag = agreement(a)
    fig1, f1 = figure_for(rng, world.exchange_bodies[e])
    fig2, f2 = figure_for(rng, world.exchange_bodies[e])
    fig3, f3 = figure_for(rng, world.agreement_total[a])
    asof = published - dt.timedelta(days=rng.randrange(0, 200))

    s = [
        f"{spk[2]} said on {say_date(stated)} that {st[2]} had handed back {fig1} bodies in {ex[2]}.",
        f"{body[2]} put the number of bodies returned in {ex[2]} at {fig2}.",
        f"{ex[2]} took place in {where[2]} on {say_date(when)}, with the help of {aid[2]}.",
        f"{spk[2]} holds the post of {pst[2]}, which belongs to {pst_state[2]}.",
        f"{dl[2]}, which represents {dl_state[2]}, is headed by {head[2]}.",
        f"By {say_date(asof)}, {fig3} bodies had been returned in total under {ag[2]}, according to {spk[2]}.",
    ]
    line = " ".join(s)
    start = art.add_line(line)
    offsets = []
    pos = start
    for sentence in s:
        offsets.append(pos)
        pos += len(sentence) + 1
    for thing in (spk, st, ex, body, where, aid, pst, pst_state, dl, dl_state, head, ag):
        art.mention(thing, start, line)

    def claim(key, i, about, measure, figure, fields, speaker, **more):
        art.claims.append(
            {"key": f"b{b:03d}-{key}", "about": about[0], "measure": measure, "figure": figure, **fields}
            | {"speaker": speaker[0], **more, "modality": "done", "at": offsets[i], "quote": s[i]}
        )

    def fact(key, i, subject, prop, value):
        art.facts.append(
            {"key": f"b{b:03d}-{key}", "subject": subject[0], "property": prop, "value": value}
            | {"at": offsets[i], "quote": s[i]}
        )

    claim("handed-back", 0, ex, "bodies-received-by-ukraine", fig1, f1, spk, stated_on=stated)
    claim("returned", 1, ex, "bodies-received-by-ukraine", fig2, f2, body)
    fact("date", 2, ex, "date", when)
    fact("place", 2, ex, "place", where[0])
    fact("facilitated", 2, ex, "facilitatedBy", aid[0])
    fact("holds-post", 3, spk, "holdsPost", pst[0])
    fact("post-in", 3, pst, "postIn", pst_state[0])
    fact("represents", 4, dl, "represents", dl_state[0])
    fact("headed-by", 4, dl, "headedBy", head[0])
    claim("total", 5, ag, "bodies-returned-to-ukraine-total", fig3, f3, spk, as_of=asof)


SERIAL = "the serial number of a synthetic report in its headline, not a figure"


def curation_yaml(art: Article, name: str) -> str:
    def anchored(entry: dict) -> dict:
        entry = dict(entry)
        at = entry.pop("at")
        quote = entry.pop("quote") if "quote" in entry else entry["label"]
        return entry | art.anchor(quote, at)

    data = {
        "article": name,
        "source": art.source,
        "entities": [anchored(e) for e in art.entities.values()],
        "facts": [anchored(f) for f in art.facts],
        "claims": [anchored(c) for c in art.claims],
        "out_of_scope": [{"text": f"{art.number:06d}", "quote": art.lines[0], "reason": SERIAL}],
    }
    head = "# Synthetic article for benchmarks (bench/generate.py); nothing here is about the real talks.\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100000)


def generate(out: Path, triples: int, seed: int = 1) -> Sizes:
    """Write a synthetic project root into ``out`` (replacing its corpus/ and curation/)."""
    sizes = sizes_for(triples)
    world = World(sizes, seed)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("corpus", "curation", *COPIED):
        shutil.rmtree(out / name, ignore_errors=True)
    (out / "corpus").mkdir()
    (out / "curation").mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, out / name)
    for n in range(sizes.articles):
        rng = random.Random(f"article-{seed}-{n}")
        art = write_article(n, world, rng)
        body = art._text.encode("utf-8")
        stem = f"{n:03d}_{hashlib.sha256(body).hexdigest()[:16]}"
        (out / "corpus" / f"{stem}.txt").write_bytes(body)
        (out / "curation" / f"{stem}.yaml").write_text(curation_yaml(art, f"{stem}.txt"), encoding="utf-8")
    return sizes


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="target size of the build, in triples")
    parser.add_argument("--out", type=Path, required=True, help="project root to write (corpus/, curation/, ...)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", action="store_true", help="then run the real build into OUT/build")
    args = parser.parse_args(argv)

    started, cpu = time.perf_counter(), time.process_time()
    sizes = generate(args.out, args.triples, args.seed)
    print(
        f"generated {sizes.articles} articles, {sizes.total_blocks} blocks, {sizes.persons} persons, "
        f"{sizes.orgs} organisations, {sizes.exchanges} exchanges in {time.perf_counter() - started:.1f} s "
        f"({time.process_time() - cpu:.1f} s CPU)"
    )
    if not args.build:
        return 0
    sys.path.insert(0, str(ROOT))
    from graph.build import build

    started, cpu = time.perf_counter(), time.process_time()
    result = build(out=args.out / "build", root=args.out, reasoner=False)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    off = 100.0 * (result.triples - args.triples) / args.triples
    print(result.summary())
    print(
        f"built {result.triples} triples ({off:+.1f}% of the target {args.triples}) in {result.graphs} graphs, "
        f"{result.articles} articles, in {elapsed:.1f} s ({cpu:.1f} s CPU); peak RSS {peak_rss_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
