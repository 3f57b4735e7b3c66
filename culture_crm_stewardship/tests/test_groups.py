# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class TestStewardshipGroups(TransactionCase):
    def test_data_owner_is_also_steward_and_culture_user(self):
        owner = new_test_user(
            self.env,
            login="owner_groups",
            groups="culture_crm_stewardship.group_culture_data_owner",
        )
        self.assertTrue(owner.has_group("culture_crm_stewardship.group_culture_steward"))
        self.assertTrue(owner.has_group("culture_crm.group_culture_user"))
        self.assertFalse(owner.has_group("culture_crm.group_culture_manager"))

    def test_manager_owns_every_domain_configuration(self):
        manager = new_test_user(
            self.env, login="manager_groups", groups="culture_crm.group_culture_manager"
        )
        self.assertTrue(manager.has_group("culture_crm_stewardship.group_culture_data_owner"))
