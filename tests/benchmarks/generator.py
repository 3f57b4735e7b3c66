# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Synthetic Dutch and Belgian contacts with known duplicate clusters and hard negatives.

    python tests/benchmarks/generator.py 100000 /tmp/contacts.csv [--seed 7]

writes ``contacts.csv`` (the columns ``./setup/dedupe`` reads) and ``contacts.truth.csv``
(id, cluster): records of one cluster are one real person or organisation.

What is in it, by share of entities (numbers in ``MIX``):
- persons on their own (names from Faker nl_NL / nl_BE plus a Zipf-weighted list of the
  most common real Dutch and Flemish surnames, so namesakes occur as in real life);
- households: two to four people at one address with one landline and one surname (or
  the partner's), different first names, sometimes one family e-mail address;
- parent and child with the same full name at one address and landline, own e-mails;
- employees behind one company switchboard number (2 to 500 per company), e-mail at
  the company domain;
- organisations with legal-form and article variants, and same-named organisations in
  other towns (every village has its 'Harmonie Sint Caecilia').

Duplicates (about one entity in seven) get one to three variant records. A variant
changes, at random: the name form (initials, 'Berg, Jan van der', 'J. vd Berg', 'Van Den
Berg J.', capitals, a title, a typo, diacritics), the e-mail (case, missing, a typo in the
domain, or a wholly other address), the phone (06-, +31, 0031, +31 (0)..., spaces, missing,
or another number), the postcode and street format ('1234ab', 'Kerkstr. 12-A'), a move to
another address, a missing field. The generator was written from what real CRM exports
contain, not from what the engine handles: some duplicates (a move with a new e-mail and
phone) share nothing but a name and cannot be found by anyone.
"""

import argparse
import csv
import random
import re
import sys
import unicodedata

import phonenumbers
from faker.providers.address.nl_BE import Provider as AddressBE
from faker.providers.address.nl_NL import Provider as AddressNL
from faker.providers.person.nl_BE import Provider as PersonBE
from faker.providers.person.nl_NL import Provider as PersonNL

COLUMNS = ["id", "name", "email", "phone", "street", "zip", "city", "country_code", "is_company"]

# Share of entities of each kind (households and companies bring several records each).
MIX = {"person": 0.74, "household": 0.09, "parent_child": 0.02, "company": 0.03, "org": 0.12}
DUPLICATE_RATE = 0.14  # share of persons/organisations with extra records
BELGIAN_SHARE = 0.25

COMMON_SURNAMES_NL = """de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|
Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|
Dijkstra|Smits|de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|
van den Heuvel|van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|
van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|
Prins|Blom|Huisman|Peeters|de Jonge|Kuipers|van Veen|Post|Kuiper|Veenstra|Kramer|
van den Brink|Scholten|van Wijk|Postma|Martens|Vink|de Ruiter|Timmermans|Groen|Gerritsen|
Jonker|van Loon|Boer|van der Velde|Willemsen|Smeets|de Lange|de Vos|Bosch|van Dongen|Schipper|
de Koning|van der Laan|Koning|van der Velden|Driessen|van Doorn|Hermans|Evers|van den Bosch|
van der Meulen|Hofman|Bosman|Wolters|Sanders|van der Horst|Mol|Kuijpers|Molenaar|van de Pol|
de Leeuw|Verbeek|in 't Veld|van 't Hof|ter Horst|ten Cate|op de Beeck|uit den Bogaard|Müller|
van der Zee|Wijnands|van Oosten|Çelik|Y\u0131lmaz|El Amrani|Bouzid|Nguyen""".replace(
    "\n", ""
).split("|")
COMMON_SURNAMES_BE = """Peeters|Janssens|Maes|Jacobs|Mertens|Willems|Claes|Goossens|Wouters|
De Smet|Dubois|Lambert|Dupont|Martens|Vermeulen|Van Damme|Hermans|Pauwels|Michiels|Declercq|
Van den Broeck|Aerts|Leclercq|Desmet|Van de Velde|Cools|Verhaegen|Vandenberghe|Van Den Berghe|
De Backer|Coppens|Segers|Lemmens|Hendrickx|Vandamme|De Clercq|Van Hoof|Verstraete|Bogaert|
Baert|Smets|De Wilde|Lenaerts|D'Hondt|Op de Beeck|Van Acker|Vanhoutte|Geerts|Wuyts""".replace(
    "\n", ""
).split("|")
OLD_MALE_NAMES = """Jan Piet Kees Henk Gerrit Johannes Cornelis Hendrik Willem Klaas Dirk Jacob
Jan-Willem Hendrik-Jan José René André Luc Wim Koen Bart Geert Stijn Frans Jef""".split()
OLD_FEMALE_NAMES = """Maria Anna Johanna Cornelia Elisabeth Hendrika Geertruida Wilhelmina
Margaretha Catharina Joke Ans Truus Marijke Annemarie Anne-Marie Marie-José Renée Hélène Mieke
Els Lieve Sofie Leen""".split()
OLD_FIRST_NAMES = OLD_MALE_NAMES + OLD_FEMALE_NAMES
ORG_KINDS = """Theater|Schouwburg|Muziekcentrum|Poppodium|Filmhuis|Galerie|Museum|Koor|Harmonie|
Orkest|Toneelvereniging|Dansschool|Boekhandel|Architectenbureau|Advocatenkantoor|Drukkerij|
Adviesbureau|Kunstuitleen|Muziekschool|Fanfare|Cultureel Centrum|Zalencentrum|Jazzclub|
Balletschool|Kamerkoor|Stadsarchief|Bibliotheek|Kunstkring|Operagezelschap""".replace(
    "\n", ""
).split("|")
COMMON_ORG_NAMES = """Harmonie Sint Caecilia|Vrienden van het Museum|Fanfare Kunst en Vriendschap|
Toneelvereniging Vriendenkring|Gemengd Koor Con Brio|Muziekvereniging Eensgezindheid|
Oranjevereniging|Kunstkring De Ploeg|Filmhuis De Roode Bioscoop|Volksuniversiteit""".replace(
    "\n", ""
).split("|")
LEGAL_NL = ["Stichting", "B.V.", "N.V.", "Vereniging", "V.O.F.", "Coöperatie U.A."]
LEGAL_BE = ["vzw", "bv", "nv", "BVBA", "asbl"]
PUBLIC_DOMAINS_NL = ["gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl"]
PUBLIC_DOMAINS_BE = ["gmail.com", "telenet.be", "skynet.be", "hotmail.com", "outlook.be"]
NL_AREA_CODES = "10 13 15 20 23 24 26 30 33 35 36 38 40 43 45 46 50 53 55 58 70 71 72 73 75 76 77 78 79 115 117 172 174 180 182 183 184 186 187 222 223 224 226 227 228 229 251 252 255 294 297 299 313 314 315 316 317 318 320 321 341 342 343 344 345 346 347 348 411 412 413 416 418 475 478 481 485 486 487 488 492 493 495 497 499 511 512 513 514 515 516 517 518 519 521 522 523 524 525 527 528 529 541 543 544 545 546 547 548 561 562 566 570 571 572 573 575 591 592 593 594 595 596 597 598 599".split()  # noqa: E501
BE_AREA_CODES = ["2", "3", "9", "4", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59"]
BE_AREA_CODES += ["10", "11", "12", "13", "14", "15", "16", "19", "60", "61", "63", "64", "65"]


def _fold(text):
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


class Generator:
    """Makes the records; ``rng`` is seeded, so a size and seed give one file."""

    def __init__(self, seed=7):
        self.rng = random.Random(seed)
        self.next_id = 1
        self.used_emails = set()
        self.used_phones = set()
        faker_nl = [s for s in PersonNL.last_names if "," not in s and len(s.split()) <= 3]
        faker_be = [s for s in PersonBE.last_names if "," not in s and len(s.split()) <= 3]
        self.surnames = {"NL": self._zipf(COMMON_SURNAMES_NL, faker_nl), "BE": None}
        self.surnames["BE"] = self._zipf(COMMON_SURNAMES_BE, faker_be)
        self.first_names = {
            ("NL", "m"): list(PersonNL.first_names_male),
            ("NL", "f"): list(PersonNL.first_names_female),
            ("BE", "m"): list(PersonBE.first_names_male),
            ("BE", "f"): list(PersonBE.first_names_female),
        }
        self.gender_of = {}
        for (_country, gender), names in self.first_names.items():
            for name in names:
                self.gender_of.setdefault(name, gender)
        for name in OLD_MALE_NAMES:
            self.gender_of[name] = "m"
        for name in OLD_FEMALE_NAMES:
            self.gender_of[name] = "f"
        self.cities = {"NL": list(AddressNL.cities), "BE": list(AddressBE.cities)}
        self.street_bases = list(PersonNL.last_names[:600]) + OLD_FIRST_NAMES
        self.street_suffixes = {
            "NL": list(AddressNL.street_suffixes),
            "BE": list(AddressBE.street_suffixes),
        }

    def _zipf(self, common, tail):
        names = list(dict.fromkeys(common + tail))
        weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(common))]
        weights += [weights[-1] * 0.8] * (len(names) - len(common))
        cumulative, total = [], 0.0
        for w in weights:
            total += w
            cumulative.append(total)
        return names, cumulative

    # --- building blocks -----------------------------------------------------------------

    def country(self):
        return "BE" if self.rng.random() < BELGIAN_SHARE else "NL"

    def surname(self, country):
        names, cumulative = self.surnames[country]
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def first_name(self, country, exclude=()):
        rng = self.rng
        while True:
            gender = rng.choice("mf")
            old = OLD_MALE_NAMES if gender == "m" else OLD_FEMALE_NAMES
            pool = old if rng.random() < 0.3 else self.first_names[(country, gender)]
            name = rng.choice(pool)
            if name not in exclude and _fold(name).lower() not in {
                _fold(e).lower() for e in exclude
            }:
                return name

    def address(self, country):
        rng = self.rng
        base = rng.choice(self.street_bases).replace(" ", "")
        street = base.capitalize() + rng.choice(self.street_suffixes[country])
        number = str(rng.choices([rng.randint(1, 40), rng.randint(1, 300)], [3, 1])[0])
        if rng.random() < 0.15:
            number += rng.choice(["a", "b", "c", "-1", "-2", " bis", "hs"])
        if country == "NL":
            letters = "ABCDEGHJKLMNPRSTVWXZ"
            postcode = f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"
        else:
            postcode = str(rng.randint(1000, 9999))
            if rng.random() < 0.1:
                number += f" bus {rng.randint(1, 20)}"
        return {
            "street": street,
            "number": number,
            "zip": postcode,
            "city": rng.choice(self.cities[country]),
        }

    def phone(self, country, mobile):
        rng = self.rng
        while True:
            if country == "NL":
                if mobile:
                    national = "06" + str(rng.randint(10000000, 59999999))
                else:
                    area = rng.choice(NL_AREA_CODES)
                    national = "0" + area + str(rng.randint(10**8, 10**9 - 1))[: 9 - len(area)]
                    national = national[:10]
            elif mobile:
                national = "04" + rng.choice("6789") + str(rng.randint(1000000, 9999999))
            else:
                area = rng.choice(BE_AREA_CODES)
                national = "0" + area + str(rng.randint(10**7, 10**8 - 1))[: 8 - len(area)]
            if national in self.used_phones:
                continue
            if phonenumbers.is_valid_number(phonenumbers.parse(national, country)):
                self.used_phones.add(national)
                return national

    def email(self, given, surname, country, domain=None):
        rng = self.rng
        g = _fold(given).lower().replace(" ", "").replace("'", "")
        s = _fold(surname).lower().replace(" ", "").replace("'", "")
        for _attempt in range(20):
            local = rng.choice(
                [
                    f"{g}.{s}",
                    f"{g[0]}.{s}",
                    f"{g}{s}",
                    f"{g}{rng.randint(1, 99)}",
                    f"{s}.{g}",
                    f"{g[0]}{s}{rng.randint(50, 99)}",
                    f"{g}_{s}",
                ]
            )
            host = domain or rng.choice(PUBLIC_DOMAINS_NL if country == "NL" else PUBLIC_DOMAINS_BE)
            address = f"{local}@{host}"
            # Two mailboxes at one provider never differ only by dots or dashes.
            mailbox = (re.sub(r"[._-]", "", local), host)
            if mailbox not in self.used_emails:
                self.used_emails.add(mailbox)
                return address
        return f"{g}.{s}.{self.next_id}@{domain or 'gmail.com'}"

    # --- entities ----------------------------------------------------------------------------

    def person(self, country, surname=None, given=None, address=None, landline=None):
        rng = self.rng
        surname = surname or self.surname(country)
        given = given or self.first_name(country)
        has_mobile = rng.random() < 0.55
        phone = None
        if landline and rng.random() < 0.8:
            phone = landline
        elif has_mobile:
            phone = self.phone(country, True)
        elif rng.random() < 0.3:
            phone = self.phone(country, False)
        return {
            "kind": "person",
            "given": given,
            "surname": surname,
            "email": self.email(given, surname, country) if rng.random() < 0.75 else None,
            "phone": phone,
            "address": address or (self.address(country) if rng.random() < 0.85 else None),
            "country": country,
        }

    def organisation(self, country, name=None):
        rng = self.rng
        if name is None:
            kind = rng.choice(ORG_KINDS)
            core = rng.choice(
                [
                    self.surname(country),
                    rng.choice(self.cities[country]),
                    rng.choice(self.street_bases),
                ]
            )
            article = rng.choice(["", "", "", "De ", "Het ", "'t "])
            name = f"{kind} {article}{core}".replace("  ", " ")
        legal = rng.choice(LEGAL_NL if country == "NL" else LEGAL_BE)
        domain = _fold(name).lower()
        domain = (
            "".join(ch for ch in domain if ch.isalnum())[:20]
            + f"{rng.randint(1, 999)}."
            + country.lower()
        )
        return {
            "kind": "org",
            "name": name,
            "legal": legal,
            "legal_first": legal in ("Stichting", "Vereniging", "Coöperatie U.A.")
            and rng.random() < 0.8,
            "email": f"info@{domain}" if rng.random() < 0.7 else None,
            "domain": domain,
            "phone": self.phone(country, False) if rng.random() < 0.75 else None,
            "address": self.address(country) if rng.random() < 0.9 else None,
            "country": country,
        }

    # --- rendering a record, plain or as a variant ------------------------------------------

    def person_name(self, e, variant):
        rng = self.rng
        given, surname = e["given"], e["surname"]
        particle, core = "", surname
        words = surname.split()
        lower_words = [
            w
            for w in words
            if w[0].islower()
            or w.lower() in ("van", "de", "den", "der", "op", "in", "'t", "ten", "ter", "uit")
        ]
        if len(words) > 1 and lower_words and words[0] in lower_words:
            split = 0
            while split < len(words) - 1 and words[split] in lower_words:
                split += 1
            particle, core = " ".join(words[:split]), " ".join(words[split:])
        if not variant:
            return f"{given} {surname}"
        if rng.random() < 0.12:
            core = self.typo(core)
        if rng.random() < 0.08:
            given = self.typo(given)
        if rng.random() < 0.1:
            given, core = _fold(given), _fold(core)
        initials = "".join(p[0] + "." for p in given.replace("-", " ").split())
        if particle in ("van der", "van den", "van de") and rng.random() < 0.5:
            particle = rng.choice(["v.d.", "vd", "v/d"]) if particle != "van de" else "v.d."
        forms = [
            lambda: f"{given} {particle} {core}",
            lambda: f"{initials} {particle} {core}",
            lambda: f"{core}, {given} {particle}",
            lambda: f"{core}, {initials} {particle}",
            lambda: f"{particle.title()} {core} {initials}" if particle else f"{core} {initials}",
            lambda: f"{self.title(e['given'])} {initials} {particle} {core}",
            lambda: f"{given} {particle} {core}".upper(),
            lambda: f"{given} {particle} {core}".lower(),
        ]
        return " ".join(rng.choice(forms)().replace(" ,", ",").split()).rstrip(",")

    def title(self, given):
        rng = self.rng
        if rng.random() < 0.15:
            return rng.choice(["Dr.", "Ir.", "Drs.", "Mr."])
        if self.gender_of.get(given, "m") == "m":
            return rng.choice(["Dhr.", "de heer", "Dhr"])
        return rng.choice(["Mevr.", "Mw.", "mevrouw"])

    def org_name(self, e, variant):
        rng = self.rng
        name, legal = e["name"], e["legal"]
        if not variant:
            return f"{legal} {name}" if e["legal_first"] else f"{name} {legal}"
        if rng.random() < 0.1:
            name = self.typo(name)
        if rng.random() < 0.3:
            for article in ("De ", "Het ", "'t "):
                name = name.replace(article, "")
        abbreviated = {
            "Stichting": ["St.", "Stg.", "Stichting", ""],
            "B.V.": ["BV", "bv", "B.V.", ""],
            "N.V.": ["NV", "N.V.", ""],
            "Vereniging": ["Ver.", "Vereniging", ""],
            "V.O.F.": ["VOF", "vof", ""],
            "Coöperatie U.A.": ["Cooperatie", "Coöperatie", "U.A.", ""],
        }.get(legal, [legal, legal.upper(), ""])
        legal = rng.choice(abbreviated)
        form = rng.choice(["first", "last", "upper"])
        text = f"{legal} {name}" if form == "first" else f"{name} {legal}"
        return " ".join((text.upper() if form == "upper" else text).split())

    def typo(self, word):
        rng = self.rng
        if len(word) < 4:
            return word
        swaps = [
            ("ij", "y"),
            ("y", "ij"),
            ("ss", "s"),
            ("dt", "t"),
            ("ae", "aa"),
            ("c", "k"),
            ("ei", "ij"),
        ]
        rng.shuffle(swaps)
        for old, new in swaps[:2]:
            if old in word and rng.random() < 0.5:
                return word.replace(old, new, 1)
        i = rng.randint(1, len(word) - 2)
        kind = rng.random()
        if kind < 0.33:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind < 0.66:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    def phone_text(self, national, country, variant):
        rng = self.rng
        if not national:
            return ""
        digits = national[1:]
        cc = "31" if country == "NL" else "32"
        if not variant and rng.random() < 0.6:
            return national[:2] + "-" + national[2:] if national.startswith("06") else national
        forms = [
            lambda: national,
            lambda: f"{national[:2]}-{national[2:]}"
            if national.startswith("06")
            else f"{national[:4]}-{national[4:]}",
            lambda: f"+{cc}{digits}",
            lambda: f"+{cc} {digits[:1]} {digits[1:5]} {digits[5:]}",
            lambda: f"00{cc}{digits}",
            lambda: f"+{cc} (0){digits}",
            lambda: " ".join(national[i : i + 2] for i in range(0, len(national), 2)),
            lambda: f"{national[:4]}/{national[4:6]}.{national[6:8]}.{national[8:]}",
        ]
        return rng.choice(forms)()

    def address_fields(self, address, variant):
        rng = self.rng
        if not address:
            return "", "", ""
        street, number, postcode, city = (
            address["street"],
            address["number"],
            address["zip"],
            address["city"],
        )
        if variant:
            if rng.random() < 0.2:
                street = street.replace("straat", "str.").replace("laan", "ln.")
            if rng.random() < 0.3 and number[-1:].isalpha() and not number.endswith(("bis", "hs")):
                number = number[:-1] + rng.choice(["-", " ", ""]) + number[-1].upper()
            if rng.random() < 0.4:
                postcode = rng.choice([postcode.replace(" ", ""), postcode.lower(), postcode])
            if rng.random() < 0.15:
                city = city.upper()
            if rng.random() < 0.08:
                return f"{street} {number}", "", city
            if rng.random() < 0.05:
                return "", postcode, city
        return f"{street} {number}", postcode, city

    def record(self, e, cluster, variant=False):
        rng = self.rng
        if e["kind"] == "org":
            name = self.org_name(e, variant)
        else:
            name = self.person_name(e, variant)
        email, phone, address = e["email"], e["phone"], e["address"]
        if variant:
            roll = rng.random()
            if roll < 0.25:
                email = None
            elif roll < 0.33 and email:
                email = email.upper() if rng.random() < 0.5 else email.capitalize()
            elif roll < 0.38 and email:
                email = email.replace("gmail", "gmial").replace("hotmail", "hotmial")
            elif roll < 0.48 and e["kind"] == "person":
                email = self.email(e["given"], e["surname"], e["country"])  # a second address
            if rng.random() < 0.3:
                phone = None
            elif rng.random() < 0.08:
                phone = self.phone(e["country"], e["kind"] == "person")
            if rng.random() < 0.1:
                address = self.address(e["country"])  # moved
        street, postcode, city = self.address_fields(address, variant)
        if email and rng.random() < 0.05:
            email = f" {email} "
        record = {
            "id": self.next_id,
            "name": name,
            "email": email or "",
            "phone": self.phone_text(phone, e["country"], variant),
            "street": street,
            "zip": postcode,
            "city": city,
            "country_code": e["country"] if rng.random() < 0.97 else "",
            "is_company": "1" if e["kind"] == "org" else "0",
        }
        self.next_id += 1
        return record, cluster

    # --- the whole file ----------------------------------------------------------------------

    def generate(self, size):
        """Yield (record, cluster id) until ``size`` records are made."""
        rng = self.rng
        kinds, weights = list(MIX), list(MIX.values())
        cluster = 0
        made = 0
        while made < size:
            kind = rng.choices(kinds, weights)[0]
            country = self.country()
            entities = []
            if kind == "person":
                entities = [self.person(country)]
            elif kind == "org":
                name = rng.choice(COMMON_ORG_NAMES) if rng.random() < 0.1 else None
                entities = [self.organisation(country, name)]
            elif kind == "household":
                address = self.address(country)
                landline = self.phone(country, False)
                surname = self.surname(country)
                given = []
                for _member in range(rng.choice([2, 2, 2, 3, 4])):
                    given.append(self.first_name(country, exclude=given))
                family_email = None
                if rng.random() < 0.25:
                    family_email = self.email("fam", surname, country)
                for first in given:
                    partner_surname = surname if rng.random() < 0.7 else self.surname(country)
                    member = self.person(country, partner_surname, first, address, landline)
                    if family_email:
                        member["email"] = family_email
                    entities.append(member)
            elif kind == "parent_child":
                address = self.address(country)
                landline = self.phone(country, False)
                surname, first = self.surname(country), self.first_name(country)
                for _generation in range(2):
                    member = self.person(country, surname, first, address, landline)
                    member["email"] = self.email(first, surname, country)
                    entities.append(member)
            elif kind == "company":
                org = self.organisation(country)
                org["phone"] = org["phone"] or self.phone(country, False)
                entities.append(org)
                staff = (
                    rng.choice([2, 3, 5, 8, 12, 20])
                    if rng.random() < 0.97
                    else rng.randint(50, 500)
                )
                given_used = []
                for _employee in range(staff):
                    first = self.first_name(country)
                    surname = self.surname(country)
                    member = self.person(country, surname, first, org["address"], org["phone"])
                    member["phone"] = org["phone"]
                    member["email"] = self.email(first, surname, country, domain=org["domain"])
                    given_used.append(first)
                    entities.append(member)
            for entity in entities:
                cluster += 1
                yield self.record(entity, cluster)
                made += 1
                if entity["kind"] in ("person", "org") and rng.random() < DUPLICATE_RATE:
                    for _copy in range(rng.choices([1, 2, 3], [80, 15, 5])[0]):
                        yield self.record(entity, cluster, variant=True)
                        made += 1


def write(size, path, seed=7):
    """Write ``size`` records to ``path`` and the truth to ``path`` with '.truth.csv'.
    Returns (records, clusters with more than one record)."""
    truth_path = path[: -len(".csv")] + ".truth.csv" if path.endswith(".csv") else path + ".truth"
    generator = Generator(seed)
    sizes = {}
    rows = list(generator.generate(size))[:size]
    random.Random(seed + 1).shuffle(rows)  # duplicates are not next to each other in a CRM
    with (
        open(path, "w", newline="", encoding="utf-8") as contacts,
        open(truth_path, "w", newline="", encoding="utf-8") as truth,
    ):
        out = csv.DictWriter(contacts, COLUMNS)
        out.writeheader()
        truth_out = csv.writer(truth)
        truth_out.writerow(["id", "cluster"])
        for record, cluster in rows:
            out.writerow(record)
            truth_out.writerow([record["id"], cluster])
            sizes[cluster] = sizes.get(cluster, 0) + 1
    return len(rows), sum(1 for n in sizes.values() if n > 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int)
    parser.add_argument("path")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    records, clusters = write(args.size, args.path, args.seed)
    print(f"{records} records, {clusters} duplicate clusters -> {args.path}")


if __name__ == "__main__":
    sys.exit(main())
