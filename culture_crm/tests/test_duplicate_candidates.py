# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user


class DuplicateCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nl = cls.env.ref("base.nl")
        cls.env.company.country_id = cls.nl
        cls.steward = new_test_user(
            cls.env, login="culture_dup_steward", groups="culture_crm.group_culture_user"
        )
        cls.env = cls.env(user=cls.steward)
        cls.Partner = cls.env["res.partner"]
        cls.Candidate = cls.env["culture.duplicate.candidate"]

    def _person(self, name, **values):
        return self.Partner.create(dict({"name": name, "country_id": self.nl.id}, **values))

    def _pair(self, a, b):
        low, high = sorted((a.id, b.id))
        return self.Candidate.search([("partner_a_id", "=", low), ("partner_b_id", "=", high)])


class TestDuplicateCandidates(DuplicateCase):
    def test_scan_proposes_a_pair_with_score_and_reasons(self):
        jan = self._person(
            "Jan van der Berg",
            email="jan.vdberg@example.nl",
            street="Kerkstraat 12",
            zip="1234AB",
            city="Amsterdam",
        )
        j = self._person(
            "J. vd Berg",
            email="Jan.VDBerg@example.nl ",
            street="Kerkstraat 12",
            zip="1234 ab",
            city="Amsterdam",
        )
        self.Candidate._scan_partners([j.id])
        pair = self._pair(jan, j)
        self.assertEqual(pair.state, "open")
        self.assertGreaterEqual(pair.score, 70)
        self.assertTrue(pair.reasons)
        self.assertIn("<li>", str(pair.reasons_html))

    def test_pair_without_a_shared_key_is_never_compared(self):
        a = self._person("Marieke de Vries", city="Utrecht", email="marieke@example.nl")
        b = self._person("Marieke de Vries", city="Groningen", email="mdv@example.org")
        self.Candidate._scan_partners([a.id, b.id])
        self.assertFalse(self._pair(a, b))
        holders = self.Partner._culture_key_holders(a._culture_blocking_key_list())
        self.assertNotIn(b.id, holders)
        self.assertFalse(self.Candidate._matches_for([a.id]))

    def test_not_a_duplicate_is_remembered_across_scans(self):
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        self.Candidate._scan_partners([b.id])
        pair = self._pair(a, b)
        pair.action_not_duplicate()
        b.write({"phone": "06 12345678"})
        a.write({"phone": "06 12345678"})
        self.Candidate._scan_partners([a.id, b.id])
        self.assertEqual(self._pair(a, b).state, "not_duplicate")
        self.assertEqual(len(self._pair(a, b)), 1)

    def test_later_hides_the_pair_from_the_review_list(self):
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        self.Candidate._scan_partners([b.id])
        pair = self._pair(a, b)
        pair.action_later()
        self.assertEqual(pair.state, "open")
        self.assertNotIn(pair, self.Candidate.search(self.Candidate._review_domain()))

    def test_household_members_are_not_proposed(self):
        a = self._person("Jan Jansen", street="Dorpsstraat 3", zip="1234AB", phone="020 1234567")
        b = self._person("Els Jansen", street="Dorpsstraat 3", zip="1234AB", phone="020 1234567")
        self.Candidate._scan_partners([a.id, b.id])
        self.assertFalse(self._pair(a, b))

    def test_incremental_scan_takes_contacts_changed_since_its_cursor(self):
        Candidate = self.Candidate.sudo()
        Candidate._cron_scan_changed(settle_minutes=0)  # first run: sets the cursor
        a = self._person("Anna Smit", email="anna.smit@example.nl")
        b = self._person("A. Smit", email="anna.smit@example.nl")
        Candidate._cron_scan_changed(settle_minutes=0)
        self.assertEqual(self._pair(a, b).state, "open")
        cursor = (
            self.env["ir.config_parameter"].sudo().get_param("culture_crm.duplicate_scan_cursor")
        )
        self.assertTrue(cursor.endswith(f",{max(a.id, b.id)}"))

    def test_full_scan_runs_in_batches_until_done(self):
        a = self._person("Anna Smit", email="anna.smit@example.nl")
        b = self._person("A. Smit", email="anna.smit@example.nl")
        Candidate = self.Candidate.sudo()
        Candidate.action_start_full_scan()
        params = self.env["ir.config_parameter"].sudo()
        Candidate._cron_full_scan(batch_size=10, max_batches=1)
        self.assertTrue(params.get_param("culture_crm.duplicate_full_scan_cursor"))
        for _run in range(1000):
            if not params.get_param("culture_crm.duplicate_full_scan_cursor"):
                break
            Candidate._cron_full_scan(batch_size=500, max_batches=1)
        self.assertFalse(params.get_param("culture_crm.duplicate_full_scan_cursor"))
        self.assertEqual(self._pair(a, b).state, "open")

    def test_likely_threshold_is_configurable(self):
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        self.env["ir.config_parameter"].sudo().set_param(
            "culture_crm.duplicate_threshold_likely", "100"
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "culture_crm.duplicate_threshold_certain", "100"
        )
        self.Candidate._scan_partners([a.id, b.id])
        self.assertFalse(self._pair(a, b))

    def test_reasons_are_shown_in_the_stewards_language(self):
        self.env["res.lang"].sudo()._activate_lang("nl_NL")
        self.env["ir.module.module"].sudo()._load_module_terms(["culture_crm"], ["nl_NL"])
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        candidate = self.Candidate._get_or_create_pair(a, b)
        candidate.reasons = (
            "surname 100, first name initial matches\nsame e-mail\nan unknown reason"
        )
        dutch = candidate.with_context(lang="nl_NL")
        self.assertEqual(
            dutch.reason_summary,
            "achternaam 100, voorletter komt overeen; zelfde e-mailadres; an unknown reason",
        )

    def test_plain_employee_cannot_read_duplicates(self):
        employee = new_test_user(
            self.env(su=True), login="culture_dup_employee", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Candidate.with_user(employee).search([])


class TestDuplicateBanner(DuplicateCase):
    def test_banner_shows_while_a_contact_is_typed_in(self):
        existing = self._person("Jan van der Berg", email="jan@example.nl")
        new = self.Partner.new({"name": "J. v.d. Berg", "email": " JAN@example.nl"})
        self.assertEqual(new.duplicate_partner_id, existing)
        self.assertIn("Jan van der Berg", new.duplicate_warning)
        self.assertRegex(new.duplicate_warning, r"^Possible duplicate of .*\(\d+%\)$")

    def test_banner_shows_after_saving(self):
        existing = self._person("Jan van der Berg", email="jan@example.nl")
        saved = self._person("J. v.d. Berg", email="jan@example.nl")
        self.assertEqual(saved.duplicate_partner_id, existing)
        self.assertEqual(existing.duplicate_partner_id, saved)

    def test_banner_is_dutch_for_a_dutch_user(self):
        self.env["res.lang"].sudo()._activate_lang("nl_NL")
        self.env["ir.module.module"].sudo()._load_module_terms(["culture_crm"], ["nl_NL"])
        self._person("Jan van der Berg", email="jan@example.nl")
        new = self.Partner.with_context(lang="nl_NL").new(
            {"name": "J. v.d. Berg", "email": "jan@example.nl"}
        )
        self.assertRegex(new.duplicate_warning, r"^Mogelijk dubbel met Jan van der Berg \(\d+%\)$")

    def test_not_a_duplicate_from_the_banner_hides_it(self):
        existing = self._person("Jan van der Berg", email="jan@example.nl")
        saved = self._person("J. v.d. Berg", email="jan@example.nl")
        saved.action_culture_not_duplicate()
        saved.invalidate_recordset()
        existing.invalidate_recordset()
        self.assertFalse(saved.duplicate_partner_id)
        self.assertFalse(existing.duplicate_partner_id)

    def test_form_onchange_returns_the_banner(self):
        existing = self._person("Anna Smit", mobile="06 12345678")
        result = self.Partner.onchange(
            {
                "name": "A. Smit",
                "mobile": "0612345678",
                "country_id": self.nl.id,
                "duplicate_warning": False,
                "duplicate_partner_id": False,
            },
            ["mobile"],
            {
                "name": {},
                "mobile": {},
                "country_id": {},
                "duplicate_warning": {},
                "duplicate_partner_id": {"fields": {"display_name": {}}},
            },
        )
        self.assertEqual(result["value"]["duplicate_partner_id"]["id"], existing.id)
        self.assertIn("Anna Smit", result["value"]["duplicate_warning"])
