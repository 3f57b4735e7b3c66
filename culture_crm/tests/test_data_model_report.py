# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

REPORT = "culture_crm.action_report_data_model"


class TestDataModelReport(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="culture_data_model_user", groups="culture_crm.group_culture_user"
        )
        cls.env = cls.env(user=cls.user)
        cls.relation_types = cls.env["culture.relation.type"].search([])

    def _render(self, relation_types):
        html, report_format = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, relation_types.ids
        )
        self.assertEqual(report_format, "html")
        return html.decode()

    def test_report_lists_every_type_with_its_definition(self):
        html = self._render(self.relation_types)
        for relation_type in self.relation_types:
            self.assertIn(relation_type.name, html)
        self.assertIn("cultural education budget", html)

    def test_report_lists_required_and_recommended_fields(self):
        html = self._render(self.env.ref("culture_crm.relation_type_school_board"))
        self.assertIn("Job Position", html)
        self.assertIn("Required (warning)", html)
        self.assertIn("Mobile", html)
        self.assertIn("Recommended", html)
        self.assertNotIn("Press", html)

    def test_print_button_prints_every_type_when_none_is_selected(self):
        action = self.env["culture.relation.type"].action_print_data_model()
        self.assertEqual(action["report_name"], "culture_crm.report_data_model")
        self.assertEqual(set(action["context"]["active_ids"]), set(self.relation_types.ids))

    def test_data_model_screen_shows_definitions_and_fields(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "culture_crm.culture_data_model_action"
        )
        views = self.env["culture.relation.type"].get_views(action["views"])
        kanban = views["views"]["kanban"]["arch"]
        for field_name in ("definition", "required_field_ids", "recommended_field_ids"):
            self.assertIn(f'name="{field_name}"', kanban)
        self.assertIn("action_print_data_model", kanban)


@tagged("post_install", "-at_install")
class TestDataModelReportHtml(HttpCase):
    def test_html_report_renders_in_the_browser_route(self):
        new_test_user(
            self.env, login="culture_report_staff", groups="culture_crm.group_culture_user"
        )
        relation_types = self.env["culture.relation.type"].search([])
        self.authenticate("culture_report_staff", "culture_report_staff")
        response = self.url_open(
            f"/report/html/culture_crm.report_data_model/{','.join(map(str, relation_types.ids))}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Data Model", response.text)
        self.assertIn("School Board Member", response.text)
        self.assertIn("Foundation / Funder", response.text)
