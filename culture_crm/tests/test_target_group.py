# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user


class TestTargetGroup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="culture_segmenter", groups="culture_crm.group_culture_user"
        )
        cls.colleague = new_test_user(
            cls.env, login="culture_colleague", groups="culture_crm.group_culture_user"
        )
        cls.env = cls.env(user=cls.user)
        cls.sponsor_type = cls.env.ref("culture_crm.relation_type_sponsor")
        # A tag of its own keeps the demo contacts out of the counts.
        cls.tag = cls.env["res.partner.category"].sudo().create({"name": "Testgroep"})
        Partner = cls.env["res.partner"]
        cls.leiden_sponsor = Partner.create(
            {"name": "Drukkerij Van Wijk", "city": "Leiden", "category_id": cls.tag.ids}
        )
        cls.delft_sponsor = Partner.create(
            {"name": "Bakkerij De Korenbloem", "city": "Delft", "category_id": cls.tag.ids}
        )
        cls.leiden_visitor = Partner.create(
            {"name": "Sanne Bakker", "city": "Leiden", "category_id": cls.tag.ids}
        )
        (cls.leiden_sponsor | cls.delft_sponsor)._add_role(cls.sponsor_type)
        cls.group = cls.env["culture.target.group"].create(
            {
                "name": "Sponsors in Leiden",
                "partner_domain": repr(
                    [
                        ("category_id", "in", cls.tag.ids),
                        ("relation_type_ids", "in", cls.sponsor_type.ids),
                        ("city", "=", "Leiden"),
                    ]
                ),
            }
        )

    def test_member_count_counts_contacts_matching_the_filter(self):
        self.assertEqual(self.group.member_count, 1)

    def test_member_count_follows_new_roles_without_saving_the_group(self):
        self.leiden_visitor._add_role(self.sponsor_type)
        self.group.invalidate_recordset(["member_count"])
        self.assertEqual(self.group.member_count, 2)

    def test_group_opens_exactly_its_contacts(self):
        action = self.group.action_open_members()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.leiden_sponsor)

    def test_group_of_a_parent_type_includes_its_sub_types(self):
        board_member = self.env["res.partner"].create(
            {"name": "Ingrid Smit", "category_id": self.tag.ids}
        )
        board_member._add_role(self.env.ref("culture_crm.relation_type_school_board"))
        education = self.env.ref("culture_crm.relation_type_education")
        group = self.env["culture.target.group"].create(
            {
                "name": "Onderwijs",
                "partner_domain": repr(
                    [
                        ("category_id", "in", self.tag.ids),
                        ("relation_type_ids", "child_of", education.id),
                    ]
                ),
            }
        )
        self.assertEqual(group.member_count, 1)

    def test_filter_on_an_unknown_field_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid contact filter"):
            self.env["culture.target.group"].create(
                {"name": "Broken", "partner_domain": "[('no_such_field', '=', 1)]"}
            )

    def test_filter_with_code_instead_of_values_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid contact filter"):
            self.env["culture.target.group"].create(
                {"name": "Dynamic", "partner_domain": "[('create_date', '>', context_today())]"}
            )

    def _run_precommit(self):
        # Tracking is written when the transaction commits; a record created in the same
        # transaction is not tracked before that.
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_owner_change_is_tracked(self):
        self._run_precommit()
        self.group.user_id = self.colleague
        self._run_precommit()
        # What the chatter shows; reading tracking values directly is for admins.
        tracked = self.group.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("user_id", tracked)

    def test_staff_without_email_marketing_rights_open_a_group(self):
        self.assertFalse(self.user.has_group("mass_mailing.group_mass_mailing_user"))
        form = Form(self.group)
        self.assertEqual(form.member_count, 1)

    def test_staff_cannot_delete_a_group(self):
        with self.assertRaises(AccessError):
            self.group.unlink()
