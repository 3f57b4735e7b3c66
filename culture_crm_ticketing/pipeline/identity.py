"""Who bought this ticket: the verdict on the contacts that share a buyer's keys.

The lookup (which contacts share an e-mail address, a phone number, a postcode or a
surname) is the database's job; here is only the decision, so that it reads in one place:

1. an e-mail address or an E.164 phone number that one contact holds is that contact,
   unless the names say two people (a partner buying with the household's address): then
   the buyer is linked to that contact provisionally and a steward decides;
2. several contacts holding it, or no exact key at all: the candidates' similarity
   scores decide. A clear winner above the 'certain' threshold is a match; a best score
   between 'likely' and 'certain', or two candidates too close to call, is never guessed:
   the buyer is linked to the best candidate provisionally and a steward decides;
3. nobody similar enough: a new contact.
"""

from __future__ import annotations

import dataclasses

EMAIL, PHONE, FUZZY, NEW = "email", "phone", "fuzzy", "new"
# How sure an exact key is. A phone is shared more often than an address (a household's
# landline), so it is a little less certain.
KEY_CONFIDENCE = {EMAIL: 1.0, PHONE: 0.95}


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """Similarity scores (0 to 1) that separate a match from a question and a stranger.

    ``margin``: how far the best candidate must lead the second one to be chosen alone.
    """

    certain: float = 0.9
    likely: float = 0.7
    margin: float = 0.05


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The contact a person resolves to, or None for 'create a new contact'."""

    partner_id: int | None
    method: str
    confidence: float
    review: bool = False
    candidate_ids: tuple[int, ...] = ()


NEW_CONTACT = Verdict(None, NEW, 1.0)


def judge_exact(method, scored, thresholds):
    """Verdict on the contacts holding the buyer's e-mail address or phone number.

    :param scored: ``[(partner_id, name similarity 0..1), ...]``, at least one.
    One holder is the buyer, unless it scores below 'likely' (another name: a steward
    decides). Among several (a shared household address), the name decides; when it
    cannot, a steward does.
    """
    ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0]))
    best_id, best_score = ranked[0]
    if len(ranked) == 1 and best_score >= thresholds.likely:
        return Verdict(best_id, method, KEY_CONFIDENCE[method])
    if len(ranked) == 1:
        return Verdict(
            best_id,
            method,
            round(KEY_CONFIDENCE[method] * best_score, 4),
            review=True,
            candidate_ids=(best_id,),
        )
    second_score = ranked[1][1]
    if best_score >= thresholds.certain and best_score - second_score >= thresholds.margin:
        return Verdict(best_id, method, round(KEY_CONFIDENCE[method] * best_score, 4))
    return Verdict(
        best_id,
        method,
        round(KEY_CONFIDENCE[method] * best_score, 4),
        review=True,
        candidate_ids=tuple(pid for pid, _score in ranked),
    )


def judge_fuzzy(scored, thresholds):
    """Verdict on similar contacts found by blocking (same postcode or surname).

    :param scored: ``[(partner_id, similarity 0..1), ...]``, possibly empty.
    """
    ranked = sorted(
        (pair for pair in scored if pair[1] >= thresholds.likely),
        key=lambda pair: (-pair[1], pair[0]),
    )
    if not ranked:
        return NEW_CONTACT
    best_id, best_score = ranked[0]
    close = [pid for pid, score in ranked if best_score - score < thresholds.margin]
    if best_score >= thresholds.certain and len(close) == 1:
        return Verdict(best_id, FUZZY, round(best_score, 4))
    return Verdict(
        best_id,
        FUZZY,
        round(best_score, 4),
        review=True,
        candidate_ids=tuple(pid for pid, _score in ranked),
    )
