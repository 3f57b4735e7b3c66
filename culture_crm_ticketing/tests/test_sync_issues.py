# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools.translate import LazyTranslate

from ..connectors.records import RecordError
from .common import NOW, TicketingCase, bad_record, order, page, ticket

_lt = LazyTranslate(__name__)


class TestSyncIssues(TicketingCase):
    def test_a_record_the_connector_could_not_read_becomes_an_issue(self):
        self.sync(page(order("A1"), errors=[bad_record("X9")]))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.external_id, "X9")
        self.assertEqual(issue.state, "open")
        self.assertIn("no status", issue.error)
        self.assertEqual(issue.payload, {"code": "X9"})
        self.assertTrue(self.order_of("A1"), "the rest of the page goes on")

    def test_a_record_the_database_refuses_becomes_an_issue_and_the_batch_goes_on(self):
        # PostgreSQL stores no NUL character in text: the whole batch's statement fails.
        garbled = ticket(ticket_type="Regulier\x00")
        self.sync(page(order("A1"), order("A2"), order("A3", tickets=[garbled])))
        self.assertTrue(self.order_of("A1"))
        self.assertTrue(self.order_of("A2"))
        self.assertFalse(self.order_of("A3"))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.external_id, "A3")
        self.assertEqual(self.backend.open_issue_count, 1)

    def test_the_same_failure_again_changes_nothing(self):
        self.sync(page(order("A1"), errors=[bad_record("X9")]))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        seen = issue.write_date
        self.sync(page(order("A1"), errors=[bad_record("X9")]))
        issues = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issues, issue)
        self.assertEqual(issue.write_date, seen)

    def test_a_record_without_id_is_one_issue_however_often_it_fails(self):
        self.sync(page(order("A1"), errors=[bad_record(None)]))
        self.sync(page(order("A1"), errors=[bad_record(None)]))
        self.assertEqual(self.Issue.search_count([("backend_id", "=", self.backend.id)]), 1)

    def test_a_record_without_id_or_payload_is_one_issue_in_any_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm_ticketing"], ["nl_NL"])
        message = "the order has no event or no code"  # pretix's mapper says it
        for lang in ("nl_NL", "en_US", "nl_NL"):
            nameless = RecordError(_lt(message))
            self.sync(page(errors=[nameless]), backend=self.backend.with_context(lang=lang))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(issue), 1)
        self.assertEqual(issue.error, "de bestelling heeft geen evenement of geen code")

    def test_an_issue_resolves_when_its_record_imports(self):
        self.sync(page(errors=[bad_record("A7")]))
        self.sync(page(order("A7")))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.state, "resolved")
        self.assertEqual(self.backend.open_issue_count, 0)

    def test_a_warning_of_an_order_is_an_issue_beside_the_imported_order(self):
        warned = order("A1", warnings=("the answer 'misschien' to NIEUWSBRIEF is neither",))
        self.sync(page(warned))
        self.assertTrue(self.order_of("A1"))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual((issue.external_id, issue.state), ("A1", "open"))
        self.assertIn("misschien", issue.error)

    def test_the_warnings_issue_resolves_when_the_order_comes_without_it(self):
        self.sync(page(order("A1", warnings=("unreadable consent",))))
        self.sync(page(order("A1", modified=NOW)))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.state, "resolved")
