"""The dates a sentence of a draft names: printed ("June 13", "13 June 2025") or relative to the
day the article was published ("on Monday", "yesterday", "last week"), each with how it was read.

``dates_in(sentence, published)`` is what ``graph.draft`` proposes as a claim's ``as_of`` and
what it marks as a number inside a date; a year or day the text does not give is ``TODO``.
"""

from __future__ import annotations

import datetime as dt
import re

from .draft_yaml import TODO

MONTHS = "January February March April May June July August September October November December".split()
MONTH_PATTERN = r"(?:" + "|".join(MONTHS) + r"|" + "|".join(m[:3] for m in MONTHS) + r")\.?"
# "June 13", "June 13, 2025", "13 June", "13 June 2025"
DATE = re.compile(
    r"\b(?P<m1>" + MONTH_PATTERN + r")\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d{2})\b)?"
    r"|\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + MONTH_PATTERN + r")(?:,?\s+(?P<y2>(?:19|20)\d{2})\b)?"
)
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# "on Monday", "last Friday", "yesterday", "last week": resolved against --published
RELATIVE = re.compile(
    r"\b(?:(?P<which>on|last|this|next)\s+)?(?P<weekday>" + "|".join(WEEKDAYS) + r")\b"
    r"|\b(?P<word>yesterday|today|tonight|last week|last month|earlier this month|earlier this week)\b"
    r"|\b[Ii]n (?P<month>" + "|".join(MONTHS) + r")\b(?!\s+\d)",
    re.IGNORECASE,
)


def dates_in(sentence: str, published: dt.date | None = None) -> list[tuple[str, int, int, str | None]]:
    """Return (YYYY-MM-DD, start, end, how) for each date the sentence names.

    A date without its year takes the year of ``published`` (the year before when that would
    put it more than half a year after publication), else ``TODO``; a relative day ("on
    Monday", "yesterday") is resolved against ``published``, and "last week" gives ``TODO``
    with the week it means. ``how`` says how, or is None for a date printed in full.
    """
    found = []
    for match in DATE.finditer(sentence):
        month = match.group("m1") or match.group("m2")
        day = int(match.group("d1") or match.group("d2"))
        year = match.group("y1") or match.group("y2")
        index = next(i for i, m in enumerate(MONTHS) if m.lower().startswith(month.rstrip(".").lower()[:3]))
        if not 1 <= day <= 31:
            continue
        how = None
        if year is None and published is not None:
            year = published.year
            try:
                if dt.date(year, index + 1, day) - published > dt.timedelta(days=183):
                    year -= 1
            except ValueError:
                continue
            how = f"year {year} from --published {published.isoformat()} (the text gives none)"
        found.append((f"{year or TODO}-{index + 1:02d}-{day:02d}", match.start(), match.end(), how))
    if published is None:
        return found
    for match in RELATIVE.finditer(sentence):
        if any(s <= match.start() < e for _, s, e, _ in found):
            continue
        said = match.group(0)
        weekday, word = match.group("weekday"), (match.group("word") or "").lower()
        base = f"from --published {published.isoformat()} ({WEEKDAYS[published.weekday()]})"
        if weekday:
            target = WEEKDAYS.index(weekday.capitalize())
            if (match.group("which") or "").lower() == "next":
                date = published + dt.timedelta(days=(target - published.weekday() - 1) % 7 + 1)
                how = f"{said!r}: the next {weekday.capitalize()} after publication, {base}"
            else:
                date = published - dt.timedelta(days=(published.weekday() - target) % 7)
                how = f"{said!r}: the last {weekday.capitalize()} on or before publication, {base}"
            found.append((date.isoformat(), match.start(), match.end(), how))
        elif word in {"today", "tonight"}:
            found.append((published.isoformat(), match.start(), match.end(), f"{said!r}: the day of publication"))
        elif word == "yesterday":
            date = published - dt.timedelta(days=1)
            found.append((date.isoformat(), match.start(), match.end(), f"{said!r}: the day before, {base}"))
        elif word == "last week":
            monday = published - dt.timedelta(days=published.weekday() + 7)
            sunday = monday + dt.timedelta(days=6)
            how = f"{said!r}: some day of {monday.isoformat()} to {sunday.isoformat()}, {base}"
            found.append((f"{monday.isoformat()}/{sunday.isoformat()}", match.start(), match.end(), how))
        elif word in ("earlier this month", "earlier this week"):
            first = (
                published.replace(day=1)
                if word.endswith("month")
                else published - dt.timedelta(days=published.weekday())
            )
            before = published - dt.timedelta(days=1)
            how = (
                f"{said!r}: some day of {first.isoformat()} to {before.isoformat()}, the day before publication, {base}"
            )
            found.append((f"{first.isoformat()}/{before.isoformat()}", match.start(), match.end(), how))
        elif word == "last month":
            last = published.replace(day=1) - dt.timedelta(days=1)
            how = f"{said!r}: the month {last.strftime('%Y-%m')}, {base}"
            found.append((last.strftime("%Y-%m"), match.start(), match.end(), how))
        elif match.group("month"):
            index = MONTHS.index(match.group("month"))
            year = published.year - (1 if index + 1 > published.month else 0)
            how = f"{said!r}: the month {year}-{index + 1:02d}, its year the last on or before {base}"
            found.append((f"{year}-{index + 1:02d}", match.start(), match.end(), how))
    return sorted(found, key=lambda d: d[1])
