# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


def _partner_field(env, name):
    return env["ir.model.fields"]._get("res.partner", name)


class TestCompleteness(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="culture_completeness_manager",
            groups="culture_crm.group_culture_manager",
        )
        cls.user = new_test_user(
            cls.env, login="culture_completeness_user", groups="culture_crm.group_culture_user"
        )
        cls.email, cls.function, cls.phone = (
            _partner_field(cls.env, name) for name in ("email", "function", "phone")
        )
        # Required email and function (3 each), recommended phone (1): 7 points in all.
        cls.board = (
            cls.env["culture.relation.type"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Test Board",
                    "code": "test_board",
                    "required_field_ids": [Command.set((cls.email | cls.function).ids)],
                    "recommended_field_ids": [Command.set(cls.phone.ids)],
                }
            )
        )
        cls.env = cls.env(user=cls.user)
        cls.partner = cls.env["res.partner"].create({"name": "Marieke Jansen"})

    def test_contact_without_relation_types_is_complete(self):
        self.assertEqual(self.partner.culture_completeness, 100)
        self.assertFalse(self.partner.culture_missing_field_ids)

    def test_role_with_nothing_recorded_makes_contact_incomplete(self):
        self.partner._add_role(self.board)
        self.assertEqual(self.partner.culture_completeness, 0)
        self.assertEqual(
            self.partner.culture_missing_field_ids, self.email | self.function | self.phone
        )
        self.assertEqual(
            self.partner.culture_missing_required_field_ids, self.email | self.function
        )

    def test_required_field_weighs_more_than_recommended_field(self):
        self.partner._add_role(self.board)
        self.partner.email = "marieke@example.nl"
        with_required = self.partner.culture_completeness
        self.partner.write({"email": False, "phone": "+31 20 123 4567"})
        with_recommended = self.partner.culture_completeness
        self.assertEqual((with_required, with_recommended), (43, 14))

    def test_recording_every_field_completes_contact(self):
        self.partner._add_role(self.board)
        self.partner.write(
            {"email": "marieke@example.nl", "function": "Voorzitter", "phone": "+31 20 123 4567"}
        )
        self.assertEqual(self.partner.culture_completeness, 100)
        self.assertFalse(self.partner.culture_missing_field_ids)

    def test_incomplete_filter_finds_contacts_missing_fields_of_their_types(self):
        complete = self.env["res.partner"].create(
            {"name": "Piet de Vries", "email": "piet@example.nl", "function": "Lid"}
        )
        (self.partner | complete)._add_role(self.board)
        complete.phone = "+31 20 765 4321"
        search_arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]
        self.assertIn('name="culture_incomplete"', search_arch["arch"])
        found = self.env["res.partner"].search(
            [("id", "in", (self.partner | complete).ids), ("culture_completeness", "<", 100)]
        )
        self.assertEqual(found, self.partner)

    def test_ended_role_no_longer_counts(self):
        today = fields.Date.context_today(self.partner)
        self.partner._add_role(self.board, date_start=today - timedelta(days=30))
        self.partner.current_role_ids.date_end = today - timedelta(days=1)
        self.assertEqual(self.partner.culture_completeness, 100)

    def test_changing_a_definition_updates_its_contacts(self):
        self.partner.write({"email": "marieke@example.nl", "function": "Voorzitter"})
        self.partner._add_role(self.board)
        self.assertEqual(self.partner.culture_completeness, 86)
        street = _partner_field(self.env, "street")
        self.board.with_user(self.manager).required_field_ids = [Command.link(street.id)]
        self.assertIn(street, self.partner.culture_missing_required_field_ids)
        self.assertEqual(self.partner.culture_completeness, 60)

    def test_field_required_by_one_type_and_recommended_by_another_counts_once_as_required(self):
        press = (
            self.env["culture.relation.type"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Test Press",
                    "code": "test_press",
                    "recommended_field_ids": [Command.set(self.email.ids)],
                }
            )
        )
        self.partner._add_role(self.board)
        self.partner._add_role(press)
        self.partner.write({"function": "Redacteur", "phone": "+31 20 123 4567"})
        self.assertEqual(self.partner.culture_missing_required_field_ids, self.email)
        self.assertEqual(self.partner.culture_completeness, 57)

    def test_seeded_school_board_member_requires_company_email_and_function(self):
        school_board = self.env.ref("culture_crm.relation_type_school_board")
        self.assertEqual(
            set(school_board.required_field_ids.mapped("name")), {"parent_id", "email", "function"}
        )
        self.partner._add_role(school_board)
        self.assertEqual(
            set(self.partner.culture_missing_required_field_ids.mapped("name")),
            {"parent_id", "email", "function"},
        )

    def test_fields_only_some_staff_may_read_cannot_be_required(self):
        notes = _partner_field(self.env, "culture_hospitality_notes")
        with self.assertRaisesRegex(ValidationError, "cannot define"):
            self.board.with_user(self.manager).required_field_ids = [Command.link(notes.id)]

    def test_a_field_cannot_be_both_required_and_recommended(self):
        with self.assertRaisesRegex(ValidationError, "both required and recommended"):
            self.board.with_user(self.manager).recommended_field_ids = [Command.link(self.email.id)]


@tagged("post_install", "-at_install")
class TestCompletenessTour(HttpCase):
    def test_staff_add_a_role_and_see_completeness_change(self):
        new_test_user(
            self.env,
            login="culture_tour_staff",
            groups="culture_crm.group_culture_user",
            name="Culture Staff",
        )
        partner = self.env["res.partner"].create(
            {"name": "Tour Bestuurder", "email": "bestuurder@example.nl"}
        )
        self.start_tour(
            f"/odoo/res.partner/{partner.id}",
            "culture_crm_completeness_tour",
            login="culture_tour_staff",
        )
        # School Board Member requires company, email and function; only email is there.
        self.assertEqual(partner.relation_type_ids.code, "school_board")
        self.assertEqual(partner.culture_completeness, 27)
