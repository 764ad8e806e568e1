"""Stage 2: which openings are speaker labels, read from the document's own evidence.

A label is what opens paragraphs (or lines) again and again in the same shape.  The rules
look at nothing but the document:
- an upper-case colon label (`SECRETARY BLINKEN:`, `THE PRESIDENT:`, `AFP:`) is a speaker,
  unless the document shows it is something else: a form field (`VESSEL TYPE: Tanker`,
  short values without a sentence's end, in runs of such lines), a run-in heading of a
  fact sheet (`PROVIDING AMERICANS THE TRUTH:` in a document where no label recurs and
  none reads as a person or an office), or a quoted headline read out inside an answer
  (`CBS: “…”`, once, nothing but the quotation);
- a gap label (`Q    …`, `Q …`) is a speaker when it opens two lines or more;
- a mixed-case colon label (`Moderator:`, `Spokesperson Wang Wenbin:`, `The Paper:`) is a
  speaker only where the page shows it: a role word everyone uses, markup (`<strong>`), a
  recurring name-shaped label, or a name-shaped label in a page whose other openings
  already make it a transcript — never a line of prose (`But the bottom line is this:`) or
  a heading (`Addressing the Climate Crisis:`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import add, attrgetter

from ..vocabulary import (ANSWER_ROLES, GENERIC_ROLES, JOINING_WORDS, NAME_PARTICLES, NUMBER_WORDS, is_honorific,
                          is_office_word)
from .lines import normalize_space
from .openings import LabelMatch, Openings

_PARTICLES = NAME_PARTICLES | JOINING_WORDS
# Words that open list items, headings and prose, never a speaker's label.
_NOT_FIRST = {"to", "for", "first", "second", "third", "fourth", "fifth", "finally", "and", "but", "so", "on", "in",
              "at", "also", "now", "then", "next", "last", "one", "two", "three", "four", "five", "note", "correction",
              "update", "background", "source", "sources", "editor", "editors", "re", "subject", "from", "date",
              "when", "where", "what", "who", "why", "how", "begin", "end", "text", "transcript", "summary", "q"}
_MIXED_WORD = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w’'\-]*\.?|[A-Z]{2,}\.?)$")
_SENTENCE_END = re.compile(r"[.?!…\"”’)\]—–-]\s*$")
_OPEN_QUOTE = "“\"‘'«"
_FIELD_MAX_WORDS = 6
_END = attrgetter("end")
_TITLE_WORD = re.compile(r"[\w’'.-]+")
_LABEL = attrgetter("label")
_NUMBER_TAIL = re.compile(r"(?:\s+(?:" + "|".join(sorted(w.upper() for w in NUMBER_WORDS)) + r"))+$")


@lru_cache(maxsize=8192)
def role_of_generic(label: str) -> str | None:
    """The speaker kind a label that names a part gives (`QUESTION`, `PETER STANO, MODERATOR`,
    `SENIOR AIDE`, `PARTICIPANT TWO`), else None."""
    key = normalize_space(label).upper().rstrip(".")
    if key in GENERIC_ROLES:
        return GENERIC_ROLES[key]
    if "," in key:
        return GENERIC_ROLES.get(key.rsplit(",", 1)[-1].strip())
    bare = _NUMBER_TAIL.sub("", key)
    if bare in GENERIC_ROLES:
        return GENERIC_ROLES[bare]
    words = bare.split()
    # `SENIOR AIDE`, `NETWORK REPORTER`: a short upper-case label ending in a part's word
    if 2 <= len(words) <= 3 and label.isupper() and words[-1] in GENERIC_ROLES and words[-1] != "Q" \
            and words[0].lower() not in _NOT_FIRST:
        return GENERIC_ROLES[words[-1]]
    return None


@lru_cache(maxsize=8192)
def is_answer_label(label: str) -> bool:
    """`A:` and `ANSWER:`: the side that answers questions in a Q-and-A transcript."""
    return normalize_space(label).upper().rstrip(".") in ANSWER_ROLES


@lru_cache(maxsize=8192)
def speaker_shaped(label: str) -> bool:
    """A label that reads as a person or an office: an honorific, an office word or a part
    (`MR PRICE`, `FOREIGN MINISTER LE DRIAN`, `MODERATOR`), a handful of words, no
    possessive and no preposition but those of an office (`of`, `for`)."""
    words = label.replace(",", " ").split()
    if not 1 <= len(words) <= 7 or "’S" in label.upper() or "'S" in label.upper():
        return False
    if any(w.lower() in ("to", "in", "on", "with", "at", "by", "from", "into", "against") for w in words):
        return False
    if role_of_generic(label) or is_answer_label(label):
        return True
    if len(words[0]) > 5 and words[0].upper().endswith("ING"):
        return False  # `PROVIDING AMERICANS THE TRUTH`: a heading opens with a verb
    return any(is_honorific(w) or is_office_word(w) for w in words)


@lru_cache(maxsize=8192)
def _uncased_word(w: str) -> bool:
    """A word of a script without case (`王文斌`, `وزير`): neither capitalised nor not."""
    return w.isalpha() and not any(ch.isupper() or ch.islower() for ch in w)


def mixed_label_shape(label: str) -> bool:
    """Title-case words only (particles allowed), as a name, role or outlet is printed."""
    words = label.replace(",", " ").split()
    if not 1 <= len(words) <= 7:
        return False
    if words[0].lower() in _PARTICLES and not (words[0] == "The" and len(words) >= 2):
        return False
    capital = 0
    for w in words:
        if w.lower() in _PARTICLES:
            continue
        if not (_MIXED_WORD.match(w) or _uncased_word(w)):
            return False
        capital += 1
    return capital >= 1


def accept_mixed(candidates: list[str], has_upper_labels: bool, known_names: set[str],
                 hinted: set[str] | None = None, asking: set[str] | None = None) -> set[str]:
    """Which mixed-case label forms of one document are speakers.

    candidates: every mixed-case opening of the document, in order (repeats included).
    hinted: the forms the page marked up as labels (`<strong>`); markup alone does not make
    a heading a speaker, so they still need the document to be a transcript.
    asking: the forms whose line asks a question (`Bloomberg: Will China attend?`): an outlet's
    name, printed once, in a transcript.
    """
    hinted = hinted or set()
    asking = asking or set()
    counts = Counter(candidates)
    accepted = {c for c in counts if role_of_generic(c) or is_answer_label(c)}
    shaped = {c for c in counts if c not in accepted and mixed_label_shape(c)}
    recurring = {c for c in shaped if counts[c] >= 2}
    # a transcript: upper-case labels, a part's label, two recurring names, or one recurring
    # name answering someone whose line asks (`Sidhant: … when?` / `Official Spokesperson, …:`)
    is_transcript = has_upper_labels or bool(accepted) or len(recurring) >= 2 or (
        len(recurring) == 1 and bool({c for c in shaped if c in asking} - recurring))
    if not is_transcript:
        return set()
    for c in shaped:
        words = c.replace(",", " ").split()
        if words[0].lower().strip(".") in _NOT_FIRST:
            continue
        upper_words = {w.strip(".,").upper() for w in words}
        if counts[c] >= 2 or c in hinted or (len(words) >= 2 and is_honorific(words[0])):
            accepted.add(c)
        elif len(words) >= 2 and (upper_words & known_names or len(words) <= 5):
            accepted.add(c)
        elif c in asking:
            accepted.add(c)
    return accepted


# The rest of a label's line holds at most _FIELD_MAX_WORDS words: most lines of a transcript
# fail this after a few words, so only short lines are read further.
# Group 1: its last word, whose last character tells a sentence's end.
_SHORT_REST = re.compile(r"(?:[^\S\n]*+((?>\S+))){0,%d}+[^\S\n]*+(?:\n|\Z)" % _FIELD_MAX_WORDS)
_SENTENCE_END_CHARS = frozenset(".?!…\"”’)]—–-")
# The rest of a label's line opens with a quotation mark, or is empty.
_QUOTED_REST = re.compile("[ \t\u00a0]*+(?:[" + _OPEN_QUOTE + "]|\n|\\Z)")


def _line_rest(a: str, start: int, m: LabelMatch) -> str:
    end = a.find("\n", start + m.end)
    return a[start + m.end:end if end >= 0 else len(a)].strip(" \t\u00a0")


def _form_fields(a: str, starts: list[int], colons: list[LabelMatch]) -> set[str]:
    """Labels that the document uses as the fields of a form: most of their lines hold a short
    value without a sentence's end, next to another such line (`VESSEL FLAG: Russia`).
    starts, colons: the upper-case colon openings, in order."""
    n = len(starts)
    field_like = [False] * n
    short = list(map(_SHORT_REST.match, repeat(a), map(add, starts, map(_END, colons))))
    for i in compress(range(n), short):
        last = short[i].group(1)  # type: ignore[union-attr]
        if last is not None:  # a value of one to six words: it must not end like a sentence
            field_like[i] = last[-1] not in _SENTENCE_END_CHARS
        else:  # no word, perhaps blanks no label gap holds
            rest = _line_rest(a, starts[i], colons[i])
            field_like[i] = bool(rest) and len(rest.split()) <= _FIELD_MAX_WORDS and not _SENTENCE_END.search(rest)
    if not any(field_like):
        return set()
    total = Counter(map(_LABEL, colons))
    fields: Counter[str] = Counter()
    for i in compress(range(n), field_like):
        near = [j for j in (i - 1, i + 1) if 0 <= j < n and field_like[j]
                and not a[min(starts[i], starts[j]):max(starts[i], starts[j])].count("\n") > 3]
        if near:
            fields[colons[i].label] += 1
    # a part or an office (`QUESTION`, `SECRETARY BLINKEN`) is a speaker however short its words
    return {label for label, k in fields.items() if k * 5 >= total[label] * 3 and not speaker_shaped(label)}


def _quoted_headlines(a: str, starts: list[int], matches: list[LabelMatch]) -> set[int]:
    """Positions of labels whose paragraph is nothing but a quotation, under a label that is not
    a person or an office and never opens anything else: a headline read out inside an answer
    (`CBS: “Biden Administration …”`), not a speaker."""
    opens_quote = list(map(_QUOTED_REST.match, repeat(a), map(add, starts, map(_END, matches))))
    if not any(opens_quote):
        return set()
    quoted: dict[str, list[int]] = {}
    other: set[str] = set()
    for start, m, q in zip(starts, matches, opens_quote):
        if q is not None:
            rest = _line_rest(a, start, m)
            if rest[:1] in _OPEN_QUOTE and rest[-1:] in "”\"’'»" and not speaker_shaped(m.label):
                quoted.setdefault(m.label, []).append(start)
                continue
        other.add(m.label)
    return {start for label, starts_ in quoted.items() if label not in other for start in starts_}


@dataclass(slots=True)
class Labels:
    """Stage 2's speaker labels, column by column: where each starts, where its line starts,
    and the form chosen for it (colon or gap)."""

    start: list[int]
    line_start: list[int]
    match: list[LabelMatch]


def known_names(title: str) -> set[str]:
    """The capitalised words of a title, upper case: a mixed-case label that holds one names
    someone the title names."""
    return {w.strip(".,’'").upper() for w in _TITLE_WORD.findall(title) if w[:1].isupper()}


def choose_labels(openings: Openings, a: str, *, title: str, hints: set[int] | None = None) -> Labels:
    """The openings that are speaker labels, each with its chosen form, in order.

    Every rule but the form fields, the markup, the questions and the quoted headlines reads a
    line start's forms and the document's counts of them, so it is decided once per distinct
    print (the same tuple object) and spread to the openings by C-level loops.  `title`: the
    document's title, whose names settle mixed-case labels."""
    n = len(openings.start)
    forms = openings.form
    ids = list(map(id, forms))
    by_id = dict(zip(ids, forms))
    count = Counter(ids)
    gap_counts: dict[str, int] = {}
    for i, (_, gap) in by_id.items():
        if gap is not None:
            gap_counts[gap.label] = gap_counts.get(gap.label, 0) + count[i]
    gap_ok: set[int] = set()
    upper_forms: set[int] = set()
    mixed: set[int] = set()
    for i, (colon, gap) in by_id.items():
        ok = gap is not None and gap_counts[gap.label] >= 2
        if ok:
            gap_ok.add(i)
        if colon is not None:
            if not colon.is_upper:
                mixed.add(i)
            elif not (ok and len(gap.label) == 1):  # type: ignore[union-attr]
                upper_forms.add(i)
    fields: set[str] = set()
    if upper_forms:
        upper_idx = list(compress(range(n), map(upper_forms.__contains__, ids)))
        fields = _form_fields(a, list(map(openings.start.__getitem__, upper_idx)),
                              [forms[k][0] for k in upper_idx])  # type: ignore[misc]
    upper = {i for i in upper_forms if by_id[i][0].label not in fields} if fields else upper_forms  # type: ignore[union-attr]
    mixed_forms: list[str] = []
    hinted: set[str] = set()
    asking: set[str] = set()
    accepted_mixed: set[str] = set()
    names: set[str] = set()
    if mixed:
        mixed_idx = list(compress(range(n), map(mixed.__contains__, ids)))
        mixed_colons: list[LabelMatch] = [forms[k][0] for k in mixed_idx]  # type: ignore[misc]
        mixed_starts = list(map(openings.start.__getitem__, mixed_idx))
        mixed_forms = list(map(_LABEL, mixed_colons))
        if hints:
            hinted = {m.label for start, m in zip(mixed_starts, mixed_colons) if start in hints}
        asking = {m.label for start, m in zip(mixed_starts, mixed_colons) if "?" in _line_rest(a, start, m)}
        names = known_names(title)
        accepted_mixed = accept_mixed(mixed_forms, bool(upper) or bool(gap_ok), names, hinted, asking)
    if not gap_ok:
        counts: dict[str, int] = {}
        for i in upper:
            label = by_id[i][0].label  # type: ignore[union-attr]
            counts[label] = counts.get(label, 0) + count[i]
        for f in mixed_forms:
            if f in accepted_mixed:
                counts[f] = counts.get(f, 0) + 1
        if not any(k >= 2 for k in counts.values()):
            # every label printed once: run-in headings, unless they read as people or offices
            shaped_upper = {i for i in upper if speaker_shaped(by_id[i][0].label)}  # type: ignore[union-attr]
            if len(shaped_upper) < len(upper):
                upper = shaped_upper
                if mixed:
                    accepted_mixed = accept_mixed(mixed_forms, bool(upper), names, hinted, asking)
    choice: dict[int, LabelMatch] = {}
    for i, (colon, gap) in by_id.items():
        if i in upper:
            choice[i] = colon  # type: ignore[assignment]
        elif colon is not None and not colon.is_upper and colon.label in accepted_mixed:
            choice[i] = colon
        elif i in gap_ok and (colon is None or colon.label in fields or not colon.is_upper
                              or len(gap.label) == 1):  # type: ignore[union-attr]
            choice[i] = gap  # type: ignore[assignment]
    keep = list(compress(range(n), map(choice.__contains__, ids)))
    starts = list(map(openings.start.__getitem__, keep))
    line_starts = list(map(openings.line_start.__getitem__, keep))
    matches = list(map(choice.__getitem__, map(ids.__getitem__, keep)))
    headlines = _quoted_headlines(a, starts, matches)
    if headlines:
        kept = [k for k, start in enumerate(starts) if start not in headlines]
        starts = list(map(starts.__getitem__, kept))
        line_starts = list(map(line_starts.__getitem__, kept))
        matches = list(map(matches.__getitem__, kept))
    return Labels(starts, line_starts, matches)
