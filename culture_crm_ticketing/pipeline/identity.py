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

What a box office types for a buyer who gave no e-mail address or name (a sale at the
desk: 'geen@email.nl', the box office's own address, 'Kassa', 'Anoniem') is no key to
anyone: :func:`without_placeholders` drops it before the lookup, so walk-in sales are not
all pinned on one contact, and a buyer with nothing else stays anonymous.
"""

from __future__ import annotations

import dataclasses
import re

from odoo.addons.culture_crm.matching.normalise import fold

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

# Mailbox names (letters and digits only) that say 'no e-mail address given'.
NO_MAILBOXES = frozenset(
    """geen geenemail geenmail geenmailadres geenadres noemail nomail noreply none nobody
    onbekend unknown anoniem anonymous nvt nietopgegeven notgiven leeg empty null nil
    nee no invalid aucun aucunemail keine keineemail""".split()
)
# Names (lower case, letters and spaces only) that say 'no name given'.
NO_NAMES = frozenset(
    line.strip()
    for line in """kassa
    kassaverkoop
    kassa verkoop
    verkoop kassa
    balie
    balieverkoop
    baliekaart
    losse verkoop
    losse kaart
    losse kaarten
    dagkassa
    avondkassa
    box office
    boxoffice
    walk in
    walkin
    passant
    anoniem
    anonymous
    onbekend
    unknown
    geen naam
    no name
    nvt
    n v t
    klant
    customer
    bezoeker
    visitor
    gast
    guest
    contant
    pin
    test
    x
    xx
    xxx""".splitlines()
)


def parse_house_emails(text):
    """The addresses (and ``@domain`` entries) of a backend's box office list, lower case."""
    return frozenset(part.lower() for part in re.split(r"[\s,;]+", text or "") if "@" in part)


def is_placeholder_email(email, house=frozenset()):
    """True for an address typed where the buyer gave none: one of ``house`` (or on a
    domain listed there as ``@domain``), a mailbox that says so ('geen@email.nl',
    'onbekend@theater.nl'), or one letter over and over ('x@x.nl')."""
    address = (email or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return False
    if address in house or f"@{domain}" in house:
        return True
    mailbox = re.sub(r"[^a-z0-9]", "", local)
    if mailbox in NO_MAILBOXES:
        return True
    # 'xx@...', 'xxx@...', 'x@x.nl'; not 'j@jansmit.nl', a real one-letter mailbox.
    repeated = 0 < len(mailbox) <= 3 and len(set(mailbox)) == 1
    return repeated and (len(mailbox) > 1 or domain.split(".")[0] == mailbox)


def is_placeholder_name(name):
    """True for a name typed where the buyer gave none ('Kassa', 'Anoniem', 'N.v.t.',
    '-'): a name of no letters, or one of ``NO_NAMES``."""
    if not (name or "").strip():
        return False  # no name at all: nothing to drop
    words = re.sub(r"[^\w]+|[\d_]+", " ", fold(name)).split()
    return not words or " ".join(words) in NO_NAMES


def without_placeholders(person, house=frozenset()):
    """``person`` (a PersonRecord) less a placeholder e-mail address and name."""
    changes = {}
    if is_placeholder_email(person.email, house):
        changes["email"] = None
    full_name = person.name or " ".join(
        part for part in (person.given_name, person.family_name) if part
    )
    if is_placeholder_name(full_name):
        changes.update(name=None, given_name=None, family_name=None)
    return dataclasses.replace(person, **changes) if changes else person


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
