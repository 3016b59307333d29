"""What a number of a draft reads as: the approximation its words carry ("more than", "nearly"),
the value its digits or words give ("1,150", "six hundred", "fourth"), and the measure of the
scheme whose label the words near it match (``measure_labels`` of ``ontology/codelists.ttl``).
"""

from __future__ import annotations

import re

# Words before a figure that say how exact it is, longest first; the concepts of the
# approximation scheme in ontology/codelists.ttl.
APPROXIMATIONS = [
    ("more than", "more-than"),
    ("in excess of", "more-than"),
    ("upwards of", "more-than"),
    ("fewer than", "less-than"),
    ("less than", "less-than"),
    ("at least", "at-least"),
    ("up to", "up-to"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("almost", "nearly"),
    ("nearly", "nearly"),
    ("about", "about"),
    ("some", "about"),
    ("over", "more-than"),
    ("under", "less-than"),
]
_UNIT_VALUES = {
    w: i + 1
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_UNIT_VALUES.update(
    {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
)
_SCALE_VALUES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "dozen": 12}
# Words of the measure labels that say nothing of the measure, and spellings mapped to a label's word.
_LABEL_STOP = set("of the a an on to by per in for or and from which is its an".split())
_SYNONYMS = {"detain": "prisoner", "captiv": "prisoner", "pow": "prisoner", "remain": "body", "corps": "body"}
_ORDINAL_ORDER = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
_ORDINAL_WORDS = set(_ORDINAL_ORDER)


def measure_labels(vocab) -> dict[str, str]:
    """Return slug -> English label of every concept of the measure scheme (``ontology/codelists.ttl``)."""
    from rdflib.namespace import SKOS  # only here: the rest of the draft needs no RDF

    from .namespaces import ID

    labels = {}
    for slug in sorted(vocab.schemes.get("measure", ())):
        label = vocab.graph.value(ID[f"measure/{slug}"], SKOS.prefLabel)
        if label is not None:
            labels[slug] = str(label)
    return labels


def _stem(word: str) -> str:
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            word = word[: -len(suffix)] + replacement
            break
    word = word[:-1] if word.endswith("e") and len(word) > 3 else word
    return _SYNONYMS.get(word, word)


def propose_measure(sentence: str, start: int, end: int, figure: str, measures: dict[str, str]):
    """Return (slug, matched words) of the measure whose label the words near the figure match best, or None.

    Near is eight words either side in the sentence; a label fits when two of its words (one for
    an ordinal figure and an "ordinal" label) occur there and every name it holds ("Ukraine")
    is in the sentence; a label of a share only for a percentage; ties go to the first in label order.
    """
    before = re.findall(r"[A-Za-z]+", sentence[:start])[-8:]
    after = re.findall(r"[A-Za-z]+", sentence[end:])[:8]
    near = {_stem(w) for w in before + after}
    ordinal = figure.split()[-1].lower() in _ORDINAL_WORDS
    percent = bool(re.match(r"\s*(?:%|per ?cent)", sentence[end:]))
    best = None
    for slug, label in measures.items():
        words = re.findall(r"[A-Za-z]+", label)
        if any(w[0].isupper() and w not in sentence for w in words):
            continue
        if ordinal != ("ordinal" in words) or percent != bool({"share", "percent"} & set(words)):
            continue
        matched = [w for w in words if w.lower() not in _LABEL_STOP and _stem(w) in near]
        if len(matched) >= (1 if ordinal else 2) and (best is None or len(matched) > len(best[1])):
            best = (slug, matched)
    return best


def figure_value(figure: str) -> int | float | None:
    """The number a figure as printed means, when it is plain digits or simple words; else None."""
    total, current = 0, None
    for token in re.findall(r"\d+(?:[.,]\d+)*|[a-z]+", figure.lower()):
        if token[0].isdigit():
            if current is not None:
                return None
            digits = token.replace(",", "")
            current = float(digits) if "." in digits else int(digits)
        elif token in _UNIT_VALUES:
            current = (current or 0) + _UNIT_VALUES[token]
        elif token in _ORDINAL_WORDS and current is None and total == 0:
            current = _ORDINAL_ORDER.index(token) + 1
        elif token in _SCALE_VALUES and current is not None:
            current *= _SCALE_VALUES[token]
            if _SCALE_VALUES[token] >= 1000:
                total, current = total + current, None
        elif token != "and":
            return None
    result = total + (current or 0)
    return result if result else None
