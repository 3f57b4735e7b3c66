# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class TestNormaliseExisting(TransactionCase):
    """'Normalise existing contacts' previews, counts and fixes contacts from before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.nl")
        cls.manager = new_test_user(
            cls.env, login="culture_normalise_manager", groups="culture_crm.group_culture_manager"
        )
        # Contacts stored before normalisation existed (as an old import left them).
        old = cls.env["res.partner"].with_context(culture_skip_normalise=True)
        cls.old_mobile = old.create({"name": "Oud Mobiel", "mobile": "06-12345678"})
        cls.old_email = old.create({"name": "Oud Email", "email": " oud@example.nl "})
        cls.old_zip = old.create(
            {"name": "Oude Postcode", "zip": "1234ab", "country_id": cls.env.ref("base.nl").id}
        )
        cls.unreadable = old.create({"name": "Onleesbaar", "phone": "bel receptie"})
        cls.env = cls.env(user=cls.manager)
        cls.Wizard = cls.env["culture.normalise.contacts"]

    def test_preview_counts_and_shows_the_changes_before_anything_changes(self):
        wizard = self.Wizard.create({})
        self.assertGreaterEqual(wizard.phone_count, 2)
        self.assertGreaterEqual(wizard.email_count, 1)
        self.assertGreaterEqual(wizard.zip_count, 1)
        after = {(line.partner_id, line.value_after) for line in wizard.preview_ids}
        self.assertIn((self.old_mobile, "+31 6 12345678"), after)
        self.assertEqual(self.old_mobile.mobile, "06-12345678")

    def test_run_normalises_the_selected_contacts(self):
        selected = self.old_mobile | self.old_email | self.old_zip | self.unreadable
        wizard = self.Wizard.with_context(
            active_model="res.partner", active_ids=selected.ids
        ).create({})
        wizard.action_run()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.changed_count, 3)
        self.assertEqual(self.old_mobile.mobile, "+31 6 12345678")
        self.assertEqual(self.old_email.email, "oud@example.nl")
        self.assertEqual(self.old_zip.zip, "1234 AB")
        self.assertEqual(self.unreadable.phone, "bel receptie")
        self.assertTrue(self.unreadable.phone_needs_check)

    def test_scheduled_run_works_through_all_contacts_in_batches(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("culture_crm.normalise_cursor", "0")
        Wizard = self.Wizard.sudo()
        for _run in range(1000):
            if not params.get_param("culture_crm.normalise_cursor"):
                break
            Wizard._cron_normalise(batch_size=2, max_batches=1)
        self.assertFalse(params.get_param("culture_crm.normalise_cursor"))
        self.assertEqual(self.old_mobile.mobile, "+31 6 12345678")
        self.assertEqual(self.old_zip.zip, "1234 AB")
