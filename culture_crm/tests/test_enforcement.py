# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user

# What the web client asks back after a save; enough to show what was saved.
SPECIFICATION = {"display_name": {}, "culture_completeness": {}}


class TestEnforcement(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = new_test_user(
            cls.env, login="culture_enforcement_manager", groups="culture_crm.group_culture_manager"
        )
        cls.user = new_test_user(
            cls.env, login="culture_enforcement_user", groups="culture_crm.group_culture_user"
        )
        fields_ = cls.env["ir.model.fields"]
        cls.email = fields_._get("res.partner", "email")
        cls.function = fields_._get("res.partner", "function")
        types = cls.env["culture.relation.type"].with_user(manager)
        cls.blocking = types.create(
            {
                "name": "Test Blocking Type",
                "code": "test_blocking",
                "enforcement": "block",
                "required_field_ids": [Command.set((cls.email | cls.function).ids)],
            }
        )
        cls.warning = types.create(
            {
                "name": "Test Warning Type",
                "code": "test_warning",
                "enforcement": "warn",
                "required_field_ids": [Command.set(cls.email.ids)],
            }
        )
        cls.env = cls.env(user=cls.user)
        cls.partner = cls.env["res.partner"].create({"name": "Sanne Bakker"})

    def _role_command(self, relation_type):
        return [Command.create({"relation_type_id": relation_type.id})]

    def test_warn_type_saves_form_and_shows_missing_fields(self):
        self.partner.web_save({"current_role_ids": self._role_command(self.warning)}, SPECIFICATION)
        self.assertEqual(self.partner.relation_type_ids, self.warning)
        self.assertEqual(self.partner.culture_missing_required_field_ids, self.email)

    def test_block_type_refuses_form_save_naming_the_missing_fields(self):
        with self.assertRaisesRegex(ValidationError, "Email, Job Position|Job Position, Email"):
            self.partner.web_save(
                {"current_role_ids": self._role_command(self.blocking)}, SPECIFICATION
            )

    def test_block_type_refuses_new_contact_from_form(self):
        with self.assertRaisesRegex(ValidationError, "Test Blocking Type"):
            self.env["res.partner"].web_save(
                {"name": "Noor Visser", "current_role_ids": self._role_command(self.blocking)},
                SPECIFICATION,
            )

    def test_block_type_refuses_role_saved_from_roles_list(self):
        with self.assertRaisesRegex(ValidationError, "Sanne Bakker"):
            self.env["culture.partner.role"].web_save(
                {"partner_id": self.partner.id, "relation_type_id": self.blocking.id},
                {"display_name": {}},
            )

    def test_block_type_refuses_emptying_a_required_field_in_form(self):
        self.partner.write({"email": "sanne@example.nl", "function": "Directeur"})
        self.partner._add_role(self.blocking)
        with self.assertRaisesRegex(ValidationError, "Email"):
            self.partner.web_save({"email": False}, SPECIFICATION)

    def test_block_type_saves_form_once_required_fields_are_filled(self):
        result = self.partner.web_save(
            {
                "email": "sanne@example.nl",
                "function": "Directeur",
                "current_role_ids": self._role_command(self.blocking),
            },
            SPECIFICATION,
        )
        self.assertEqual(result[0]["culture_completeness"], 100)
        self.assertEqual(self.partner.relation_type_ids, self.blocking)

    def test_import_of_incomplete_contact_records_gap_without_failing_batch(self):
        result = self.env["res.partner"].load(
            ["name", "email", "function", "culture_role_ids/relation_type_id"],
            [
                ["Complete Bestuurder", "compleet@example.nl", "Voorzitter", "Test Blocking Type"],
                ["Onvolledige Bestuurder", "", "", "Test Blocking Type"],
            ],
        )
        self.assertFalse(result["messages"])
        complete, incomplete = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(incomplete.relation_type_ids, self.blocking)
        self.assertEqual(incomplete.culture_missing_required_field_ids, self.email | self.function)
        self.assertEqual(complete.culture_completeness, 100)

    def test_sync_giving_a_role_records_gap_without_failing(self):
        # What a ticketing sync or a derived-role rule does: no form, no refusal.
        role = self.partner._add_role(self.blocking, source="ticketing")
        self.assertTrue(role)
        self.assertEqual(self.partner.culture_completeness, 0)
        self.assertIn(
            self.partner, self.env["res.partner"].search([("culture_completeness", "<", 100)])
        )
