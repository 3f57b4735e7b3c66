# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase


class TestDemoStewards(TransactionCase):
    """The demo database as a steward sees it: exactly their domains are editable."""

    def test_steward_may_change_exactly_the_contacts_of_their_domain(self):
        steward = self.env.ref("culture_crm_stewardship.demo_user_steward_onderwijs")
        onderwijs = self.env.ref("culture_crm_stewardship.demo_domain_onderwijs")
        Partner = self.env["res.partner"].with_user(steward)
        owned_and_editable = Partner.search(
            [("culture_can_edit", "=", True), ("data_domain_owned", "=", True)]
        )
        self.assertTrue(owned_and_editable)
        self.assertEqual(owned_and_editable, onderwijs.partner_ids)

    def test_contact_of_another_domain_says_whom_to_ask(self):
        steward = self.env.ref("culture_crm_stewardship.demo_user_steward_onderwijs")
        journalist = self.env.ref("culture_crm_stewardship.demo_partner_karin_kok")
        reason = journalist.with_user(steward).culture_edit_lock_reason
        self.assertIn("Pers", reason)
        self.assertIn("Lotte Smit", reason)

    def test_demo_has_contacts_up_to_date_due_and_overdue(self):
        states = set(
            self.env["res.partner"]
            .search([("data_domain_owned", "=", True)])
            .mapped("review_state")
        )
        self.assertEqual(states, {"ok", "due", "overdue"})
