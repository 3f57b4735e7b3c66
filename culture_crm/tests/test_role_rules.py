# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase


class TestRoleRules(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.volunteer = cls.env.ref("culture_crm.relation_type_volunteer")
        cls.leiden = cls.env["res.partner"].create(
            [{"name": f"Vrijwilliger {n}", "city": "Leiden"} for n in range(3)]
        )
        cls.delft = cls.env["res.partner"].create({"name": "Iemand uit Delft", "city": "Delft"})
        cls.rule = cls.env["culture.role.rule"].create(
            {
                "name": "Leiden volunteers",
                "relation_type_id": cls.volunteer.id,
                "partner_domain": "[('city', '=', 'Leiden')]",
            }
        )

    def test_rule_gives_role_to_matching_contacts_only(self):
        self.rule.apply()
        self.assertTrue(all(self.volunteer in p.relation_type_ids for p in self.leiden))
        self.assertNotIn(self.volunteer, self.delft.relation_type_ids)
        roles = self.leiden.culture_role_ids
        self.assertEqual(set(roles.mapped("source")), {"rule"})
        self.assertEqual(roles.rule_id, self.rule)

    def test_rule_is_idempotent(self):
        self.rule.apply()
        self.rule.apply()
        self.assertEqual(len(self.leiden.culture_role_ids), 3)

    def test_rule_ends_role_when_contact_no_longer_qualifies(self):
        self.rule.apply()
        moved = self.leiden[0]
        moved.city = "Delft"
        self.rule.apply()
        role = moved.culture_role_ids
        self.assertEqual(role.date_end, fields.Date.context_today(role))

    def test_rule_never_ends_a_manual_role(self):
        manual = self.env["culture.partner.role"].create(
            {
                "partner_id": self.delft.id,
                "relation_type_id": self.volunteer.id,
                "date_start": fields.Date.context_today(self.delft) - timedelta(days=5),
            }
        )
        self.rule.apply()
        self.assertFalse(manual.date_end)
        self.assertEqual(manual.source, "manual")

    def test_manual_holder_gets_no_second_role(self):
        self.env["culture.partner.role"].create(
            {"partner_id": self.leiden[0].id, "relation_type_id": self.volunteer.id}
        )
        self.rule.apply()
        self.assertEqual(len(self.leiden[0].culture_role_ids), 1)
