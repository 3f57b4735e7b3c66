# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Per-field comparisons of two profiles, each giving a 0-100 similarity or a verdict.

The scoring combines these; here is only what "alike" means for one kind of value: a Dutch
surname with its spelling variants, a first name against initials or a nickname, the
local part of an e-mail address, an organisation name.
"""

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from .normalise import FORMAL_INITIALS, NICKNAMES, mailbox_handle, sound_key

# --- names ----------------------------------------------------------------------------------


def particles_compatible(a, b):
    """True unless two persons' tussenvoegsels differ ('van den' / 'van der'); the
    abbreviation 'van d.' ('v.d.') fits 'van de', 'van den' and 'van der', and ''t' is
    'het' ('van 't Hof' / 'van het Hof')."""
    if not a or not b or a == b:
        return True
    a, b = a.replace("het", "'t"), b.replace("het", "'t")
    if a == b:
        return True
    if a == "van d." and b.startswith("van d"):
        return True
    return b == "van d." and a.startswith("van d")


def _close_words(a, b):
    """One typing error (a letter added, dropped, changed or two swapped) in a
    word of four letters or more; two in one of eight or more."""
    distance = OSA.distance(a, b, score_cutoff=2)
    if distance == 1 and min(len(a), len(b)) >= 4:
        return 90
    if distance == 2 and min(len(a), len(b)) >= 8:
        return 85
    return 0


def surname_similarity(a, b):
    """Return 0-100 for two surname keys ('jansen-vries' holds two parts).

    One part of a double surname against the single surname scores as a match, since
    people drop the partner's name as often as they use it.
    """
    if not a or not b:
        return 0
    if a == b:
        return 100
    parts_a, parts_b = a.split("-"), b.split("-")
    best = 0
    for part_a in parts_a:
        for part_b in parts_b:
            if part_a == part_b:
                score = 100 if len(parts_a) == len(parts_b) else 95
            elif sound_key(part_a) == sound_key(part_b):
                score = 94
            else:
                score = max(_close_words(part_a, part_b), int(fuzz.ratio(part_a, part_b)))
            best = max(best, score)
    if len(parts_a) == len(parts_b) and len(parts_a) > 1:
        # Both double: judge the whole, not its best half ('Jansen-de Vries' against
        # 'Jansen-Smit' shares one part only).
        best = min(best, int(fuzz.ratio(a, b)))
    return best


def same_first_name(a, b):
    """True when two folded first names are one name: equal, a known call name of the
    other ('jan' / 'johannes'), spelled another way ('sofie' / 'sophie', 'kees' /
    'cees') or a likely typo ('pieter' / 'peiter')."""
    if a == b:
        return True
    if b in NICKNAMES.get(a, ()):
        return True
    if min(len(a), len(b)) >= 3 and a[0] in _SOUND_ALIKE_START.get(b[0], b[0]):
        if _name_sound(a) == _name_sound(b):
            return True
    if min(len(a), len(b)) >= 4 and JaroWinkler.similarity(a, b) >= 0.9:
        return True
    return False


_HARD_C = re.compile(r"^c(?=[ei])|c(?=$|[^eiy])")


def _name_sound(name):
    """A first name's sound-alike key: 'Marc' and 'Mark', 'Cees' and 'Kees' share one."""
    return sound_key(_HARD_C.sub("k", name))


# First letters that sound alike at the start of a name ('Cees' / 'Kees', 'Sofie' /
# 'Zofie'); other names must start with the same letter to count as spelling variants.
_SOUND_ALIKE_START = {"c": "ck", "k": "kc", "s": "sz", "z": "zs", "i": "iyj", "y": "yij"}


def first_name_typo(given_a, given_b):
    """True when two first names differ by one typing error ('Thom' / 'Thm', 'Stef' /
    'Sef'): a letter added, dropped, changed or two swapped, the first letter kept.
    'Tim' and 'Tom' are that too, so this is never enough on its own."""
    if not given_a or not given_b:
        return False
    a, b = given_a.replace("-", " ").split()[0], given_b.replace("-", " ").split()[0]
    if min(len(a), len(b)) < 3 or a[0] != b[0]:
        return False
    return OSA.distance(a, b, score_cutoff=1) <= 1


def initial_letters(given):
    """The initials a first name may be written with: its own, and those of the formal
    names it is a call name of ('kees' -> 'K' or 'C' for Cornelis)."""
    first = given.replace("-", " ").split()[0] if given else ""
    if not first:
        return ""
    letters = {first[0].upper()}
    letters.update(FORMAL_INITIALS.get(first, ()))
    return "".join(sorted(letters))


# Verdicts of given_name_agreement.
FULL, INITIAL, UNKNOWN, CONFLICT = "full", "initial", "unknown", "conflict"


def given_name_agreement(given_a, initials_a, given_b, initials_b):
    """Compare the first names of two persons; return (verdict, reason).

    verdict is FULL (first names agree), INITIAL (only initials to compare, and they
    agree), UNKNOWN (one side has nothing) or CONFLICT (different people: 'Jan' against
    'Marie', 'J.' against 'M.', 'J.P.' against 'J.W.').
    """
    if given_a and given_b:
        names_a, names_b = given_a.replace("-", " ").split(), given_b.replace("-", " ").split()
        if same_first_name(names_a[0], names_b[0]):
            return FULL, "first name matches"
        # A call name among the registered names: 'Anna Maria' / 'Maria'.
        if len(names_a) != len(names_b) and (set(names_a) & set(names_b)):
            return FULL, "first name matches one of the given names"
        return CONFLICT, "first names differ"
    if not (initials_a and initials_b):
        return UNKNOWN, "no first name to compare"
    if initials_a[0] != initials_b[0]:
        # A call name against official initials: 'Kees' is written 'C.' (Cornelis).
        if given_a and not given_b and initials_b[0] in initial_letters(given_a):
            return INITIAL, "first name initial matches the formal name"
        if given_b and not given_a and initials_a[0] in initial_letters(given_b):
            return INITIAL, "first name initial matches the formal name"
        return CONFLICT, "initials differ"
    # Both sides have two or more initials: they must agree as far as both go, but
    # only where both were written as initials (a call name gives one initial only).
    if not given_a and not given_b:
        shortest = min(len(initials_a), len(initials_b))
        if initials_a[:shortest] != initials_b[:shortest]:
            return CONFLICT, "initials differ"
        return INITIAL, "initials match"
    return INITIAL, "first name initial matches"


# --- e-mail ---------------------------------------------------------------------------------


def email_local_similarity(local_a, local_b):
    """Return 0-100 for two e-mail local parts, ignoring dots, dashes and '+tags'."""
    if not local_a or not local_b:
        return 0
    a, b = mailbox_handle(local_a), mailbox_handle(local_b)
    if a == b:
        return 100
    return int(fuzz.ratio(a, b))


_FAMILY_MAILBOX = re.compile(r"^(?:fam[._-]|familie|gezin[._-]?)|[._-](?:fam|familie)$")


def is_family_mailbox(local):
    """True for a household's shared mailbox ('fam.jansen', 'familiedevries',
    'jansen.fam'): the same address there does not mean the same person."""
    return bool(local and _FAMILY_MAILBOX.search(local))


# --- organisations and streets --------------------------------------------------------------


def organisation_similarity(a, b):
    """Return 0-100 for two organisation keys; word order and a missing word count less
    than a typo ('concertgebouw orkest' / 'orkest concertgebouw' is 100)."""
    if not a or not b:
        return 0
    if a == b:
        return 100
    if a.replace(" ", "") == b.replace(" ", ""):
        return 100
    sorted_score = fuzz.token_sort_ratio(a, b)
    set_score = fuzz.token_set_ratio(a, b)
    # token_set gives 100 for a subset ('opera' in 'vrienden van opera'): weaken that.
    return int(max(sorted_score, set_score - 10, fuzz.ratio(a, b)))


def street_similarity(a, b):
    """Return 0-100 for two folded street names (without number)."""
    if not a or not b:
        return 0
    if a == b:
        return 100
    return int(fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


# --- phones ---------------------------------------------------------------------------------

_MOBILE_PREFIXES = ("+316", "+3245", "+3246", "+3247", "+3248", "+3249", "+4915", "+4916", "+4917")


def is_mobile(e164):
    """True for Dutch, Belgian and German mobile numbers: personal, unlike a landline that
    a household or a company shares."""
    return e164.startswith(_MOBILE_PREFIXES)
