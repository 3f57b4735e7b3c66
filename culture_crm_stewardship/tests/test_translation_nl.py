# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.culture_crm.tests.translation_check import untranslated_terms
from odoo.tests import TransactionCase


class TestDutchTranslation(TransactionCase):
    def test_every_term_has_dutch(self):
        missing = untranslated_terms(self.env, "culture_crm_stewardship")
        self.assertFalse(
            missing,
            f"culture_crm_stewardship/i18n/nl.po lacks Dutch for (run ./setup/i18n): {missing}",
        )
