"""Speakers of one transcript: label variants merged, each speaker given a kind, and names,
roles and affiliations taken from the header, the title and the sidecar."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from dataclasses import dataclass, field

from ..ids import label_key, slugify
from ..records import SpeakerFacts, SpeakerKind
from ..vocabulary import (HEAD_OFFICES, HONORIFICS, NAME_PARTICLES, NUMBER_WORDS, OWN_OFFICES, is_honorific,
                          is_office_word, is_role_word)
from .labels import is_answer_label, role_of_generic
from .people import PersonLine, looks_like_name
from .places import split_affiliation

_NUMBER_WORDS = {w.upper() for w in NUMBER_WORDS}
_HONORIFICS = {w.upper() for w in HONORIFICS}
# Offices a government's own officials hold, and offices of heads of state, government or
# international bodies, who come as counterparts.
_OWN_OFFICES = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w.upper()) for w in OWN_OFFICES))
_HEADS = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w.upper()) for w in HEAD_OFFICES))
_OFFICIAL = re.compile(r"\bOFFICIALS?\b")
_ARTICLE = re.compile(r"^THE\s+")
_TITLE_WORD = re.compile(r"[\w’'\-]+")
_slug = lru_cache(maxsize=8192)(slugify)  # of labels and names, which recur


def name_tokens(label_key_: str) -> list[str]:
    """The tokens of a label that are not roles or honorifics: usually the surname."""
    return list(_name_tokens(label_key_))


@lru_cache(maxsize=8192)
def _name_tokens(label_key_: str) -> tuple[str, ...]:
    return tuple(t for t in label_key_.replace(",", " ").split() if t not in _HONORIFICS and t != "NUMBER"
                 and len(t) > 1 and not is_role_word(t))


@lru_cache(maxsize=8192)
def _similar(a: str, b: str, cutoff: float) -> bool:
    """Two words or labels that differ by a typo (memoized: the same pairs recur)."""
    if a == b:
        return True
    if not a or not b or (a[0] != b[0] and a[-1] != b[-1]):  # a typo rarely changes both ends
        return False
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= cutoff and sm.quick_ratio() >= cutoff and sm.ratio() >= cutoff


@lru_cache(maxsize=8192)
def same_speaker(a: str, b: str) -> bool:
    """Two label keys that print one speaker: a typo, a dropped honorific period, an extra word."""
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if {t for t in ta if t in _NUMBER_WORDS} ^ {t for t in tb if t in _NUMBER_WORDS}:
        if not ({"NUMBER"} & set(ta + tb)) or [t for t in ta if t in _NUMBER_WORDS][-1:] != [t for t in tb if t in _NUMBER_WORDS][-1:]:
            return False
    na, nb = _name_tokens(a), _name_tokens(b)
    if na and nb and not _similar(na[-1], nb[-1], 0.8):
        return False
    if len(a) >= 6 and len(b) >= 6 and _similar(a, b, 0.88):
        return True
    # a shortened form: MINISTER JAISHANKAR / EXTERNAL AFFAIRS MINISTER JAISHANKAR
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return bool(na and nb) and len(short) >= 2 and long_[-len(short):] == short


@dataclass
class SpeakerDraft:
    speaker_id: str
    label: str | None
    key: str
    label_variants: list[str] = field(default_factory=list)
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    kind: SpeakerKind = "other"


@dataclass
class Context:
    """What is known about the event when speakers are resolved."""

    title: str | None
    principals: list[PersonLine]
    counterparts: list[PersonLine]
    interviewer: str | None
    outlet: str | None
    sidecar: dict[str, SpeakerFacts]
    title_people: list[PersonLine] = field(default_factory=list)  # the people a title names after `by`


@lru_cache(maxsize=8192)
def _surname(name: str) -> str:
    toks = [t for t in re.split(r"\s+", name.strip()) if t]
    return label_key(toks[-1]) if toks else ""


def _match_person(tokens: Sequence[str], people: list[PersonLine]) -> PersonLine | None:
    for p in people:
        if not p.name:
            continue
        sur = _surname(p.name)
        all_tokens = set(label_key(p.name).split())
        for t in tokens:
            if t == sur or (len(t) >= 4 and _similar(t, sur, 0.8)) or (len(t) >= 4 and t in all_tokens and t == tokens[-1]):
                return p
    return None


_TITLE_STOP = {"joint", "press", "availability", "remarks", "statement", "statements", "conference", "meeting",
               "interview", "briefing", "before", "at", "with", "on", "and", "in", "to", "for", "of", "after",
               "during", "opening", "closing", "signing", "ceremony", "roundtable", "discussion", "panel", "event"}




def _from_title(tokens: Sequence[str], title: str | None) -> tuple[str, str | None] | None:
    """A counterpart's full name (and role) as the title prints it, found by surname:
    `... and French Foreign Minister Jean-Yves Le Drian at ...` -> (Jean-Yves Le Drian, French Foreign Minister)."""
    if not title or not tokens:
        return None
    sur = tokens[-1]
    t = title.replace("\u00a0", " ")
    for m in _TITLE_WORD.finditer(t):
        word = label_key(m.group(0))
        if word != sur and not (len(sur) >= 5 and _similar(word, sur, 0.85)):
            continue
        words = t[: m.start()].split()
        name_words: list[str] = []
        while words and len(name_words) < 4:
            w = words[-1]
            if w.endswith(",") or not (w[:1].isupper() or w.lower() in NAME_PARTICLES):
                break
            if is_role_word(w):
                break
            if len(words) >= 2 and words[-2].lower() in ("of", "for"):
                break  # `Secretary of Defense Lloyd`: Defense belongs to the role
            name_words.insert(0, words.pop())
        role_words: list[str] = []
        while words and len(role_words) < 7:
            w = words[-1]
            if w.endswith(",") or not (w[:1].isupper() or w.lower() in ("of", "for", "the")):
                break
            if w.lower() in _TITLE_STOP and w.lower() not in ("of", "for"):
                break  # `Blinken And NATO Secretary General`: the role starts after the conjunction
            role_words.insert(0, words.pop())
        while role_words and role_words[0].lower() in ("of", "for", "the"):
            role_words.pop(0)
        given_after: list[str] = []
        if not name_words and role_words:  # surname first, as East Asian names are printed: Chung Eui-yong
            for w in t[m.end():].split()[:2]:
                if re.fullmatch(r"[^\W\d_][\w’'\-]*", w) and w[:1].isupper() and not is_role_word(w) \
                        and w.lower() not in _TITLE_STOP:
                    given_after.append(w)
                else:
                    break
        name = " ".join(name_words + [m.group(0)] + given_after)
        return name, (" ".join(role_words) or None)
    return None


def resolve_speakers(labels: list[str | None], ctx: Context, texts: list[str] | None = None
                     ) -> tuple[list[SpeakerDraft], list[str]]:
    """Speakers for the turn labels in order; returns them and each turn's speaker_id.

    texts: the turns' texts; a label with no office or name whose turns mostly ask a question
    is a journalist under an outlet's name (`AFP`, `The Paper`); asked only of such labels."""
    speakers: list[SpeakerDraft] = []
    by_key: dict[str, SpeakerDraft] = {}
    id_of: dict[str | None, str] = {}
    used_ids: set[str] = set()
    for label in dict.fromkeys(labels):  # a label printed again changes nothing: each once, in order
        if label is None:
            key = "\x00principal"
        else:
            key = label_key(label)
        sp = by_key.get(key)
        if sp is None and label is not None:
            for cand in speakers:
                if cand.label is not None and same_speaker(cand.key, key):
                    sp = cand
                    break
        if sp is None:
            base = _slug(label) if label else _slug(ctx.principals[0].name or "speaker") if ctx.principals and ctx.principals[0].name else "speaker"
            base = base or "speaker"  # a label of no Latin letters (`王文斌`) slugs to nothing
            sid, n = base, 2
            while sid in used_ids:
                sid, n = f"{base}-{n}", n + 1
            used_ids.add(sid)
            sp = SpeakerDraft(sid, label, key)
            speakers.append(sp)
        by_key[key] = sp
        if label is not None and label not in sp.label_variants:
            sp.label_variants.append(label)
        id_of[label] = sp.speaker_id
    turn_ids = list(map(id_of.__getitem__, labels))

    def asks(sid: str) -> Callable[[], bool]:
        def most_ask() -> bool:
            mine = list(compress(texts, map(sid.__eq__, turn_ids))) if texts is not None else []
            return bool(mine) and sum(map(str.__contains__, mine, repeat("?"))) * 2 >= len(mine)
        return most_ask

    journalists = [s for s in speakers if s.label is not None and role_of_generic(s.label) == "journalist"]
    for sp in speakers:
        _describe(sp, ctx, single_journalist=len(journalists) == 1, asks=asks(sp.speaker_id))
    return speakers, turn_ids


