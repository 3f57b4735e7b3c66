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

    def test_a_mobile_typed_beside_the_landline_finds_the_contact(self):
        both = self._person("Jan de Vries", phone="020-1234567 / 06-12345678")
        mobile = self._person("J. de Vries", mobile="+31 6 12 34 56 78")
        self.assertEqual(both.match_phone, "+31201234567")
        self.assertIn("+31612345678", both.match_blocking_keys.split("\n"))
        self.Candidate._scan_partners([mobile.id])
        self.assertIn("same E.164 mobile", self._pair(both, mobile).reasons)

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

    def _run_full_scan(self, **kwargs):
        Candidate = self.Candidate.sudo()
        params = self.env["ir.config_parameter"].sudo()
        for _run in range(1000):
            if not params.get_param("culture_crm.duplicate_full_scan_cursor"):
                return
            Candidate._cron_full_scan(**kwargs)
        self.fail("the full scan never finished")

    def test_full_scan_runs_in_batches_until_done(self):
        a = self._person("Anna Smit", email="anna.smit@example.nl")
        b = self._person("A. Smit", email="anna.smit@example.nl")
        c = self._person("Kees de Boer", phone="06 11122233")
        d = self._person("C. de Boer", phone="+31611122233")
        Candidate = self.Candidate.sudo()
        Candidate.action_start_full_scan()
        params = self.env["ir.config_parameter"].sudo()
        Candidate._cron_full_scan(batch_size=1, max_batches=1)
        cursor = params.get_param("culture_crm.duplicate_full_scan_cursor")
        self.assertTrue(cursor, "one batch of one match does not end the scan")
        self.assertGreater(int(cursor.partition(":")[0]), 0, "the cursor counts pairs done")
        self._run_full_scan(batch_size=1, max_batches=1)
        self.assertEqual(self._pair(a, b).state, "open")
        self.assertEqual(self._pair(c, d).state, "open")
        self.assertFalse(self._pair(a, c))

    def test_full_scan_resumes_after_its_last_committed_batch(self):
        a = self._person("Anna Smit", email="anna.smit@example.nl")
        b = self._person("A. Smit", email="anna.smit@example.nl")
        Candidate = self.Candidate.sudo()
        params = self.env["ir.config_parameter"].sudo()
        Candidate.action_start_full_scan()
        Candidate._cron_full_scan(batch_size=1, max_batches=1)
        done, _sep, fingerprint = params.get_param(
            "culture_crm.duplicate_full_scan_cursor"
        ).partition(":")
        # A run that stopped further on: the next one goes on from there...
        params.set_param("culture_crm.duplicate_full_scan_cursor", f"{10**9}:{fingerprint}")
        self.assertEqual(Candidate._cron_full_scan(), 0)
        self.assertFalse(params.get_param("culture_crm.duplicate_full_scan_cursor"))
        # ...but when the contacts changed in between, it starts over and misses nothing.
        self._pair(a, b).sudo().unlink()
        Candidate.action_start_full_scan()
        params.set_param("culture_crm.duplicate_full_scan_cursor", f"{10**9}:{fingerprint}")
        self._person("Bert Smit", email="bert.smit@example.nl")
        self._run_full_scan()
        self.assertEqual(self._pair(a, b).state, "open")
        self.assertTrue(done.isdigit())

    def test_full_scan_keeps_decisions_and_updates_open_pairs(self):
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        c = self._person("Marie Bos", mobile="06 23456789")
        d = self._person("M. Bos", mobile="0623456789")
        self.Candidate._scan_partners([b.id, d.id])
        rejected = self._pair(a, b)
        rejected.action_not_duplicate()
        open_pair = self._pair(c, d)
        open_pair.sudo().write({"score": 1, "reasons": "stale"})
        self.Candidate.sudo().action_start_full_scan()
        self._run_full_scan()
        self.assertTrue(open_pair.exists())
        self.assertEqual(rejected.state, "not_duplicate")
        self.assertEqual(len(self._pair(a, b)), 1)
        self.assertGreaterEqual(open_pair.score, 70)
        self.assertNotEqual(open_pair.reasons, "stale")

    def test_full_scan_drops_open_pairs_it_no_longer_finds(self):
        a = self._person("Piet Jansen", email="piet@example.nl")
        b = self._person("P. Jansen", email="piet@example.nl")
        self.Candidate._scan_partners([b.id])
        pair = self._pair(a, b)
        b.write({"email": "paula@example.nl", "name": "Paula Jansen"})
        pair.sudo().write({"scanned_on": "2000-01-01 00:00:00"})
        self.Candidate.sudo().action_start_full_scan()
        self._run_full_scan()
        self.assertFalse(pair.exists())

    def test_full_scan_finds_the_same_pairs_as_the_command_line(self):
        """The CRM's scan and ./setup/dedupe run one engine over the same contacts."""
        from ..matching.engine import MatchEngine

        self._person("Anna Smit", email="anna.smit@example.nl")
        self._person("A. Smit", email="anna.smit@example.nl")
        self._person("Kees de Boer", phone="06 11122233", street="Dorpsstraat 3", zip="1234AB")
        self._person("C. de Boer", street="Dorpsstraat 3", zip="1234 AB")
        self.Candidate.sudo().search([]).unlink()
        self.Candidate.sudo().action_start_full_scan()
        self._run_full_scan()
        Partner = self.Partner.sudo()
        contacts = list(Partner._culture_all_engine_contacts(page_size=7))
        self.assertEqual(len(contacts), Partner.search_count([]))
        expected = set()
        for match in MatchEngine(self.Candidate._thresholds()).find_pairs(contacts):
            a, b = Partner.browse([match.id_a, match.id_b])
            if a.parent_id != b and b.parent_id != a:
                expected.add((match.id_a, match.id_b))
        self.Candidate.invalidate_model()
        found = {
            (pair.partner_a_id.id, pair.partner_b_id.id)
            for pair in self.Candidate.sudo().search([("state", "=", "open")])
        }
        self.assertGreaterEqual(len(expected), 2)
        self.assertEqual(found, expected)

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
