# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The score of a pair of profiles, 0-100, with a reason for every point.

The score is two halves that a steward can check by eye:

- **who** (at most 50): do the names agree? For persons the surname similarity scales
  the first-name verdict: first names agree 50, initials agree 45, one side has no first
  name 35. For organisations the name similarity after dropping legal forms.
- **evidence** (at most 50): what ties the two records to one person or organisation?
  Personal evidence adds up (same e-mail 40, same mobile 35, e-mail local part alike 15,
  same birth year 10); household evidence does not stack (same postcode and house
  number 25, or 20 when one record leaves out the flat ('Meir 12' and 'Meir 12 bus
  3') and 10 when both give another flat; same landline 20 (25 when no other contact
  has it), both 30), because a household shares both.

Hard negatives cap the score below "likely" however strong the evidence: different first
names or initials (a household, colleagues behind one switchboard), different birth years
(parent and child), two different e-mail addresses (parent and child, unless a mobile
number ties them), junior against senior ('Jan Smit jr.' and 'Jan Smit sr.'; one marked
'jr.' beside an unmarked namesake stays below 'likely' unless an e-mail address or a
mobile number ties them), a person against an organisation.

One address written two ways is one address: 'j.smit@gmail.com' and 'jsmit@gmail.com'
reach one Gmail mailbox, 'jan+tickets@ziggo.nl' is 'jan@ziggo.nl', and 'jan@gmial.com'
is a typing error for 'jan@gmail.com'. A phone number or address that many
contacts share (a switchboard, a care home) counts for little, unless both records give
the full first name and surname: two colleagues rarely share both.

