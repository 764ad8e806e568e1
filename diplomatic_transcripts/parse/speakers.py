"""Speakers of one transcript: label variants merged, each speaker given a kind, and names,
roles and affiliations taken from the header, the title and the sidecar."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from ..ids import label_key, slugify
from ..records import SpeakerFacts, SpeakerKind
from .header import _OUTLET_HINT, ROLE_WORDS, PersonLine
from .labels import role_of_generic
from .places import split_affiliation

_NUMBER_WORDS = {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "1", "2", "3", "4",
                 "5", "6", "7", "8", "9", "10", "A", "B", "C", "D", "I", "II", "III", "IV", "FIRST", "SECOND", "THIRD"}
_HONORIFICS = {"MR", "MS", "MRS", "DR", "MISS", "SIR", "DAME", "MX", "PROF", "PROFESSOR", "SHEIKH", "HE"}
_ROLE_TOKENS = {"SECRETARY", "MINISTER", "PRESIDENT", "AMBASSADOR", "SPOKESPERSON", "DIRECTOR", "COORDINATOR",
                "ENVOY", "REPRESENTATIVE", "ADMINISTRATOR", "CHANCELLOR", "PRIME", "PREMIER", "KING", "QUEEN", "PRINCE",
                "CROWN", "EMIR", "SULTAN", "GOVERNOR", "SENATOR", "CHAIRMAN", "CHAIR", "CHAIRWOMAN", "COMMISSIONER",
                "OFFICIAL", "ADVISOR", "ADVISER", "COUNSELOR", "ASSISTANT", "DEPUTY", "UNDER", "CHIEF", "GENERAL",
                "MAYOR", "MEMBER", "RANKING", "ACTING", "FOREIGN", "EXTERNAL", "AFFAIRS", "DEFENSE", "DEFENCE",
                "HOMELAND", "SECURITY", "ENVIRONMENT", "HIGH", "SPECIAL", "SENIOR", "STATE", "DEPARTMENT",
                "ADMINISTRATION", "VICE", "OF", "THE", "FOR", "AND", "NUMBER", "CONGRESSMAN", "CONGRESSWOMAN",
                "LEADER", "SPEAKER", "HIS", "HER", "EXCELLENCY", "MAJESTY", "HIGHNESS",
                "UNDERSECRETARY", "DELEGATE", "COMMANDER", "ADMIRAL", "JUDGE", "JUSTICE", "MINISTESR", "SECRETAR",
                "MININSTER", "ECRETARY"}
_US_ROLES = re.compile(r"\b(?:SECRETARY|AMBASSADOR|SENATOR|ASSISTANT|UNDER|SPOKESPERSON|ADMINISTRATOR|DIRECTOR|"
                       r"COORDINATOR|ENVOY|CONGRESSMAN|CONGRESSWOMAN|CHAIRMAN|RANKING|GOVERNOR|MAYOR|OFFICIAL)\b")
_FOREIGN_ROLES = re.compile(r"\b(?:MINISTER|PRESIDENT|PRIME|CHANCELLOR|KING|QUEEN|PRINCE|EMIR|SULTAN|PREMIER|"
                            r"HIGH REPRESENTATIVE|COMMISSIONER|SECRETARY GENERAL|SECRETARY-GENERAL)\b")
_OFFICIAL = re.compile(r"\bOFFICIALS?\b")


def name_tokens(label_key_: str) -> list[str]:
    """The tokens of a label that are not roles or honorifics: usually the surname."""
    return [t for t in label_key_.replace(",", " ").split() if t not in _ROLE_TOKENS and t not in _HONORIFICS
            and len(t) > 1]


def _similar(a: str, b: str, cutoff: float) -> bool:
    if a == b:
        return True
    if not a or not b or (a[0] != b[0] and a[-1] != b[-1]):  # a typo rarely changes both ends
        return False
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= cutoff and sm.quick_ratio() >= cutoff and sm.ratio() >= cutoff


def same_speaker(a: str, b: str) -> bool:
    """Two label keys that print one speaker: a typo, a dropped honorific period, an extra word."""
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if {t for t in ta if t in _NUMBER_WORDS} ^ {t for t in tb if t in _NUMBER_WORDS}:
        if not ({"NUMBER"} & set(ta + tb)) or [t for t in ta if t in _NUMBER_WORDS][-1:] != [t for t in tb if t in _NUMBER_WORDS][-1:]:
            return False
    na, nb = name_tokens(a), name_tokens(b)
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


def _surname(name: str) -> str:
    toks = [t for t in re.split(r"\s+", name.strip()) if t]
    return label_key(toks[-1]) if toks else ""


def _match_person(tokens: list[str], people: list[PersonLine]) -> PersonLine | None:
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


_NAME_PARTICLES = {"de", "da", "van", "von", "al", "bin", "la", "le", "du", "del", "di"}
# Words of role phrases ("Minister of External Affairs", "Secretary of Defense"): never part of a name.
_ROLE_PHRASE = {"affairs", "defense", "defence", "state", "commerce", "energy", "treasury", "security", "foreign",
                "external", "home", "interior", "justice", "health", "trade", "finance", "development", "cooperation",
                "environment", "agriculture", "economy", "economic", "homeland", "national", "general", "republic",
                "kingdom", "union", "united", "nations", "european", "policy", "international", "public",
                "diplomacy", "education", "labor", "labour", "transport", "transportation", "climate", "minister",
                "secretary", "president", "prime", "ambassador"}


def _from_title(tokens: list[str], title: str | None) -> tuple[str, str | None] | None:
    """A counterpart's full name (and role) as the title prints it, found by surname:
    `... and French Foreign Minister Jean-Yves Le Drian at ...` -> (Jean-Yves Le Drian, French Foreign Minister)."""
    if not title or not tokens:
        return None
    sur = tokens[-1]
    t = title.replace("\u00a0", " ")
    for m in re.finditer(r"[\w’'\-]+", t):
        word = label_key(m.group(0))
        if word != sur and not (len(sur) >= 5 and _similar(word, sur, 0.85)):
            continue
        words = t[: m.start()].split()
        name_words: list[str] = []
        while words and len(name_words) < 4:
            w = words[-1]
            if w.endswith(",") or not (w[:1].isupper() or w.lower() in _NAME_PARTICLES):
                break
            if ROLE_WORDS.search(w) or w.lower().strip(".") in _ROLE_PHRASE:
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
                if re.fullmatch(r"[^\W\d_][\w’'\-]*", w) and w[:1].isupper() and not ROLE_WORDS.search(w) \
                        and w.lower() not in _TITLE_STOP:
                    given_after.append(w)
                else:
                    break
        name = " ".join(name_words + [m.group(0)] + given_after)
        return name, (" ".join(role_words) or None)
    return None


def resolve_speakers(labels: list[str | None], ctx: Context) -> tuple[list[SpeakerDraft], list[str]]:
    """Speakers for the turn labels in order; returns them and each turn's speaker_id."""
    speakers: list[SpeakerDraft] = []
    by_key: dict[str, SpeakerDraft] = {}
    turn_ids: list[str] = []
    used_ids: set[str] = set()
    for label in labels:
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
            base = slugify(label) if label else slugify(ctx.principals[0].name or "speaker") if ctx.principals and ctx.principals[0].name else "speaker"
            sid, n = base or "speaker", 2
            while sid in used_ids:
                sid, n = f"{base}-{n}", n + 1
            used_ids.add(sid)
            sp = SpeakerDraft(sid, label, key)
            speakers.append(sp)
        by_key[key] = sp
        if label is not None and label not in sp.label_variants:
            sp.label_variants.append(label)
        turn_ids.append(sp.speaker_id)
    journalists = [s for s in speakers if s.label is not None and role_of_generic(s.label) == "journalist"]
    for sp in speakers:
        _describe(sp, ctx, single_journalist=len(journalists) == 1)
    return speakers, turn_ids


