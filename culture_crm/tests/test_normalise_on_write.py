# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, TransactionCase, new_test_user


class TestNormaliseOnWrite(TransactionCase):
    """Phones, emails and postcodes are normalised on every path data comes in by."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nl = cls.env.ref("base.nl")
        cls.be = cls.env.ref("base.be")
        cls.de = cls.env.ref("base.de")
        cls.env.company.country_id = cls.nl
        cls.user = new_test_user(
            cls.env, login="culture_normalise_user", groups="culture_crm.group_culture_user"
        )
        cls.env = cls.env(user=cls.user)
        cls.Partner = cls.env["res.partner"]

    def test_create_makes_dutch_mobile_international(self):
        partner = self.Partner.create(
            {"name": "Anna de Wit", "mobile": "06-12345678", "country_id": self.nl.id}
        )
        self.assertEqual(partner.mobile, "+31 6 12345678")
        self.assertEqual(partner.match_mobile, "+31612345678")

    def test_belgian_number_is_read_in_the_contacts_country(self):
        partner = self.Partner.create(
            {"name": "Lotte Peeters", "phone": "0470 12 34 56", "country_id": self.be.id}
        )
        self.assertEqual(partner.phone, "+32 470 12 34 56")

    def test_german_number_is_read_in_the_contacts_country(self):
        partner = self.Partner.create(
            {"name": "Jonas Müller", "phone": "030 1234567", "country_id": self.de.id}
        )
        self.assertEqual(partner.phone, "+49 30 1234567")

    def test_without_country_the_companys_country_is_used(self):
        partner = self.Partner.create({"name": "Kees Bakker", "phone": "020-1234567"})
        self.assertEqual(partner.phone, "+31 20 123 4567")

    def test_write_normalises_phone(self):
        partner = self.Partner.create({"name": "Kees Bakker", "country_id": self.nl.id})
        partner.write({"phone": "0031 20 1234567"})
        self.assertEqual(partner.phone, "+31 20 123 4567")

    def test_unreadable_phone_is_kept_and_flagged(self):
        partner = self.Partner.create({"name": "Piet Visser", "phone": "bel de receptie"})
        self.assertEqual(partner.phone, "bel de receptie")
        self.assertTrue(partner.phone_needs_check)
        self.assertFalse(partner.match_phone)

    def test_fixing_the_phone_clears_the_flag(self):
        partner = self.Partner.create({"name": "Piet Visser", "phone": "12"})
        partner.phone = "06 12345678"
        self.assertFalse(partner.phone_needs_check)

    def test_national_number_reads_once_the_country_is_set(self):
        partner = self.Partner.create({"name": "Lotte Weber", "phone": "0151 12345678"})
        self.assertTrue(partner.phone_needs_check)  # neither a Dutch nor a Belgian number
        partner.country_id = self.de
        self.assertEqual(partner.phone, "+49 1511 2345678")
        self.assertFalse(partner.phone_needs_check)

    def test_a_belgian_mobile_of_a_dutch_contact_reads_as_belgian(self):
        """No Dutch number starts 0470: the neighbour's reading, not a flag."""
        partner = self.Partner.create(
            {"name": "Lotte Peeters", "phone": "0470 12 34 56", "country_id": self.nl.id}
        )
        self.assertEqual(partner.phone, "+32 470 12 34 56")
        self.assertFalse(partner.phone_needs_check)

    def test_an_email_typed_with_a_space_or_comma_is_repaired(self):
        partner = self.Partner.create({"name": "Jan Jansen", "email": "Jan.Jansen @ziggo,nl"})
        self.assertEqual(partner.email, "Jan.Jansen@ziggo.nl")
        self.assertEqual(partner.email_normalized, "jan.jansen@ziggo.nl")
        self.assertFalse(partner.email_needs_check)

    def test_email_is_trimmed_and_keyed_in_lower_case(self):
        partner = self.Partner.create({"name": "Jan Jansen", "email": "  Jan.Jansen@Example.NL "})
        self.assertEqual(partner.email, "Jan.Jansen@Example.NL")
        self.assertEqual(partner.match_email, "jan.jansen@example.nl")

    def test_dutch_postcode_is_formatted(self):
        partner = self.Partner.create(
            {"name": "Jan Jansen", "zip": "1234ab", "country_id": self.nl.id}
        )
        self.assertEqual(partner.zip, "1234 AB")
        self.assertFalse(partner.zip_needs_check)

    def test_bad_dutch_postcode_is_kept_and_flagged(self):
        partner = self.Partner.create(
            {"name": "Jan Jansen", "zip": "12345", "country_id": self.nl.id}
        )
        self.assertEqual(partner.zip, "12345")
        self.assertTrue(partner.zip_needs_check)

    def test_one_bad_value_does_not_stop_a_batch_create(self):
        partners = self.Partner.create(
            [
                {"name": "Eerste", "mobile": "06 12345678"},
                {"name": "Tweede", "mobile": "???"},
                {"name": "Derde", "mobile": "+32470123456"},
            ]
        )
        self.assertEqual(partners.mapped("mobile"), ["+31 6 12345678", "???", "+32 470 12 34 56"])
        self.assertEqual(partners.mapped("phone_needs_check"), [False, True, False])

    def test_write_on_contacts_of_several_countries_uses_each_country(self):
        dutch = self.Partner.create({"name": "NL", "country_id": self.nl.id})
        belgian = self.Partner.create({"name": "BE", "country_id": self.be.id})
        # A number of both countries: Roermond in the Netherlands, a mobile in Belgium.
        (dutch | belgian).write({"phone": "0475 12 34 56"})
        self.assertEqual(belgian.phone, "+32 475 12 34 56")
        self.assertEqual(dutch.phone, "+31 475 123 456")
        self.assertFalse(dutch.phone_needs_check or belgian.phone_needs_check)

    def test_import_normalises_and_keeps_unreadable_values(self):
        result = self.Partner.load(
            ["name", "phone", "zip", "country_id"],
            [
                ["Import Een", "06 12345678", "1011ab", "Netherlands"],
                ["Import Twee", "onbekend", "1011 AB", "Netherlands"],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        first, second = self.Partner.browse(result["ids"])
        self.assertEqual((first.phone, first.zip), ("+31 6 12345678", "1011 AB"))
        self.assertEqual(second.phone, "onbekend")
        self.assertTrue(second.phone_needs_check)

    def test_form_save_gives_the_same_international_form(self):
        with Form(self.Partner) as form:
            form.name = "Formulier Contact"
            form.country_id = self.nl
            form.mobile = "06 1234 5678"
        self.assertEqual(form.record.mobile, "+31 6 12345678")

    def test_company_contact_person_takes_its_companys_country(self):
        company = self.Partner.create(
            {"name": "Theater Antwerpen", "is_company": True, "country_id": self.be.id}
        )
        person = self.Partner.create(
            {"name": "Els Janssens", "parent_id": company.id, "phone": "03 233 45 67"}
        )
        self.assertEqual(person.phone, "+32 3 233 45 67")

    def test_match_keys_are_stored_for_address_surname_and_organisation(self):
        person = self.Partner.create(
            {
                "name": "Berg, Jan van der",
                "street": "Kerkstraat 12-A",
                "zip": "1234 ab",
                "city": "Amsterdam",
                "country_id": self.nl.id,
            }
        )
        organisation = self.Partner.create(
            {"name": "Stichting Het Concertgebouw", "is_company": True}
        )
        self.assertEqual(person.match_address_key, "1234AB|12")
        self.assertEqual(person.match_surname_city_key, "berg|amsterdam")
        self.assertEqual(organisation.match_organisation_key, "concertgebouw")
