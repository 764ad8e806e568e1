"""Who answers whom: `turns.reply_to` and `turns.exchange_index` from speaker kinds and order.

An exchange opens at a journalist's turn that follows someone else's; it holds the turns
after it up to the next opening.  Within it, an answer replies to the nearest question
before it (two officials answering one question both reply to it); a journalist's
follow-up, an interjection or a moderator's aside replies to the turn before it.  A
journalist who cuts into an answer that then goes on (`MS. PSAKI: The state and local
funding —` / `Q Yes.` / `MS. PSAKI: — from the American Rescue Plan?`), or who resumes a
question of their own, stays in the exchange rather than opening a new one; a question that
cuts off an answer which does not go on opens the next exchange.  Turns before
the first question (opening remarks) belong to no exchange and follow the turn before them.
The rules read nothing but kinds, order and dashes, so they hold for every publisher.
"""

from __future__ import annotations

from collections.abc import Sequence

QUESTIONER = "journalist"
# Parts that steer the event rather than answer: their turns follow the turn before them.
_STEERING = frozenset({"moderator", "operator", "interpreter", "staff"})


def link_turns(kinds: Sequence[str], interrupted: Sequence[bool], continuation: Sequence[bool]
               ) -> tuple[list[int | None], list[int | None]]:
    """(reply_to, exchange_index) for turns whose speakers have `kinds`, in order."""
    n = len(kinds)
    reply_to: list[int | None] = [None] * n
    exchange: list[int | None] = [None] * n
    current: int | None = None  # index of the open exchange
    question: int | None = None  # the latest question of the open exchange
    for k in range(n):
        asks = kinds[k] == QUESTIONER
        if asks:
            joins = current is not None and k > 0 and (
                kinds[k - 1] == QUESTIONER or continuation[k]
                or (interrupted[k - 1] and k + 1 < n and continuation[k + 1] and kinds[k + 1] != QUESTIONER)
            )
            if joins:
                reply_to[k] = k - 1
            else:
                current = 0 if current is None else current + 1
            question = k
            exchange[k] = current
            continue
        exchange[k] = current
        if k == 0:
            continue
        if current is None or kinds[k] in _STEERING or question is None:
            reply_to[k] = k - 1
        else:
            reply_to[k] = question
    return reply_to, exchange