def _name_and_office(label: str) -> tuple[str, str] | None:
    """(name, office) of a label printing both around a comma, in either order; the name as
    printed without its honorifics."""
    first, _, second = (part.strip() for part in label.partition(","))
    for name, office in ((second, first), (first, second)):
        words = [w for w in name.split() if not is_honorific(w)]
        if words and looks_like_name(" ".join(words)) and office and any(is_office_word(w) for w in office.split()):
            shown = " ".join(words)
            return (shown.title() if shown.isupper() else shown), office
    return None


def _office_holder(key: str, people: list[PersonLine]) -> PersonLine | None:
    """The person whose office a label names without a name: `THE PRESIDENT` is the title's
    President Biden, `THE VICE PRESIDENT` its Vice President Harris."""
    office = _ARTICLE.sub("", key)
    for p in people:
        if p.role and label_key(p.role) == office:
            return p
    return None


def _describe(sp: SpeakerDraft, ctx: Context, *, single_journalist: bool, asks: Callable[[], bool] = bool) -> None:
    facts = None
    for variant in sp.label_variants:
        facts = ctx.sidecar.get(label_key(variant)) or facts
    lead = ctx.principals[0] if ctx.principals else None
    if sp.label is None or is_answer_label(sp.label):  # unlabelled remarks, or `A:`: the principal speaks
        sp.kind = "principal" if lead and (lead.name or sp.label is None) else "official"
        if lead:
            sp.name, sp.role = lead.name, lead.role
    else:
        key = sp.key
        generic = role_of_generic(sp.label)
        tokens = _name_tokens(key)
        people = [*ctx.principals, *ctx.title_people]
        if generic:
            sp.kind = generic  # type: ignore[assignment]
            if "," in sp.label:  # PETER STANO, MODERATOR
                sp.name = sp.label.split(",")[0].strip().title() if sp.label.isupper() else sp.label.split(",")[0].strip()
            if generic == "journalist" and (ctx.interviewer or ctx.outlet):
                sp.affiliation = ctx.outlet
                if single_journalist and ctx.interviewer and not re.search(r",| and ", ctx.interviewer):
                    sp.name = ctx.interviewer
        elif _OFFICIAL.search(key) and not tokens:
            sp.kind = "official"
        elif (p := _match_person(tokens, ctx.principals)) is not None:
            sp.kind, sp.name, sp.role = "principal", p.name, p.role
        elif (p := _match_person(tokens, ctx.counterparts)) is not None:
            sp.kind, sp.name, sp.role = "counterpart", p.name, p.role
        elif (p := _match_person(tokens, ctx.title_people)) is not None:
            sp.name, sp.role, sp.affiliation = p.name, p.role, p.affiliation
            sp.kind = "counterpart" if p.affiliation else "official"
        elif not tokens and (p := _office_holder(key, people)) is not None:
            sp.name, sp.role, sp.affiliation = p.name, p.role, p.affiliation
            sp.kind = "principal" if p is lead else "counterpart" if p.affiliation else "official"
        elif not tokens and _ARTICLE.match(key):
            sp.kind = "official"  # `THE PRESIDENT` with no name in the title: the publisher's own
        elif tokens and (found := _from_title(tokens, ctx.title)) is not None:
            sp.name, sp.role = found
            sp.kind = "official" if _OWN_OFFICES.search(key) and not _HEADS.search(key) else "counterpart"
        elif _OFFICIAL.search(key):
            sp.kind = "official"
        elif _HEADS.search(key):
            sp.kind = "counterpart"
        elif _OWN_OFFICES.search(key) or (key.split()[0] in _HONORIFICS and tokens):
            sp.kind = "official"
        elif ctx.outlet and _similar(key, label_key(ctx.outlet), 0.8):
            sp.kind, sp.affiliation = "journalist", ctx.outlet
        elif ctx.interviewer and tokens and _similar(tokens[-1], _surname(ctx.interviewer), 0.8):
            sp.kind, sp.name, sp.affiliation = "journalist", ctx.interviewer, ctx.outlet
        elif not any(t in _HONORIFICS or is_role_word(t) and t not in ("THE", "OF", "AND", "FOR")
                     for t in key.split()) and asks():
            sp.kind, sp.affiliation = "journalist", sp.label  # a journalist under the outlet's name: AFP, POLITICO
        else:
            sp.kind = "other"
    if sp.name is None and sp.label and "," in sp.label and sp.kind != "journalist":
        named = _name_and_office(sp.label)  # `Official Spokesperson, Shri Arindam Bagchi`
        if named:
            sp.name, sp.role = named[0], sp.role or named[1]
    if sp.kind in ("counterpart", "official", "principal") and sp.role and not sp.affiliation:
        sp.role, sp.affiliation = split_affiliation(sp.role)
    if facts:
        sp.name = facts.name or sp.name
        sp.role = facts.role or sp.role
        sp.affiliation = facts.affiliation or sp.affiliation
        sp.kind = facts.kind or sp.kind
