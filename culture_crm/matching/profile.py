# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A contact reduced, once, to the normalised values the engine compares.

A profile is a tuple (``typing.NamedTuple``): 1M of them must fit in memory beside the
blocking index, and reading a tuple field is cheap in the scoring loop.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from .normalise import (
    city_key,
    fold,
    house_number,
    mailbox_handle,
    normalise_email,
    organisation_key,
    parse_person_name,
    phone_numbers,
    postcode_key,
    region_code,
    title_gender,
)

# Mailbox names that say nothing about a person: blocking on them would tie strangers.
GENERIC_LOCAL_PARTS = frozenset(
    """info contact admin office post mail email secretariaat secretariat administratie
    receptie kantoor hallo hello hi boekhouding facturen factuur sales support noreply
    no-reply tickets ticket kassa reserveringen reservering bestellingen verkoop marketing
    pers press communicatie directie team welkom algemeen webmaster onthaal accueil
    """.split()
)
# Domains shared by unrelated people; an organisation's own domain is evidence, these not.
PUBLIC_MAIL_DOMAINS = frozenset(
    """gmail.com googlemail.com hotmail.com hotmail.nl hotmail.be live.nl live.be live.com
    outlook.com outlook.nl outlook.be msn.com yahoo.com yahoo.nl yahoo.fr icloud.com me.com
    ziggo.nl kpnmail.nl kpnplanet.nl planet.nl home.nl xs4all.nl hetnet.nl chello.nl
    casema.nl quicknet.nl upcmail.nl zeelandnet.nl online.nl tele2.nl telfort.nl
    skynet.be telenet.be proximus.be scarlet.be gmx.de gmx.net web.de t-online.de
    protonmail.com proton.me aol.com
    """.split()
)
_NON_WORD = re.compile(r"[^a-z0-9']+")
_GENERATION = re.compile(r"(?:^|[\s,(])(jr|jun|junior|sr|sen|senior)\b\.?", re.I)
# Mail domains that ignore dots in the mailbox name ('j.smit@gmail.com' is 'jsmit@...').
DOTLESS_MAIL_DOMAINS = frozenset(("gmail.com", "googlemail.com"))


@lru_cache(maxsize=50_000)
def public_domain(domain):
    """The public mail domain ``domain`` is, or is a typing error of ('gmial.com',
    'hotmail.con' -> 'gmail.com', 'hotmail.com'); None for any other domain."""
    if not domain:
        return None
    if domain in PUBLIC_MAIL_DOMAINS:
        return "gmail.com" if domain == "googlemail.com" else domain
    if len(domain) < 7:
        return None
    close = [
        known
        for known in PUBLIC_MAIL_DOMAINS
        if abs(len(known) - len(domain)) <= 1 and OSA.distance(known, domain, score_cutoff=1) <= 1
    ]
    return close[0] if len(close) == 1 else None


def mailbox_key(local, domain):
    """The mailbox an address reaches, for comparing two addresses: '+tags' dropped,
    dots, dashes and underscores dropped, a misspelt public domain corrected. Only for
    matching; the address itself is stored as typed."""
    if not local:
        return None
    return f"{mailbox_handle(local)}@{public_domain(domain) or domain}"


_GLUED_PARTICLES = frozenset(
    "van de der den het 't ter ten te in op uit le la du des d' di da".split()
)


def _name_words(name):
    """The words of a personal name sorted, each tussenvoegsel glued to the word after
    it: 'Marie Van den Broeck' and 'Vandenbroeck Marie' both give 'marie vandenbroeck',
    'De Smet Luc' and 'Luc Desmet' both 'desmet luc'."""
    surname, comma, rest = name.partition(",")
    if comma:
        name = f"{rest} {surname}"  # 'Berg, Jan van der' is 'Jan van der Berg'
    words = [w for w in _NON_WORD.split(fold(name)) if w]
    glued, pending = [], ""
    for word in words:
        if word in _GLUED_PARTICLES:
            pending += word.strip("'")
            continue
        glued.append(pending + word)
        pending = ""
    if pending and glued:
        glued[-1] += pending
    return " ".join(sorted(w for w in glued if len(w) > 1))


def generation(name):
    """'jr' or 'sr' when a personal name says junior or senior, else None."""
    found = _GENERATION.search(name or "")
    if not found:
        return None
    return "jr" if found.group(1).lower().startswith("j") else "sr"


_STREET_NUMBER_TAIL = re.compile(r"\s*\d.*$")


class Profile(NamedTuple):
    """The comparable values of one contact; strings are folded, None when unknown."""

    id: object
    is_company: bool
    name_tokens: str  # folded name words sorted, for names written in another order
    surname: str | None
    given: str | None
    initials: str | None
    gender: str | None  # from a title: 'm' (Dhr.), 'f' (Mevr.)
    particles: str | None
    organisation: str | None
    phones: tuple
    email: str | None
    email_local: str | None
    email_domain: str | None
    postcode: str | None
    house: str | None
    house_base: str | None
    street: str | None
    city: str | None
    birth_year: int | None
    parent_id: object
    generation: str | None = None  # 'jr' or 'sr' from the name


def _getter(contact):
    if isinstance(contact, dict):
        return contact.get
    return lambda name: getattr(contact, name, None)


def _truthy(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes", "y", "ja", "j", "x", "waar")
    return bool(value)


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1850 <= year <= 2100 else None


def build_profile(contact):
    """Return the :class:`Profile` of a :class:`~.records.Contact` (or a dict of its fields).

    All parsing happens here, once per contact, so comparing two profiles never parses.
    """
    get = _getter(contact)
    region = region_code(get("country_code"))
    phones = []
    for field in ("phone", "mobile"):
        phones.extend(phone_numbers(get(field), region))
    phones = list(dict.fromkeys(phones))
    email = normalise_email(get("email"))
    local = domain = None
    if email:
        local, _, domain = email.rpartition("@")
    street_raw = get("street") or ""
    house = house_number(street_raw)
    street = fold(_STREET_NUMBER_TAIL.sub("", str(street_raw))).strip() if street_raw else ""
    name = str(get("name") or "")
    is_company = _truthy(get("is_company"))
    surname = given = initials = particles = organisation = None
    if is_company:
        organisation = organisation_key(name) or None
        name_tokens = organisation or ""
    else:
        given, initials, particles, surname = parse_person_name(name)
        name_tokens = _name_words(name)
    return Profile(
        id=get("id"),
        is_company=is_company,
        name_tokens=name_tokens,
        surname=surname or None,
        given=given or None,
        initials=initials or None,
        gender=None if is_company else title_gender(name),
        particles=particles or None,
        organisation=organisation,
        phones=tuple(phones),
        email=email,
        email_local=local,
        email_domain=domain,
        postcode=postcode_key(get("zip"), region),
        house=house,
        house_base=re.match(r"\d+", house).group(0) if house else None,
        street=street or None,
        city=city_key(get("city")) or None,
        birth_year=_year(get("birth_year")),
        parent_id=get("parent_id") or None,
        generation=None if is_company else generation(name),
    )
