# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Buyers to contacts, a batch at a time: e-mail, E.164 phone, then similar contacts.

Each step is one query for the whole batch (``pipeline.identity`` decides on what the
queries found). Buyers nobody resembles become new contacts, one per person even when
the batch holds several orders of theirs.
"""

import dataclasses

from rapidfuzz import fuzz

from odoo.addons.culture_crm.matching import normalise
from odoo.tools import SQL

from ..pipeline import identity
from ..pipeline.identity import EMAIL, NEW, PHONE, Verdict

PARTNER_FIELDS = ["name", "email", "phone", "mobile", "zip", "street", "city", "country_id"]


@dataclasses.dataclass(frozen=True)
class PersonKeys:
    """The match keys of a person as the ticketing system gave them."""

    name: str
    email: str | None
    phone: str | None
    postcode: str | None
    surname: str | None
    house_number: str | None

    @property
    def blocking_key(self):
        """Who, in one batch, is surely the same new person."""
        if self.email:
            return ("email", self.email)
        if self.phone:
            return ("phone", self.phone)
        if self.surname:
            return ("name", normalise.fold(self.name), self.postcode)
        return None


def person_name(person):
    if person.name:
        return person.name
    return " ".join(part for part in (person.given_name, person.family_name) if part) or ""


def name_similarity(name_a, name_b):
    """0..1: how alike two personal names are, order and diacritics ignored."""
    a, b = normalise.fold(name_a), normalise.fold(name_b)
    if not a or not b:
        return 0.0
    score = fuzz.token_sort_ratio(a, b) / 100
    if normalise.surname_key(name_a) and normalise.surname_key(name_a) == normalise.surname_key(
        name_b
    ):
        given_a, initials_a = normalise.given_name_and_initials(name_a)
        given_b, initials_b = normalise.given_name_and_initials(name_b)
        if given_a and given_b and given_a == given_b:
            score = max(score, 1.0)
        elif initials_a and initials_b and initials_a[:1] == initials_b[:1]:
            score = max(score, 0.9)
    return score


class IdentityResolver:
    """Resolves the people of one batch to contact ids (creating contacts as needed)."""

    def __init__(self, backend, thresholds=None):
        self.backend = backend
        self.env = backend.env
        self.region = backend.default_country_id.code or normalise.DEFAULT_REGION
        self.thresholds = thresholds or identity.Thresholds()
        self.Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )

    # --- keys ---------------------------------------------------------------------------------
    def keys(self, person):
        region = person.country_code or self.region
        name = person_name(person)
        return PersonKeys(
            name=name,
            email=normalise.normalise_email(person.email),
            phone=normalise.phone_e164(person.phone, region),
            postcode=normalise.postcode_key(person.zip, region),
            surname=normalise.surname_key(name) or None,
            house_number=normalise.house_number(person.street),
        )

    # --- the three lookups ------------------------------------------------------------------
    def _by_email(self, emails):
        if not emails:
            return {}
        found = {}
        partners = self.Partner.search_fetch(
            [("email_normalized", "in", sorted(emails))], ["email_normalized", "name"]
        )
        for partner in partners:
            found.setdefault(partner.email_normalized, []).append(partner)
        return found

    def _by_phone(self, phones):
        """Contacts whose phone or mobile has one of these E.164 numbers."""
        if not phones:
            return {}
        # The last nine digits select few rows in SQL; Python confirms the full number.
        tails = sorted({phone[-9:] for phone in phones})
        self.env["res.partner"].flush_model(["phone", "mobile", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE active AND (
                       right(regexp_replace(phone, '[^0-9]', '', 'g'), 9) = ANY(%(tails)s)
                    OR right(regexp_replace(mobile, '[^0-9]', '', 'g'), 9) = ANY(%(tails)s))
                """,
                tails=tails,
            )
        )
        candidates = self.Partner.browse([row[0] for row in self.env.cr.fetchall()])
        found = {}
        for partner in candidates:
            region = partner.country_id.code or self.region
            numbers = {
                normalise.phone_e164(partner.phone, region),
                normalise.phone_e164(partner.mobile, region),
            }
            for number in numbers & phones:
                found.setdefault(number, []).append(partner)
        return found

    def _similar(self, keys_list):
        """Blocking: contacts sharing a postcode or a surname with anyone in the batch."""
        postcodes = sorted({keys.postcode for keys in keys_list if keys.postcode})
        surnames = sorted({keys.surname for keys in keys_list if keys.surname})
        if not postcodes and not surnames:
            return self.Partner
        self.env["res.partner"].flush_model(["zip", "name", "active", "is_company"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE active AND NOT is_company AND (
                       upper(regexp_replace(zip, '[^0-9A-Za-z]', '', 'g')) = ANY(%(postcodes)s)
                    OR lower(name) LIKE ANY(%(surnames)s))
                """,
                postcodes=postcodes,
                surnames=[f"%{surname.split('-')[0]}%" for surname in surnames],
            )
        )
        return self.Partner.browse([row[0] for row in self.env.cr.fetchall()])

    # --- scoring ------------------------------------------------------------------------------
    def score(self, keys, partner):
        """0..1: how likely this contact is the person with these keys."""
        score = 0.6 * name_similarity(keys.name, partner.name)
        region = partner.country_id.code or self.region
        if keys.postcode and keys.postcode == normalise.postcode_key(partner.zip, region):
            score += 0.25
            if keys.house_number and keys.house_number == normalise.house_number(partner.street):
                score += 0.15
        if keys.email and keys.email == normalise.normalise_email(partner.email):
            score += 0.15
        return min(score, 1.0)

    # --- the batch ----------------------------------------------------------------------------
    def resolve(self, people):
        """Verdicts for ``people`` (PersonRecords), in order; every verdict but those of
        empty people names a contact, new ones created here in one ``create``."""
        keys_list = [self.keys(person) for person in people]
        verdicts = [None] * len(people)

        by_email = self._by_email({keys.email for keys in keys_list if keys.email})
        for index, keys in enumerate(keys_list):
            holders = by_email.get(keys.email)
            if holders:
                verdicts[index] = identity.judge_exact(
                    EMAIL,
                    [(p.id, name_similarity(keys.name, p.name)) for p in holders],
                    self.thresholds,
                )

        todo = [i for i, verdict in enumerate(verdicts) if verdict is None]
        by_phone = self._by_phone({keys_list[i].phone for i in todo if keys_list[i].phone})
        for index in todo:
            holders = by_phone.get(keys_list[index].phone)
            if holders:
                keys = keys_list[index]
                verdicts[index] = identity.judge_exact(
                    PHONE,
                    [(p.id, name_similarity(keys.name, p.name)) for p in holders],
                    self.thresholds,
                )

        todo = [i for i, verdict in enumerate(verdicts) if verdict is None and keys_list[i].name]
        if todo:
            candidates = self._similar([keys_list[i] for i in todo])
            for index in todo:
                keys = keys_list[index]
                blocked = candidates.filtered(lambda p, k=keys: self._shares_block(k, p))
                verdicts[index] = identity.judge_fuzzy(
                    [(p.id, self.score(keys, p)) for p in blocked], self.thresholds
                )
        self._create_new_contacts(people, keys_list, verdicts)
        return verdicts

    def _shares_block(self, keys, partner):
        region = partner.country_id.code or self.region
        if keys.postcode and keys.postcode == normalise.postcode_key(partner.zip, region):
            return True
        return bool(keys.surname) and keys.surname == normalise.surname_key(partner.name)

    def _create_new_contacts(self, people, keys_list, verdicts):
        """One new contact per distinct new person; an empty person gets none."""
        groups = {}
        for index, verdict in enumerate(verdicts):
            if verdict is not None and verdict.method != NEW:
                continue
            keys = keys_list[index]
            block = keys.blocking_key
            if block is None:
                verdicts[index] = None
                continue
            groups.setdefault(block, []).append(index)
        if not groups:
            return
        indexes = list(groups.values())
        partners = self.Partner.create(
            [self._partner_values(people[group[0]], keys_list[group[0]]) for group in indexes]
        )
        for partner, group in zip(partners, indexes, strict=True):
            for index in group:
                verdicts[index] = Verdict(partner.id, NEW, 1.0)

    def _partner_values(self, person, keys):
        values = {
            "name": keys.name or person.email or person.phone,
            "email": person.email,
            "phone": normalise.phone_international(person.phone, self.region) or person.phone,
            "street": person.street,
            "zip": person.zip and normalise.format_postcode(person.zip, person.country_code),
            "city": person.city,
            "company_name": person.company,
            "lang": self._lang(person.language),
        }
        country = self._country(person.country_code)
        if country:
            values["country_id"] = country
        return {key: value for key, value in values.items() if value}

    def _country(self, code):
        if not code:
            return self.backend.default_country_id.id
        if not hasattr(self, "_countries"):
            self._countries = {
                country.code: country.id
                for country in self.env["res.country"].search_fetch([], ["code"])
            }
        return self._countries.get(code.upper())

    def _lang(self, language):
        if not language:
            return None
        if not hasattr(self, "_langs"):
            self._langs = [code for code, _name in self.env["res.lang"].get_installed()]
        language = language.replace("-", "_")
        for code in self._langs:
            if code == language or code.split("_")[0] == language.split("_")[0].lower():
                return code
        return None
