"""A chart's marks and where their labels go. ``Mark`` is one figure; every mark's label is
measured (``text_width``, in the SVG's own units for common sans-serif faces) and placed beside
its mark where no other label or mark is, else in rows below the axis with a leader line back
to it (``place_labels``). Labels never overlap.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

CHAR_WIDTH = 0.64  # of the font size: the widest digit or average letter of common sans-serif faces


@dataclass(frozen=True)
class Mark:
    """One figure on the chart."""

    key: str  # unique in the chart (the claim's local name)
    href: str  # the claim's page
    name: str  # what a screen reader says of the mark
    speaker: str  # the label's first line
    detail: str  # the label's second line: the figure and its date
    lo: Decimal | None  # lower bound; None: unbounded below
    hi: Decimal | None  # upper bound; None: unbounded above
    start: dt.date | None  # first day of the as-of interval; None: open
    end: dt.date | None  # last day; None: open

    @property
    def exact(self) -> bool:
        return self.lo is not None and self.lo == self.hi

    @property
    def day(self) -> dt.date | None:
        """The day the mark's bar stands at: the last day of its as-of interval, else the first."""
        return self.end if self.end is not None else self.start


_NARROW_GLYPHS = frozenset(" .,:;'!|·ijlftrI()[]-")
_WIDE_GLYPHS = frozenset("mwMW@%…—")


def text_width(text: str, font: float) -> float:
    """A width no common sans-serif face exceeds for ``text`` at ``font`` px (DejaVu Sans, the
    widest of them, measured per class of glyph), so that labels laid out here never meet."""
    em = 0.0
    for char in text:
        if char in _NARROW_GLYPHS:
            em += 0.36
        elif char in _WIDE_GLYPHS:
            em += 0.9
        elif char.isupper():
            em += 0.72
        else:  # lower-case letters and digits
            em += CHAR_WIDTH
    return em * font


def cut_text(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1].rstrip(" ,;:") + "…"


def fit_text(text: str, width: float, font: float) -> str:
    """``text`` whole when it is no wider than ``width`` at ``font`` px, else cut with an ellipsis to fit."""
    chars = len(text)
    while chars > 1 and text_width(cut_text(text, chars), font) > width:
        chars -= 1
    return cut_text(text, chars)


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    def crossed_by(self, segment: tuple[float, float, float, float] | None) -> bool:
        """True when the line ``segment`` (x1, y1, x2, y2) runs through the box."""
        if segment is None:
            return False
        x1, y1, x2, y2 = segment
        steps = max(2, int(math.hypot(x2 - x1, y2 - y1) // 3))
        return any(
            self.x < x1 + (x2 - x1) * i / steps < self.x + self.w
            and self.y < y1 + (y2 - y1) * i / steps < self.y + self.h
            for i in range(steps + 1)
        )

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return not (
            self.x + self.w + pad <= other.x
            or other.x + other.w + pad <= self.x
            or self.y + self.h + pad <= other.y
            or other.y + other.h + pad <= self.y
        )


@dataclass
class Placed:
    mark: Mark
    x: float  # the bar's x
    y_lo: float
    y_hi: float
    y_mid: float
    glyph: Box
    lines: tuple[str, str]
    label: Box | None = None
    leader: tuple[float, float, float, float] | None = None
    anchor: str = "middle"  # where the label's text is anchored in its box: start, middle or end
    spans: list[Box] = field(default_factory=list)


def place_labels(
    placed: list[Placed], left: float, right: float, top: float, base: float, line_h: float, font: float
) -> None:
    """Give each mark a label box beside it that meets no other label and no mark; leave it None
    where there is none (it goes to the rows below the axis)."""
    glyphs = [p.glyph for p in placed]
    spans = [s for p in placed for s in p.spans]
    taken: list[Box] = []
    leaders: list[tuple[float, float, float, float]] = []
    for p in sorted(placed, key=lambda p: (p.x, p.y_mid)):
        w, h = max(text_width(line, font) for line in p.lines) + 4, 2 * line_h
        candidates = [  # right beside the mark first, then above and below it
            (p.x + 10, p.y_mid - h / 2, "start"),
            (p.x - 10 - w, p.y_mid - h / 2, "end"),
            (p.x - w / 2, p.glyph.y - h - 3, "middle"),
            (p.x - w / 2, p.glyph.y + p.glyph.h + 3, "middle"),
        ]
        further = []  # then anywhere near, with a leader line, nearest first
        for j in range(-14, 15):
            by = p.y_mid - h / 2 + j * (h / 2 + 3)
            for i in range(8):
                further += [(p.x + 12 + i * 24, by, "start"), (p.x - 12 - w - i * 24, by, "end")]
            for i in range(-4, 5):
                if abs(j) > 1:
                    further.append((p.x - w / 2 + i * 24, by, "middle"))
        candidates += further
        best = None
        for rank, (bx, by, anchor) in enumerate(candidates):
            box = Box(bx, by, w, h)
            if box.x < left + 2 or box.x + box.w > right - 2 or box.y < top or box.y + box.h > base - 2:
                continue
            if any(box.overlaps(t, 3) for t in taken) or any(box.overlaps(g, 1) for g in glyphs):
                continue  # labels never meet each other or a mark
            p.anchor = anchor
            leader = leader_line(p, box)
            # what is allowed but avoided: a label over an as-of band, a leader across a label
            cost = (0 if rank < 4 else 20 + _distance(p, box)) + 150 * any(box.overlaps(s) for s in spans)
            cost += 400 * (any(box.crossed_by(line) for line in leaders) or any(t.crossed_by(leader) for t in taken))
            if best is None or cost < best[0]:
                best = (cost, box, anchor)
            if cost == 0:
                break
        if best is not None:
            _cost, p.label, p.anchor = best
            taken.append(p.label)
            p.leader = leader_line(p, p.label)
            if p.leader is not None:
                leaders.append(p.leader)


def _distance(p: Placed, box: Box) -> float:
    """How far a label box is from its mark (0 when the mark touches it)."""
    to_x, to_y = min(max(p.x, box.x), box.x + box.w), min(max(p.y_mid, box.y), box.y + box.h)
    return math.hypot(to_x - p.x, to_y - p.y_mid)


def leader_line(p: Placed, box: Box) -> tuple[float, float, float, float] | None:
    """The line from a mark to its label's nearest point, when the label is not right beside it."""
    to_x, to_y = min(max(p.x, box.x), box.x + box.w), min(max(p.y_mid, box.y), box.y + box.h)
    length = math.hypot(to_x - p.x, to_y - p.y_mid)
    if length < 16:
        return None
    start = 7 / length
    return (
        round(p.x + (to_x - p.x) * start, 1),
        round(p.y_mid + (to_y - p.y_mid) * start, 1),
        round(to_x, 1),
        round(to_y, 1),
    )
