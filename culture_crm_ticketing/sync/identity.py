# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Buyers to contacts, a batch at a time: e-mail, E.164 phone, then the duplicate engine.

Each step is one query for the whole batch, on indexed columns: Odoo's
``email_normalized``, culture_crm's stored E.164 ``match_phone``/``match_mobile``, and
the duplicate engine's blocking keys (a GIN lookup). The engine scores the candidates a
buyer shares a blocking key with; ``pipeline.identity`` decides what the scores mean.
Buyers nobody resembles become new contacts, one per person even when the batch holds
several orders of theirs.
"""

import copy
import dataclasses
import functools

from odoo.addons.culture_crm.matching import engine, normalise

from ..pipeline import identity
from ..pipeline.identity import EMAIL, NEW, PHONE, Verdict


@dataclasses.dataclass
class PersonKeys:
    """How a person as the ticketing system gave them is looked up and told apart."""

    name: str
    email: str | None
    phones: tuple[str, ...]  # E.164, the mobile (more personal) before the phone
    contact: engine.Contact

    @functools.cached_property
    def profile(self):
        """The engine's parsed form of the person, made once however often it is used."""
        return engine.MatchEngine.profile(self.contact)

    @property
    def batch_keys(self):
        """What makes two new people of one batch surely one person: the same e-mail
        address, or the same phone number under the same name (a household's landline
        is shared by several people); with neither, the same name and postcode. Empty
        for a person with nothing to go by."""
        name = normalise.fold(self.name) if self.name else None
        keys = []
        if self.email:
            keys.append(("email", self.email))
        for phone in self.phones:
            keys.append(("phone", phone, name))
        if not keys and name:
            keys.append(("name", name, normalise.postcode_key(self.contact.zip)))
        return keys


# Languages as exports name them, in Dutch, French, German and English (folded).
LANGUAGE_NAMES = {
    **dict.fromkeys(("nederlands", "dutch", "vlaams", "neerlandais", "niederlandisch"), "nl"),
    **dict.fromkeys(("engels", "english", "anglais", "englisch"), "en"),
    **dict.fromkeys(("frans", "french", "francais", "franzosisch"), "fr"),
    **dict.fromkeys(("duits", "german", "deutsch", "allemand"), "de"),
}


class DefaultsOnce:
    """res.partner's default values, asked once for all the new contacts of a batch.

    ``create`` asks ``default_get`` for every field a contact's values leave out, once
    per contact: a walk over all of res.partner's fields (a few hundred, with every
    addon's) that gives the same answer for each buyer of a batch. Put in the context
    under ``CONTEXT_KEY``, this asks once per set of given fields (a buyer without a
    phone leaves out one field more) and hands each contact its own copy.
    """

    CONTEXT_KEY = "culture_ticketing_defaults_once"

    def __init__(self):
        self._defaults = {}  # frozenset of given fields -> {field: default}

    def complete(self, values, add_missing_defaults):
        """``values`` with the defaults of the fields they leave out, as
        ``add_missing_defaults(values)`` (Odoo's) gives them, asked once per field set."""
        given = frozenset(values)
        defaults = self._defaults.get(given)
        if defaults is None:
            completed = add_missing_defaults(values)
            defaults = {name: value for name, value in completed.items() if name not in given}
            self._defaults[given] = defaults
        # A copy each: the defaults of x2many fields are lists of commands.
        return {**copy.deepcopy(defaults), **values}


def person_name(person):
    if person.name:
        return person.name
    return " ".join(part for part in (person.given_name, person.family_name) if part) or ""