def _describe(sp: SpeakerDraft, ctx: Context, *, single_journalist: bool) -> None:
    facts = None
    for variant in sp.label_variants:
        facts = ctx.sidecar.get(label_key(variant)) or facts
    if sp.label is None:  # unlabelled remarks: the principal speaks
        p = ctx.principals[0] if ctx.principals else None
        sp.kind = "principal"
        if p:
            sp.name, sp.role = p.name, p.role
    else:
        key = sp.key
        generic = role_of_generic(sp.label)
        tokens = name_tokens(key)
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
        elif tokens and (found := _from_title(tokens, ctx.title)) is not None:
            sp.name, sp.role = found
            sp.kind = "official" if _US_ROLES.search(key) and not _FOREIGN_ROLES.search(key) else "counterpart"
        elif _OFFICIAL.search(key):
            sp.kind = "official"
        elif _FOREIGN_ROLES.search(key):
            sp.kind = "counterpart"
        elif _US_ROLES.search(key) or (key.split()[0] in _HONORIFICS and tokens):
            sp.kind = "official"
        elif ctx.outlet and _similar(key, label_key(ctx.outlet), 0.8):
            sp.kind, sp.affiliation = "journalist", ctx.outlet
        elif _OUTLET_HINT.fullmatch(sp.label.strip()) or (len(key.split()) <= 4 and _OUTLET_HINT.search(sp.label)
                                                          and not _ROLE_TOKENS & set(key.split())):
            sp.kind, sp.affiliation = "journalist", sp.label  # a journalist labelled by the outlet: POLITICO
        else:
            sp.kind = "other"
    if sp.kind in ("counterpart", "official", "principal") and sp.role and not sp.affiliation:
        sp.role, sp.affiliation = split_affiliation(sp.role)
    if facts:
        sp.name = facts.name or sp.name
        sp.role = facts.role or sp.role
        sp.affiliation = facts.affiliation or sp.affiliation
        sp.kind = facts.kind or sp.kind
