# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.tests import TransactionCase, new_test_user


class TestMerge(TransactionCase):
    """A steward merges two contacts: everything follows the survivor, nothing is lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.nl")
        # A manager may change every contact, also those a data domain guards.
        cls.merger = new_test_user(
            cls.env, login="culture_merge_manager", groups="culture_crm.group_culture_manager"
        )
        cls.env = cls.env(user=cls.merger)
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create(
            {
                "name": "Anna de Vries",
                "email": "anna.devries@example.nl",
                "mobile": "06 12345678",
                "street": "Kerkstraat 12",
                "zip": "1234 AB",
                "city": "Haarlem",
            }
        )
        cls.anna_again = Partner.create(
            {
                "name": "A. de Vries",
                "email": "a.devries@example.org",
                "mobile": "0612345678",
                "phone": "023 5123456",
                "street": "Kerkstraat 12",
                "zip": "1234AB",
                "city": "Haarlem",
                "function": "Docent",
            }
        )
        cls.donor = cls.env.ref("culture_crm.relation_type_donor")
        cls.friend = cls.env.ref("culture_crm.relation_type_friend")

    def _candidate(self):
        return self.env["culture.duplicate.candidate"]._get_or_create_pair(
            self.anna, self.anna_again
        )

    def _merge(self, **choices):
        wizard = self.env["culture.partner.merge"].create({"candidate_id": self._candidate().id})
        for field_name, side in choices.items():
            wizard.line_ids.filtered(lambda line, f=field_name: line.field_name == f).keep = side
        wizard.action_merge()
        return wizard

    def _role(self, partner, relation_type, start, end=None):
        return self.env["culture.partner.role"].create(
            {
                "partner_id": partner.id,
                "relation_type_id": relation_type.id,
                "date_start": start,
                "date_end": end,
            }
        )

    def test_merge_keeps_the_older_contact_and_removes_the_other(self):
        candidate = self._candidate()
        self._merge()
        self.assertFalse(self.anna_again.exists())
        self.assertTrue(self.anna.exists())
        self.assertEqual(candidate.state, "merged")
        self.assertEqual(candidate.merged_partner_name, "A. de Vries")
        self.assertEqual(candidate.partner_a_id, self.anna)

    def test_comparison_lists_the_fields_that_differ(self):
        wizard = self.env["culture.partner.merge"].create({"candidate_id": self._candidate().id})
        differing = set(wizard.line_ids.mapped("field_name"))
        self.assertIn("email", differing)
        self.assertIn("phone", differing)
        self.assertNotIn("city", differing)
        self.assertEqual(wizard.survivor, "a")

    def test_empty_fields_of_the_survivor_take_the_other_contacts_value(self):
        self._merge()
        self.assertEqual(self.anna.phone, "+31 23 512 3456")
        self.assertEqual(self.anna.function, "Docent")

    def test_steward_chooses_the_other_contacts_value(self):
        self._merge(email="b")
        self.assertEqual(self.anna.email, "a.devries@example.org")

    def test_roles_follow_the_survivor(self):
        self._role(self.anna_again, self.friend, date(2024, 1, 1))
        self._merge()
        self.assertEqual(self.anna.culture_role_ids.relation_type_id, self.friend)
        self.assertIn(self.friend, self.anna.relation_type_ids)

    def test_overlapping_roles_of_one_type_become_one_longer_role(self):
        self._role(self.anna, self.donor, date(2023, 1, 1), date(2024, 6, 30))
        self._role(self.anna_again, self.donor, date(2024, 1, 1))
        self._merge()
        donor_roles = self.anna.culture_role_ids.filtered(
            lambda role: role.relation_type_id == self.donor
        )
        self.assertEqual(len(donor_roles), 1)
        self.assertEqual(donor_roles.date_start, date(2023, 1, 1))
        self.assertFalse(donor_roles.date_end)

    def test_separate_periods_of_one_type_are_both_kept(self):
        self._role(self.anna, self.donor, date(2020, 1, 1), date(2020, 12, 31))
        self._role(self.anna_again, self.donor, date(2024, 1, 1))
        self._merge()
        self.assertEqual(
            len(self.anna.culture_role_ids.filtered(lambda r: r.relation_type_id == self.donor)),
            2,
        )

    def test_consents_follow_the_survivor(self):
        purpose = self.env.ref("culture_crm.consent_purpose_newsletter")
        consent = self.env["culture.consent"].create(
            {"partner_id": self.anna_again.id, "purpose_id": purpose.id, "channel": "email"}
        )
        self._merge()
        self.assertEqual(consent.partner_id, self.anna)

    def test_chatter_follows_the_survivor(self):
        self.anna_again.message_post(body="Belde over haar abonnement")
        self._merge()
        bodies = self.anna.message_ids.mapped("body")
        self.assertTrue(any("Belde over haar abonnement" in str(body) for body in bodies))

    def test_merge_log_keeps_the_merged_contacts_values(self):
        self._merge()
        log = self.anna.culture_merge_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(log.merged_partner_name, "A. de Vries")
        self.assertEqual(log.merged_values["email"], "a.devries@example.org")
        self.assertEqual(log.survivor_values["email"], "anna.devries@example.nl")
        self.assertIn("a.devries@example.org", str(log.comparison_html))
        note = self.anna.message_ids.filtered(lambda m: "a.devries@example.org" in str(m.body))
        self.assertTrue(note, "the merged values are posted in the survivor's chatter")

    def test_documents_followed_by_both_contacts_do_not_crash_the_merge(self):
        theatre = self.env["res.partner"].create({"name": "Stadsschouwburg", "is_company": True})
        festival = self.env["res.partner"].create({"name": "Zomerfestival", "is_company": True})
        theatre.message_subscribe(partner_ids=(self.anna | self.anna_again).ids)
        festival.message_subscribe(partner_ids=self.anna_again.ids)
        self._merge()
        self.assertIn(self.anna, theatre.message_partner_ids)
        self.assertEqual(theatre.message_partner_ids.filtered(lambda p: p == self.anna), self.anna)
        # The merged contact's other subscriptions move; Odoo alone would drop them all.
        self.assertIn(self.anna, festival.message_partner_ids)

    def test_rows_that_cannot_move_do_not_drop_the_others(self):
        theatre = self.env["res.partner"].create({"name": "Stadsschouwburg", "is_company": True})
        both = theatre.message_post(
            body="Aan beiden", partner_ids=(self.anna | self.anna_again).ids
        )
        only_other = theatre.message_post(body="Alleen aan A.", partner_ids=self.anna_again.ids)
        self._merge()
        notified = (
            self.env["mail.notification"].sudo().search([("res_partner_id", "=", self.anna.id)])
        )
        self.assertEqual(set(notified.mail_message_id.ids), {both.id, only_other.id})

    def test_not_a_duplicate_decision_moves_to_the_survivor(self):
        Candidate = self.env["culture.duplicate.candidate"]
        sister = self.env["res.partner"].create({"name": "Anke de Vries", "city": "Haarlem"})
        decided = Candidate._get_or_create_pair(self.anna_again, sister)
        decided.action_not_duplicate()
        self._merge()
        self.assertEqual(decided.state, "not_duplicate")
        self.assertEqual({decided.partner_a_id, decided.partner_b_id}, {self.anna, sister})

    def test_odoos_own_merge_wizard_also_keeps_a_log(self):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(self.anna | self.anna_again).ids)
            .create({})
        )
        wizard.dst_partner_id = self.anna
        wizard.with_context(culture_reviewed_merge=True).action_merge()
        self.assertEqual(self.anna.culture_merge_log_ids.merged_partner_name, "A. de Vries")
