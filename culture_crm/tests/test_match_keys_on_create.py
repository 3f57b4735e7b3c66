# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase

from ..models.res_partner_match_keys import MATCH_KEY_FIELDS


class TestMatchKeysOnCreate(TransactionCase):
    """A new contact's keys are stored with it in one INSERT (a sync creates thousands);
    they are the keys the contact's compute gives, whatever it was created with."""

    def stored_and_recomputed(self, partners):
        self.env.flush_all()
        partners.invalidate_recordset(MATCH_KEY_FIELDS)
        stored = partners.read(list(MATCH_KEY_FIELDS))
        self.env.add_to_compute(partners._fields["match_blocking_keys"], partners)
        partners.flush_recordset()
        partners.invalidate_recordset(MATCH_KEY_FIELDS)
        return stored, partners.read(list(MATCH_KEY_FIELDS))

    def test_keys_given_at_create_are_the_computed_keys(self):
        be = self.env.ref("base.be")
        school = self.env["res.partner"].create(
            {"name": "OBS De Regenboog", "is_company": True, "zip": "1234ab", "city": "Urk"}
        )
        partners = self.env["res.partner"].create(
            [
                {
                    "name": "Mevr. A. van der Berg",
                    "email": " A.vanderBerg@Example.NL ",
                    "phone": "020-1234567 / 06-12345678",
                    "street": "Kerkstraat 12a",
                    "zip": "1234ab",
                    "city": "Urk",
                },
                {
                    "name": "Luc De Smet",
                    "email": "luc@example.be",
                    "mobile": "0470 12 34 56",
                    "zip": "2000",
                    "city": "Antwerpen",
                    "country_id": be.id,
                },
                {"name": "Theater Aan Zee BV", "company_type": "company", "phone": "0612345678"},
                {"name": "Juf Ans", "parent_id": school.id, "email": "ans@regenboog.nl"},
                {"name": "Kassa", "phone": "+32 3 123 45 67"},
                {"name": "Alleen Een Naam"},
            ]
        )
        stored, recomputed = self.stored_and_recomputed(school | partners)
        self.assertEqual(stored, recomputed)
        luc, company, ans = partners[1], partners[2], partners[3]
        self.assertEqual(luc.match_mobile, "+32470123456")
        self.assertTrue(company.match_organisation_key)
        self.assertEqual(ans.match_address_key, school.match_address_key)

    def test_a_default_country_reads_the_numbers_as_the_computed_keys_do(self):
        self.env["ir.default"].set("res.partner", "country_id", self.env.ref("base.be").id)
        partner = self.env["res.partner"].create({"name": "Els Peeters", "phone": "03 232 45 67"})

        stored, recomputed = self.stored_and_recomputed(partner)

        self.assertEqual(stored, recomputed)
        self.assertEqual(partner.country_id.code, "BE")
        self.assertEqual(partner.match_phone, "+3232324567")
