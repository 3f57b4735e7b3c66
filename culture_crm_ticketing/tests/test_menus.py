# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user

USER_ACTIONS = [
    "res_partner_action_audience_dashboard",
    "culture_ticket_order_action",
    "culture_ticket_order_review_action",
    "culture_ticket_action",
]
MANAGER_ACTIONS = [
    "culture_ticketing_backend_action",
    "culture_ticketing_sync_issue_action",
    "culture_ticketing_file_import_action",
]


class TestTicketingMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="tix_menu_user", groups="culture_crm.group_culture_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="tix_menu_manager",
            groups="culture_crm_ticketing.group_culture_ticketing_manager",
        )

    def open(self, user, xmlid):
        action = self.env.ref(f"culture_crm_ticketing.{xmlid}")
        model = self.env[action.res_model].with_user(user)
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids] or [
            (False, mode) for mode in action.view_mode.split(",")
        ]
        return model.get_views(views)

    def test_culture_users_open_the_audience_orders_and_tickets(self):
        for xmlid in USER_ACTIONS:
            with self.subTest(xmlid):
                self.assertTrue(self.open(self.user, xmlid)["views"])

    def test_ticketing_managers_open_backends_issues_and_the_file_import(self):
        for xmlid in USER_ACTIONS + MANAGER_ACTIONS:
            with self.subTest(xmlid):
                self.assertTrue(self.open(self.manager, xmlid)["views"])

    def test_the_ticketing_menu_shows_backends_to_managers_only(self):
        menu = self.env.ref("culture_crm_ticketing.menu_ticketing_backends")
        visible = self.env["ir.ui.menu"].with_user(self.user)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
