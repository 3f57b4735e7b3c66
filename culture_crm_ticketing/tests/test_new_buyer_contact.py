# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from PIL import Image

from odoo.tests import Form

from .common import TicketingCase, consent, order, page, person

# What every addon derives on a contact from what was typed, its roles and its consent.
DERIVED_FIELDS = [
    "phone",
    "zip",
    "email_normalized",
    "phone_sanitized",
    "phone_needs_check",
    "zip_needs_check",
    "email_needs_check",
    "match_phone",
    "match_mobile",
    "match_email",
    "match_address_key",
    "match_surname_key",
    "match_surname_city_key",
    "match_organisation_key",
    "match_blocking_keys",
    "zip_area",
    "relation_type_ids",
    "culture_completeness",
    "culture_missing_field_ids",
    "culture_missing_required_field_ids",
    "culture_granted_purpose_ids",
    "user_id",
    "lang",
    "country_id",
]
# Added when culture_crm_stewardship is installed (the suite installs it).
STEWARDSHIP_FIELDS = [
    "data_domain_ids",
    "data_domain_owned",
    "culture_editor_key",
    "next_review_date",
]


class TestNewBuyerContact(TicketingCase):
    """A buyer the sync creates (in a batch, below which orders and tickets go in SQL) is
    the contact staff would have made for the same person in the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.audience = cls.env.ref("culture_crm.relation_type_audience")
        if "culture.data.domain" in cls.env:
            cls.env["culture.data.domain"].create(
                {
                    "name": "Bezoekers",
                    "owner_id": cls.env.ref("base.user_admin").id,
                    "relation_type_ids": [(6, 0, cls.audience.ids)],
                    "review_interval_months": 6,
                }
            )

    def test_a_new_buyer_is_the_contact_the_form_makes_for_the_same_person(self):
        buyer = person(
            "Pieter van den Berg",
            "Pieter.vandenBerg@Example.nl",
            phone="06-12345678",
            street="Oudegracht 12",
            zip="3511ab",
            city="Utrecht",
            country_code="NL",
        )
        other_buyers = [
            order(f"N{n}", buyer=person(f"Koper {n}", f"koper{n}@example.nl")) for n in range(5)
        ]
        self.sync(page(order("N0-PIETER", buyer=buyer, consents=(consent(),)), *other_buyers))
        synced = self.contact("pieter.vandenberg@example.nl")
        self.assertEqual(len(synced), 1)
        self.assertEqual(synced.relation_type_ids, self.audience)

        with Form(self.env["res.partner"]) as form:
            form.name = "Pieter van den Berg"
            form.email = "Pieter.vandenBerg@Example.nl"
            form.phone = "06-12345678"
            form.street = "Oudegracht 12"
            form.zip = "3511ab"
            form.city = "Utrecht"
            form.country_id = self.env.ref("base.nl")
            with form.current_role_ids.new() as role:
                role.relation_type_id = self.audience
        typed = form.record
        typed._record_consent("newsletter", source="manual")
        self.env.invalidate_all()

        fields = DERIVED_FIELDS + [f for f in STEWARDSHIP_FIELDS if f in synced._fields]
        for fname in fields:
            with self.subTest(field=fname):
                self.assertEqual(synced[fname], typed[fname])
        self.assertTrue(synced.match_blocking_keys)
        if "data_domain_ids" in synced._fields:
            self.assertTrue(synced.data_domain_ids)

    def test_defaults_set_for_new_contacts_reach_every_new_buyer_of_a_batch(self):
        """A default an admin sets for contacts (Settings > Technical > User-defined
        Defaults) is what each new buyer gets, with or without a phone; a default changed
        between two syncs counts from the next one."""
        box_office, season = self.env["res.partner.category"].create(
            [{"name": "Via de kassa"}, {"name": "Seizoen 2027"}]
        )
        Default = self.env["ir.default"]
        Default.set("res.partner", "category_id", box_office.ids)
        self.sync(
            page(
                order("D1", buyer=person("Anna de Vries", "anna@example.nl", phone="0612345678")),
                order("D2", buyer=person("Bram Jansen", "bram@example.nl")),
                order("D3", buyer=person("Carla Smit", "carla@example.nl")),
            )
        )
        first = [self.contact(f"{n}@example.nl") for n in ("anna", "bram", "carla")]
        for contact in first:
            with self.subTest(contact=contact.name):
                self.assertEqual(contact.category_id, box_office)
        # Each contact holds its own tags: changing one leaves the others as they were.
        first[0].category_id = season
        self.assertEqual(first[1].category_id, box_office)

        Default.set("res.partner", "category_id", season.ids)
        self.sync(page(order("D4", buyer=person("Daan Bakker", "daan@example.nl"))))
        self.assertEqual(self.contact("daan@example.nl").category_id, season)

    def test_a_new_buyer_has_no_picture_until_staff_add_one_in_every_size(self):
        self.sync(page(order("P1", buyer=person("Fatima el Amrani", "fatima@example.nl"))))
        contact = self.contact("fatima@example.nl")
        sizes = ["image_1920", "image_1024", "image_512", "image_256", "image_128"]
        self.assertEqual([contact[size] for size in sizes], [False] * 5)

        contact.image_1920 = _png(300, 200)
        self.env.invalidate_all()
        for size in sizes:
            with self.subTest(size=size):
                self.assertTrue(contact[size])


def _png(width, height):
    """A real PNG picture, as a photo upload would give it (base64)."""
    image = Image.new("RGB", (width, height), (200, 30, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())
