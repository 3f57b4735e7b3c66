# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user


class TestRoles(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="culture_roles_user", groups="culture_crm.group_culture_user"
        )
        cls.env = cls.env(user=cls.user)
        cls.partner = cls.env["res.partner"].create({"name": "Jan van der Berg"})
        cls.donor = cls.env.ref("culture_crm.relation_type_donor")
        cls.audience = cls.env.ref("culture_crm.relation_type_audience")
        cls.board = cls.env.ref("culture_crm.relation_type_school_board")
        cls.today = fields.Date.context_today(cls.env.user)

    def _role(self, relation_type, start, end=None, **values):
        return self.env["culture.partner.role"].create(
            dict(
                {
                    "partner_id": self.partner.id,
                    "relation_type_id": relation_type.id,
                    "date_start": start,
                    "date_end": end,
                },
                **values,
            )
        )

    def test_contact_holds_several_roles_at_once(self):
        self._role(self.audience, self.today - timedelta(days=400))
        self._role(self.donor, self.today - timedelta(days=30))
        self._role(self.board, self.today)
        self.assertEqual(self.partner.relation_type_ids, self.audience | self.donor | self.board)

    def test_ended_role_moves_to_history(self):
        ended = self._role(
            self.donor, self.today - timedelta(days=800), self.today - timedelta(days=1)
        )
        self.assertEqual(ended.state, "ended")
        self.assertNotIn(self.donor, self.partner.relation_type_ids)
        self.assertEqual(self.partner.ended_role_ids, ended)

    def test_planned_role_is_not_current_yet(self):
        planned = self._role(self.donor, self.today + timedelta(days=10))
        self.assertEqual(planned.state, "planned")
        self.assertFalse(self.partner.relation_type_ids)

    def test_overlapping_periods_of_one_type_are_refused(self):
        self._role(self.donor, self.today - timedelta(days=100), self.today + timedelta(days=100))
        with self.assertRaisesRegex(ValidationError, "overlapping period"):
            self._role(self.donor, self.today, self.today + timedelta(days=10))

    def test_consecutive_periods_of_one_type_are_allowed(self):
        self._role(self.donor, self.today - timedelta(days=400), self.today - timedelta(days=200))
        again = self._role(self.donor, self.today - timedelta(days=10))
        self.assertEqual(again.state, "current")
        self.assertEqual(len(self.partner.culture_role_ids), 2)

    def test_end_before_start_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "ends"):
            self._role(self.donor, self.today, self.today - timedelta(days=1))

    def test_search_by_parent_type_finds_sub_types(self):
        self._role(self.board, self.today)
        education = self.env.ref("culture_crm.relation_type_education")
        found = self.env["res.partner"].search([("relation_type_ids", "child_of", education.id)])
        self.assertIn(self.partner, found)

    def test_daily_refresh_ends_roles_whose_end_date_passed(self):
        role = self._role(self.donor, self.today - timedelta(days=30), self.today)
        self.assertEqual(role.state, "current")
        # The day after, the cron finds the role past its end date.
        role.flush_recordset()
        self.env.cr.execute(
            "UPDATE culture_partner_role SET date_end = %s WHERE id = %s",
            (self.today - timedelta(days=1), role.id),
        )
        role.invalidate_recordset()
        self.env["culture.partner.role"].sudo()._cron_refresh_state()
        self.assertEqual(role.state, "ended")
        self.assertNotIn(self.donor, self.partner.relation_type_ids)