class IdentityResolver:
    """Resolves the people of one batch to contact ids (creating contacts as needed)."""

    def __init__(self, backend):
        self.backend = backend
        self.env = backend.env
        self.region = backend.default_country_id.code or normalise.DEFAULT_REGION
        self.engine = self.env["culture.duplicate.candidate"]._engine()
        self.thresholds = identity.Thresholds(
            certain=self.engine.thresholds.certain / 100,
            likely=self.engine.thresholds.likely / 100,
        )
        self.Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        self.house_emails = identity.parse_house_emails(backend.house_emails)
        self._countries = None
        self._langs = None

    # --- keys ---------------------------------------------------------------------------------
    def keys(self, person):
        region = (person.country_code or self.region).upper()
        name = person_name(person)
        phones = (normalise.phone_e164(number, region) for number in (person.mobile, person.phone))
        return PersonKeys(
            name=name,
            email=normalise.normalise_email(person.email),
            phones=tuple(dict.fromkeys(phone for phone in phones if phone)),
            contact=engine.Contact(
                id=None,
                name=name,
                email=person.email or "",
                phone=person.phone or "",
                mobile=person.mobile or "",
                street=person.street or "",
                zip=person.zip or "",
                city=person.city or "",
                country_code=region,
                is_company=False,
            ),
        )

    # --- the lookups ----------------------------------------------------------------------
    def _holders(self, field_names, values):
        """``({value: [partner ids]}, {partner id: folded name})`` of active contacts
        holding a value in a field."""
        if not values:
            return {}, {}
        domain = ["|"] * (len(field_names) - 1)
        domain += [(name, "in", sorted(values)) for name in field_names]
        found, names = {}, {}
        for partner in self.Partner.search_fetch(domain, [*field_names, "name"]):
            names[partner.id] = normalise.fold(partner.name or "")
            for name in field_names:
                if partner[name] in values:
                    found.setdefault(partner[name], []).append(partner.id)
        return found, names

    def _similar(self, keys_list):
        """``(contacts, keys)``: engine Contacts sharing a blocking key with anyone in the
        batch, and each one's blocking keys (two queries, both on indexes)."""
        wanted = set()
        for keys in keys_list:
            wanted |= self.engine.blocking_keys(keys.profile)
        holder_ids = self.Partner._culture_key_holders(wanted)
        if not holder_ids:
            return {}, {}
        return (
            self.Partner._culture_engine_contacts(holder_ids),
            self.Partner._culture_keys_of(holder_ids),
        )

    # --- the batch ----------------------------------------------------------------------------
    def resolve(self, people):
        """Verdicts for ``people`` (PersonRecords), in order; every verdict but those of
        empty people names a contact, new ones created here in one ``create``.

        A placeholder e-mail address or name (a sale at the desk) counts as not given.
        """
        people = [identity.without_placeholders(p, self.house_emails) for p in people]
        keys_list = [self.keys(person) for person in people]
        verdicts = [None] * len(people)
        exact = [
            (EMAIL, ["email_normalized"], lambda k: (k.email,) if k.email else ()),
            (PHONE, ["match_phone", "match_mobile"], lambda k: k.phones),
        ]
        scored_contacts = {}
        for method, field_names, keys_of in exact:
            todo = [
                i for i, verdict in enumerate(verdicts) if verdict is None and keys_of(keys_list[i])
            ]
            holders, holder_names = self._holders(
                field_names, {key for i in todo for key in keys_of(keys_list[i])}
            )
            if not holders:
                continue
            # The contacts holding any of a buyer's keys (a mobile and a phone may be two).
            held = {
                i: list(
                    dict.fromkeys(
                        pid for key in keys_of(keys_list[i]) for pid in holders.get(key, ())
                    )
                )
                for i in todo
            }
            # Several holders are weighed by name; so is one holder whose name is not the
            # buyer's ('Piet' buying with the e-mail address of 'Anna de Vries').
            to_score = {pid for ids in held.values() if len(ids) > 1 for pid in ids}
            for index in todo:
                ids = held[index]
                if len(ids) == 1 and self._other_name(keys_list[index], holder_names[ids[0]]):
                    to_score.add(ids[0])
            scored_contacts.update(
                self.Partner._culture_engine_contacts(to_score - set(scored_contacts))
            )
            for index in todo:
                ids = held[index]
                if not ids:
                    continue
                if len(ids) == 1 and not self._other_name(keys_list[index], holder_names[ids[0]]):
                    verdicts[index] = identity.judge_exact(method, [(ids[0], 1.0)], self.thresholds)
                    continue
                scored = [
                    (pid, self._score(keys_list[index], scored_contacts.get(pid))) for pid in ids
                ]
                verdicts[index] = identity.judge_exact(method, scored, self.thresholds)

        todo = [i for i, verdict in enumerate(verdicts) if verdict is None and keys_list[i].name]
        if todo:
            contacts, contact_keys = self._similar([keys_list[i] for i in todo])
            profiles = {}  # parsed on first use: most candidates share no key with anyone
            holders_of = {}  # blocking key -> the candidates holding it
            for pid, holder_keys in contact_keys.items():
                for key in holder_keys:
                    holders_of.setdefault(key, []).append(pid)
            for index in todo:
                keys = keys_list[index]
                shared = {
                    pid
                    for key in self.engine.blocking_keys(keys.profile)
                    for pid in holders_of.get(key, ())
                    if pid in contacts
                }
                for pid in shared - set(profiles):
                    profiles[pid] = self.engine.profile(contacts[pid])
                candidates = [profiles[pid] for pid in sorted(shared)]
                matches = self.engine.match_against(keys.profile, candidates)
                verdicts[index] = identity.judge_fuzzy(
                    [(match.id_b, match.score / 100) for match in matches], self.thresholds
                )
        self._create_new_contacts(people, keys_list, verdicts)
        return verdicts

    @staticmethod
    def _other_name(keys, holder_name):
        """True when the buyer gave a name and it is not, as written, the holder's."""
        return bool(keys.name) and normalise.fold(keys.name) != holder_name

    def _score(self, keys, contact):
        """0..1: how alike a person and a contact holding their e-mail or phone are."""
        if contact is None:
            return 0.0
        score, _reasons = self.engine.explain(keys.profile, contact)
        return score / 100

    def _create_new_contacts(self, people, keys_list, verdicts):
        """One new contact per distinct new person; an empty person gets none.

        People of the batch that share a key (``PersonKeys.batch_keys``) are one person,
        also through a third: Sanne's work address in one order, her mobile with her
        home address in another, both numbers in a third.
        """
        first_of = {}  # batch key -> the first person holding it
        group_of = {}  # person -> the first person of their group (union-find)

        def root(index):
            while group_of[index] != index:
                group_of[index] = group_of[group_of[index]]
                index = group_of[index]
            return index

        for index, verdict in enumerate(verdicts):
            if verdict is not None and verdict.method != NEW:
                continue
            batch_keys = keys_list[index].batch_keys
            if not batch_keys:
                verdicts[index] = None
                continue
            group_of[index] = index
            for key in batch_keys:
                if key not in first_of:
                    first_of[key] = index
                    continue
                one, other = sorted((root(first_of[key]), root(index)))
                group_of[other] = one
        if not group_of:
            return
        groups = {}
        for index in sorted(group_of):
            groups.setdefault(root(index), []).append(index)
        alike = self._alike_in_batch(list(groups), keys_list)
        indexes = [group for first, group in groups.items() if first not in alike]
        Partner = self.Partner.with_context(**{DefaultsOnce.CONTEXT_KEY: DefaultsOnce()})
        partners = Partner.create(
            [self._partner_values(people[group[0]], keys_list[group[0]]) for group in indexes]
        )
        self._skip_empty_images(partners)
        contact_of = {}  # first person of a group -> its new contact
        for partner, group in zip(partners, indexes, strict=True):
            contact_of[group[0]] = partner.id
            for index in group:
                verdicts[index] = Verdict(partner.id, NEW, 1.0)
        for first, found in alike.items():
            verdict = dataclasses.replace(
                found,
                partner_id=contact_of[found.partner_id],
                candidate_ids=tuple(contact_of[c] for c in found.candidate_ids),
            )
            for index in groups[first]:
                verdicts[index] = verdict

    def _skip_empty_images(self, partners):
        """A buyer comes without a picture. The stored smaller sizes of the picture
        (``image_128``... related to ``image_1920``) would each still be computed, a
        write per contact and size, to stay as empty as they are: drop that work."""
        if any(partners.mapped("image_1920")):  # read from the cache of the create
            return
        for field in partners._fields.values():
            if field.store and field.related == "image_1920":
                self.env.remove_to_compute(field, partners)

    def _alike_in_batch(self, firsts, keys_list):
        """``{first person of a group: fuzzy Verdict}`` for the new people whom the engine
        finds in an earlier new person of this batch ('J. de Vries' after 'Jan de Vries'
        at one address), judged as against contacts (over two batches the earlier one
        would be a contact by then): certain, they are that person; likely, a steward
        decides. The verdicts name first persons, not contacts yet."""
        found, profiles, holders = {}, {}, {}  # holders: blocking key -> first persons
        for first in firsts:
            keys = keys_list[first]
            if not keys.name:
                continue
            profile = keys.profile._replace(id=-(first + 1))
            blocking = self.engine.blocking_keys(profile)
            earlier = sorted({other for key in blocking for other in holders.get(key, ())})
            if earlier:
                matches = self.engine.match_against(profile, [profiles[o] for o in earlier])
                verdict = identity.judge_fuzzy(
                    [(-match.id_b - 1, match.score / 100) for match in matches], self.thresholds
                )
                if verdict.partner_id is not None:
                    found[first] = verdict
                    continue
            profiles[first] = profile
            for key in blocking:
                holders.setdefault(key, []).append(first)
        return found

    def _partner_values(self, person, keys):
        region = (person.country_code or self.region).upper()
        values = {
            "name": normalise.display_person_name(keys.name)
            or person.email
            or person.phone
            or person.mobile,
            "email": person.email,
            "phone": normalise.phone_international(person.phone, region) or person.phone,
            "mobile": normalise.phone_international(person.mobile, region) or person.mobile,
            "street": person.street,
            "zip": person.zip and normalise.format_postcode(person.zip, region),
            "city": person.city,
            "company_name": person.company,
            "lang": self._lang(person.language, region),
            "country_id": self._country(person.country_code),
        }
        values = {key: value for key, value in values.items() if value}
        # The salesperson a new contact gets from its company; a buyer has none. Given,
        # it spares create() building a throwaway record per buyer to compute it.
        values["user_id"] = False
        return values

    def _country(self, code):
        if not code:
            return self.backend.default_country_id.id
        if self._countries is None:
            self._countries = {
                country.code: country.id
                for country in self.env["res.country"].search_fetch([], ["code"])
            }
        return self._countries.get(code.upper())

    def _lang(self, language, region):
        """An installed language for what the ticketing system says: a code ('nl',
        'nl-informal', 'fr_BE') or, from an export's column, a name ('Nederlands',
        'Français', 'English'). A code without a country takes the variant of ``region``
        (the buyer's country, else the backend's) where it is installed. A language that
        is not installed gives none."""
        if not language:
            return None
        if self._langs is None:
            self._langs = [code for code, _name in self.env["res.lang"].get_installed()]
        language = LANGUAGE_NAMES.get(normalise.fold(language).strip(), language)
        language = language.replace("-", "_")
        if language in self._langs:
            return language
        base = language.split("_")[0].lower()
        # 'nl' (or pretix's 'nl-informal') of a Flemish buyer is Flemish Dutch, where both
        # are installed.
        if f"{base}_{region}" in self._langs:
            return f"{base}_{region}"
        return next((code for code in self._langs if code.split("_")[0] == base), None)
