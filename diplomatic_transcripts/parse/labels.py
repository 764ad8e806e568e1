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

from ..vocabulary import (ANSWER_ROLES, GENERIC_ROLES, JOINING_WORDS, NAME_PARTICLES, NUMBER_WORDS, is_honorific,
                          is_office_word)
from .lines import normalize_space
from .openings import LabelMatch, Opening

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
_NUMBER_TAIL = re.compile(r"(?:\s+(?:" + "|".join(sorted(w.upper() for w in NUMBER_WORDS)) + r"))+$")


def role_of_generic(label: str) -> str | None:
    """The speaker kind a label that names a part gives (`QUESTION`, `PETER STANO, MODERATOR`,
    `WHITE HOUSE AIDE`, `PARTICIPANT TWO`), else None."""
    key = normalize_space(label).upper().rstrip(".")
    if key in GENERIC_ROLES:
        return GENERIC_ROLES[key]
    if "," in key:
        return GENERIC_ROLES.get(key.rsplit(",", 1)[-1].strip())
    bare = _NUMBER_TAIL.sub("", key)
    if bare in GENERIC_ROLES:
        return GENERIC_ROLES[bare]
    words = bare.split()
    # `WHITE HOUSE AIDE`, `CNN REPORTER`: a short upper-case label ending in a part's word
    if 2 <= len(words) <= 3 and label.isupper() and words[-1] in GENERIC_ROLES and words[-1] != "Q" \
            and words[0].lower() not in _NOT_FIRST:
        return GENERIC_ROLES[words[-1]]
    return None


def is_answer_label(label: str) -> bool:
    """`A:` and `ANSWER:`: the side that answers questions in a Q-and-A transcript."""
    return normalize_space(label).upper().rstrip(".") in ANSWER_ROLES


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
        if not _MIXED_WORD.match(w):
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
    is_transcript = has_upper_labels or bool(accepted) or len(recurring) >= 2
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


def _line_rest(a: str, o: Opening, m: LabelMatch) -> str:
    end = a.find("\n", o.start + m.end)
    return a[o.start + m.end:end if end >= 0 else len(a)].strip(" \t\u00a0")


def _form_fields(a: str, upper: list[Opening]) -> set[str]:
    """Labels that the document uses as the fields of a form: most of their lines hold a short
    value without a sentence's end, next to another such line (`VESSEL FLAG: Russia`)."""
    field_like = []
    for o in upper:
        rest = _line_rest(a, o, o.colon)  # type: ignore[arg-type]
        field_like.append(bool(rest) and len(rest.split()) <= _FIELD_MAX_WORDS and not _SENTENCE_END.search(rest))
    total: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    for i, o in enumerate(upper):
        label = o.colon.label  # type: ignore[union-attr]
        total[label] += 1
        if not field_like[i]:
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(upper) and field_like[j]
                and not a[min(o.start, upper[j].start):max(o.start, upper[j].start)].count("\n") > 3]
        if near:
            fields[label] += 1
    # a part or an office (`QUESTION`, `SECRETARY BLINKEN`) is a speaker however short its words
    return {label for label, n in fields.items() if n * 5 >= total[label] * 3 and not speaker_shaped(label)}


def _quoted_headlines(a: str, chosen: list[Opening]) -> set[int]:
    """Positions of labels whose paragraph is nothing but a quotation, under a label that is not
    a person or an office and never opens anything else: a headline read out inside an answer
    (`CBS: “Biden Administration …”`), not a speaker."""
    quoted: dict[str, list[int]] = {}
    other: set[str] = set()
    for o in chosen:
        m = o.match
        rest = _line_rest(a, o, m)
        if rest[:1] in _OPEN_QUOTE and rest[-1:] in "”\"’'»" and not speaker_shaped(m.label):
            quoted.setdefault(m.label, []).append(o.start)
        else:
            other.add(m.label)
    return {start for label, starts in quoted.items() if label not in other for start in starts}


def choose_labels(openings: list[Opening], a: str, *, known_names: set[str], hints: set[int] | None = None
                  ) -> list[Opening]:
    """The openings that are speaker labels, each with its chosen form, in order."""
    hints = hints or set()
    gap_counts = Counter(o.gap.label for o in openings if o.gap is not None)

    def gap_ok(o: Opening) -> bool:
        return o.gap is not None and gap_counts[o.gap.label] >= 2

    upper = [o for o in openings if o.colon is not None and o.colon.is_upper and not (
        gap_ok(o) and len(o.gap.label) == 1)]  # type: ignore[union-attr]
    fields = _form_fields(a, upper) if upper else set()
    upper = [o for o in upper if o.colon.label not in fields]  # type: ignore[union-attr]
    gap_labels = [o for o in openings if gap_ok(o)]
    upper_starts = {o.start for o in upper}
    mixed = [o for o in openings if o.colon is not None and not o.colon.is_upper and o.start not in upper_starts]
    hinted = {o.colon.label for o in mixed if o.start in hints}  # type: ignore[union-attr]
    asking = {o.colon.label for o in mixed if "?" in _line_rest(a, o, o.colon)}  # type: ignore[union-attr,arg-type]
    mixed_forms = [o.colon.label for o in mixed]  # type: ignore[union-attr]
    accepted_mixed = accept_mixed(mixed_forms, bool(upper) or bool(gap_labels), known_names, hinted,
                                  asking) if mixed else set()
    counts = Counter(o.colon.label for o in upper)  # type: ignore[union-attr]
    counts.update(f for f in mixed_forms if f in accepted_mixed)
    if not gap_labels and not any(n >= 2 for n in counts.values()):
        # every label printed once: run-in headings, unless they read as people or offices
        shaped_upper = [o for o in upper if speaker_shaped(o.colon.label)]  # type: ignore[union-attr]
        if len(shaped_upper) < len(upper):
            upper = shaped_upper
            upper_starts = {o.start for o in upper}
            if mixed:
                accepted_mixed = accept_mixed(mixed_forms, bool(upper), known_names, hinted, asking)
    chosen: list[Opening] = []
    for o in openings:
        if o.start in upper_starts:
            o.chosen = o.colon
        elif o.colon is not None and not o.colon.is_upper and o.colon.label in accepted_mixed:
            o.chosen = o.colon
        elif gap_ok(o) and (o.colon is None or o.colon.label in fields or not o.colon.is_upper
                            or len(o.gap.label) == 1):  # type: ignore[union-attr]
            o.chosen = o.gap
        else:
            continue
        chosen.append(o)
    headlines = _quoted_headlines(a, chosen)
    return [o for o in chosen if o.start not in headlines] if headlines else chosen