A first name one typing error away ('Thom' / 'Thm') counts only beside a personal e-mail
address or mobile number in common, and never reaches "certain" ('Tim' and 'Tom' may be
brothers). A family mailbox ('fam.jansen@...') beside a personal one is no sign of a second
person.
"""

from rapidfuzz import fuzz

from .profile import (
    DOTLESS_MAIL_DOMAINS,
    GENERIC_LOCAL_PARTS,
    PUBLIC_MAIL_DOMAINS,
    mailbox_key,
)
from .similarity import (
    CONFLICT,
    FULL,
    INITIAL,
    UNKNOWN,
    email_local_similarity,
    first_name_typo,
    given_name_agreement,
    is_family_mailbox,
    is_mobile,
    organisation_similarity,
    particles_compatible,
    street_similarity,
    surname_similarity,
)

NAME_POINTS = {FULL: 50, INITIAL: 45, UNKNOWN: 35, CONFLICT: 0}
EVIDENCE_CAP = 50
# Hard negatives: the highest score a pair can reach when they apply.
CAP_DIFFERENT_PEOPLE = 40
CAP_DIFFERENT_EMAILS = 65
CAP_NAME_DIFFERS = 50
# A first-name typo with a personal e-mail or mobile in common: likely, never certain.
CAP_FIRST_NAME_TYPO = 85
# More contacts than this on one number is a switchboard, on one address an institution.
SHARED_PHONE_LIMIT = 6
SHARED_ADDRESS_LIMIT = 12


def _no_counts(_kind, _key):
    return 1


def _phone_evidence(a, b, counts, reasons):
    """(personal points, household points) from shared phone numbers."""
    shared = set(a.phones).intersection(b.phones)
    if not shared:
        return 0, 0
    personal = household = 0
    for number in shared:
        sharing = counts("phone", number)
        if sharing > SHARED_PHONE_LIMIT:
            household = max(household, 15)
            reasons.append(f"same switchboard number ({sharing} contacts)")
        elif is_mobile(number):
            personal = 35
        elif sharing <= 2:
            household = max(household, 25)  # a landline no one else in the database has
        else:
            household = max(household, 20)
    if personal:
        reasons.append("same E.164 mobile")
    elif household >= 20:
        reasons.append("same E.164 phone")
    return personal, household


def _address_evidence(a, b, counts, reasons):
    """(points, conflict) from postcode, house number, street and city."""
    if a.postcode and a.house_base and a.postcode == b.postcode and a.house_base == b.house_base:
        sharing = counts("address", f"{a.postcode}|{a.house_base}")
        if a.house and b.house and a.house != b.house:
            if a.house == a.house_base or b.house == b.house_base:
                # 'Meir 12' and 'Meir 12 bus 3': one record left the flat out, as people
                # often do; it may be that flat.
                reasons.append("same building, one without the house number addition")
                return 20, False
            reasons.append("same building, other house number addition")
            return 10, False
        # A shared address (an office, a care home) still places both records in one
        # building; the names must tell the people there apart.
        if sharing > SHARED_ADDRESS_LIMIT:
            reasons.append(f"postcode+number equal, shared by {sharing} contacts")
        else:
            reasons.append("postcode+number equal")
        return 25, False
    if a.house and a.house == b.house and a.city and a.city == b.city:
        similarity = street_similarity(a.street, b.street)
        if similarity >= 85 and not (a.postcode and b.postcode):
            reasons.append(f"street {similarity} and number equal, same city")
            return (25 if similarity >= 95 else 20), False
    conflict = bool(a.postcode and b.postcode and a.house_base and b.house_base)
    return 0, conflict


def _email_evidence(a, b, reasons):
    """(points, conflict) from two e-mail addresses."""
    if not (a.email and b.email):
        return 0, False
    if a.email == b.email:
        if is_family_mailbox(a.email_local):
            reasons.append("same family e-mail")
            return 15, False
        reasons.append("same e-mail")
        return 40, False
    mailbox = mailbox_key(a.email_local, a.email_domain)
    if (
        mailbox == mailbox_key(b.email_local, b.email_domain)
        and a.email_local not in GENERIC_LOCAL_PARTS
    ):
        if is_family_mailbox(a.email_local):
            reasons.append("same family e-mail")
            return 15, False
        if a.email_domain != b.email_domain:
            reasons.append("same e-mail but for a typing error in the domain")
            return 35, False
        if a.email_domain in DOTLESS_MAIL_DOMAINS:
            # Gmail delivers 'j.smit' and 'jsmit' to one mailbox.
            reasons.append("same e-mail mailbox")
            return 40, False
        reasons.append("same e-mail but for dots or a +tag")
        return 35, False
    similarity = email_local_similarity(a.email_local, b.email_local)
    domains_public = (a.email_domain in PUBLIC_MAIL_DOMAINS, b.email_domain in PUBLIC_MAIL_DOMAINS)
    if (
        similarity >= 90
        and not all(domains_public)
        and fuzz.ratio(a.email_domain, b.email_domain) >= 85
    ):
        reasons.append(f"email local part {similarity}, domain alike")
        return 15, False
    if domains_public[0] != domains_public[1]:
        # A work address beside a private one is one person's habit, not a second person.
        reasons.append("work and private e-mail")
        return 0, False
    if is_family_mailbox(a.email_local) or is_family_mailbox(b.email_local):
        # The household's mailbox beside a personal one: not a second person either.
        reasons.append("family and personal e-mail")
        return 0, False
    return 0, True


def score_persons(a, b, counts=_no_counts, floor=0):
    """Return (score, reasons) for two person profiles, or None when the score is
    certainly below ``floor`` (checked early, so most non-duplicates cost little)."""
    reasons = []
    verdict, given_reason = given_name_agreement(a.given, a.initials, b.given, b.initials)
    same_words = bool(a.name_tokens) and a.name_tokens == b.name_tokens
    if a.gender and b.gender and a.gender != b.gender:
        verdict, given_reason = CONFLICT, "titles differ (Mr/Mrs)"
        same_words = False
    # 'Thom' against 'Thm': one typing error, accepted only beside a personal e-mail
    # address or mobile number (below), since 'Tim' and 'Tom' may be brothers.
    typo = verdict == CONFLICT and not same_words and first_name_typo(a.given, b.given)
    if typo:
        verdict, given_reason = INITIAL, "first names one letter apart"
    if verdict == CONFLICT and floor > CAP_DIFFERENT_PEOPLE and not same_words:
        return None
    surname = surname_similarity(a.surname, b.surname)
    if surname < 95 and same_words:
        # Same words in another order ('Peeters Jan' / 'Jan Peeters').
        surname, verdict, given_reason = 100, FULL, "name words equal, order differs"
        reasons.append(given_reason)
    else:
        reasons.append(f"surname {surname}, {given_reason}")
    if surname >= 95:
        factor = 1.0
    elif surname >= 88 and verdict in (FULL, INITIAL):
        factor = 1.0  # one typing error in the surname, the first name or initial agrees
    elif surname >= 85:
        factor = 0.9
    elif surname >= 75:
        factor = 0.6
    else:
        factor = 0.0
    name_points = round(NAME_POINTS[verdict] * factor)
    if name_points and not particles_compatible(a.particles, b.particles):
        reasons.append(f"'{a.particles}' against '{b.particles}'")
        name_points -= 5
    cap = 100
    if verdict == CONFLICT:
        cap = CAP_DIFFERENT_PEOPLE
    if factor == 0.0:
        cap = min(cap, CAP_NAME_DIFFERS)
    if min(cap, name_points + EVIDENCE_CAP) < floor:
        return None

    personal, email_conflict = _email_evidence(a, b, reasons)
    mobile, landline = _phone_evidence(a, b, counts, reasons)
    personal += mobile
    if typo:
        cap = min(cap, CAP_FIRST_NAME_TYPO if personal >= 35 else CAP_DIFFERENT_PEOPLE)
    if a.birth_year and b.birth_year:
        if a.birth_year == b.birth_year:
            personal += 10
            reasons.append("same birth year")
        else:
            cap = min(cap, CAP_DIFFERENT_PEOPLE)
            reasons.append(f"birth years differ ({a.birth_year}, {b.birth_year})")
    address, _address_conflict = _address_evidence(a, b, counts, reasons)
    # One household shares address and landline: together they add little. A
    # switchboard (15) adds nothing to the address of the office it answers for.
    household = max(address, landline) + (5 if address and landline >= 20 else 0)
    if landline == 15 and verdict == FULL and factor == 1.0 and not email_conflict:
        household = max(household, 20)
    city = 0
    if (
        not address
        and a.postcode
        and a.postcode == b.postcode
        and len(a.postcode) == 6
        and not (a.house_base and b.house_base)
    ):
        # A Dutch postcode with letters is one side of one street (about twenty
        # addresses); one record lacks the house number.
        city = 25
        reasons.append("same postcode, house number unknown")
    elif not address and a.city and a.city == b.city:
        city = 5
        reasons.append("same city")
    if email_conflict and not mobile:
        cap = min(cap, CAP_DIFFERENT_EMAILS)
        reasons.append("different e-mail addresses")
    if a.generation != b.generation:
        if a.generation and b.generation:
            cap = min(cap, CAP_DIFFERENT_PEOPLE)
            reasons.append("junior and senior")
        elif not (mobile or personal >= 35):
            # 'Jan Smit jr.' beside 'Jan Smit': the name says two generations exist.
            cap = min(cap, CAP_DIFFERENT_EMAILS)
            reasons.append("one is marked junior or senior")
    if factor == 0.0 and verdict == FULL and (a.email == b.email or mobile):
        # A changed surname (marriage) with the same personal e-mail or mobile.
        name_points = 25
        cap = 100
    score = min(cap, name_points + min(EVIDENCE_CAP, personal + household + city))
    return score, reasons


def score_organisations(a, b, counts=_no_counts, floor=0):
    """Return (score, reasons) for two organisation profiles, or None below ``floor``."""
    similarity = organisation_similarity(a.organisation, b.organisation)
    if similarity >= 95:
        name_points = 50
    elif similarity >= 88:
        name_points = 42
    elif similarity >= 80:
        name_points = 32
    else:
        name_points = 0
    cap = 100 if name_points else CAP_NAME_DIFFERS
    if min(cap, name_points + EVIDENCE_CAP) < floor:
        return None
    reasons = [f"organisation name {similarity}"]
    evidence = 0
    if a.email and a.email == b.email:
        evidence += 40
        reasons.append("same e-mail")
    elif a.email_domain and a.email_domain == b.email_domain:
        if a.email_domain not in PUBLIC_MAIL_DOMAINS:
            evidence += 20
            reasons.append("same e-mail domain")
    for number in set(a.phones).intersection(b.phones):
        sharing = counts("phone", number)
        evidence += 30 if sharing <= SHARED_PHONE_LIMIT else 10
        reasons.append("same E.164 phone")
        break
    address, address_conflict = _address_evidence(a, b, counts, reasons)
    evidence += address
    if not address and a.city and a.city == b.city:
        # Same name in the same city is one organisation, unless both give another address.
        evidence += 5 if address_conflict else 20
        reasons.append("same city" if not address_conflict else "same city, other address")
    score = min(cap, name_points + min(EVIDENCE_CAP, evidence))
    return score, reasons


def score_profiles(a, b, counts=_no_counts, floor=0):
    """Return (score, reasons) for any two profiles, or None below ``floor``.

    A person and an organisation are never one contact. ``counts(kind, key)`` tells how
    many contacts share a phone ('phone') or address ('address'); without it every value
    counts as shared by one pair only.
    """
    if a.is_company != b.is_company:
        return None if floor > 0 else (0, ["person against organisation"])
    if a.is_company:
        return score_organisations(a, b, counts, floor)
    return score_persons(a, b, counts, floor)
