# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase

from .translation_check import untranslated_terms


class TestDutchTranslation(TransactionCase):
    def test_every_term_has_dutch(self):
        missing = untranslated_terms(self.env, "culture_crm")
        self.assertFalse(
            missing, f"culture_crm/i18n/nl.po lacks Dutch for (run ./setup/i18n): {missing}"
        )

    def test_dutch_user_sees_dutch_relation_types(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm"], ["nl_NL"])
        audience = self.env.ref("culture_crm.relation_type_audience").with_context(lang="nl_NL")
        self.assertEqual(audience.name, "Publiek / Bezoeker")

    def test_dutch_user_sees_sub_types_with_dutch_parent(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm"], ["nl_NL"])
        board = self.env.ref("culture_crm.relation_type_school_board")
        self.assertEqual(
            board.with_context(lang="nl_NL").display_name, "Onderwijs / Schoolbestuurder"
        )
