# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class TestTicketingGroups(TransactionCase):
    def test_only_managers_manage_ticketing(self):
        user = new_test_user(self.env, login="tix_user", groups="culture_crm.group_culture_user")
        manager = new_test_user(
            self.env, login="tix_manager", groups="culture_crm.group_culture_manager"
        )
        group = "culture_crm_ticketing.group_culture_ticketing_manager"
        self.assertFalse(user.has_group(group))
        self.assertTrue(manager.has_group(group))
