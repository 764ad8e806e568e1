"""Transcript or not: a document is a transcript when it records words spoken.

With speaker labels it is one.  Without them it is a single speaker's remarks only when the
title (or the document-type line) names a speech — `Remarks at …`, `Keynote Address by …`,
`Opening Statement Before …` — in the grammar of a record, not of an announcement
(`Secretary Blinken to Deliver Remarks at …` is a media note; `… to Address Plastic
Pollution` uses the verb; `Free Speech` is no speech), and the body reads as spoken: it
greets or thanks its audience, or the room applauds or laughs.  Statements (`Welcoming …`,
`The United States Welcomes …`), readouts, fact sheets, notices and letters do neither,
whatever words their titles hold.
"""

from __future__ import annotations

import re

_SPEECH_NOUN = re.compile(
    r"\b(?:remarks|speech|address|keynote|toast|testimony|lecture|eulogy|opening statement|closing statement|"
    r"statements? (?:to|before|for) the press|video message|commencement address)\b",
    re.I,
)
# Words before a speech noun that make it a verb or something else: `to Address`, `Free Speech`.
_NOT_THE_NOUN = re.compile(r"(?:\bto|\bwill|\band|\bfree|\bhate|\bof)\s+$", re.I)
# An announcement of words to come: `X to Deliver Remarks`, `X Will Give a Speech`.
_ANNOUNCEMENT = re.compile(
    r"\b(?:to|will)\s+(?:[\w’'-]+\s+(?:and|&)\s+)?(?:deliver|give|make|host|participate|present|offer|provide|hold|"
    r"attend|lead|travel|tour|speak|testify|address|join|visit|announce)\b",
    re.I,
)
_GREETING = re.compile(
    r"^(?:good (?:morning|afternoon|evening|day)|thank you|thanks|hello|hi\b|hey\b|welcome|ladies and gentlemen|"
    r"excellenc|distinguished|dear\b|friends\b|colleagues\b|(?:mr|madam|madame)\.? (?:president|chair|speaker|"
    r"secretary|minister|ambassador)|what a\b|it[’']s (?:a |an |great|good|wonderful|so good)|"
    r"i[’']m (?:delighted|pleased|honored|honoured|glad|happy|thrilled|grateful))",
    re.I,
)
_CLOSING = re.compile(r"\b(?:thank you|thanks|god bless|merci|gracias)\b", re.I)
_ROOM = re.compile(r"\((?:[^()]{0,30}\b)?(?:applause|laughter|laughs)\b[^()]{0,30}\)", re.I)


def names_a_speech(title: str | None, doc_type: str | None) -> bool:
    """The title or document-type line calls the document a speech, and not one to come."""
    for text in (doc_type, title):
        if not text:
            continue
        for m in _SPEECH_NOUN.finditer(text):
            if _NOT_THE_NOUN.search(text[:m.start()]):
                continue
            if _ANNOUNCEMENT.search(text[:m.start()]):
                return False
            return True
    return False


def reads_as_spoken(paragraphs: list[str]) -> bool:
    """The body greets or thanks an audience, or the room reacts: words said to people."""
    if not paragraphs:
        return False
    if any(_GREETING.match(p.lstrip(" “\"—–-")) for p in paragraphs[:3]):
        return True
    if any(_CLOSING.search(p) and len(p.split()) <= 30 for p in paragraphs[-2:]):
        return True
    return any(_ROOM.search(p) for p in paragraphs)


def is_remarks(title: str | None, doc_type: str | None, paragraphs: list[str]) -> bool:
    """An unlabelled document is a single speaker's remarks."""
    return names_a_speech(title, doc_type) and reads_as_spoken(paragraphs)
