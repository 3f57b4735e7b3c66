# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import NOW, TicketingCase, consent, days, order, page


class TestConsentFromOrders(TicketingCase):
    def consents(self):
        return self.env["culture.consent"].search(
            [("partner_id", "=", self.contact("anna@example.nl").id)]
        )

    def test_a_consent_answer_becomes_the_buyers_consent_with_the_order_as_reference(self):
        self.sync(page(order("C1", consents=(consent(),))))
        given = self.consents()
        self.assertEqual(given.purpose_id.code, "newsletter")
        self.assertEqual(given.state, "granted")
        self.assertEqual(given.source, "ticketing")
        self.assertIn("C1", given.source_reference)

    def test_a_no_withdraws_the_consent(self):
        self.sync(page(order("C2", consents=(consent(),), modified=NOW - days(3))))
        self.sync(page(order("C3", consents=(consent(granted=False),), modified=NOW - days(2))))
        self.assertEqual(self.consents().mapped("state"), ["withdrawn", "granted"])

    def test_a_replayed_order_records_its_consent_once(self):
        self.sync(page(order("C4", consents=(consent(),))))
        self.sync(page(order("C4", consents=(consent(),))), force=True)
        self.assertEqual(len(self.consents()), 1)

    def test_an_answer_mapped_on_the_backend_is_recorded(self):
        self.env["culture.ticketing.consent.map"].create(
            {"backend_id": self.backend.id, "question": "MAILS", "purpose_code": "newsletter"}
        )
        self.sync(page(order("C5", consents=(consent("MAILS", purpose=None),))))
        self.assertEqual(self.consents().purpose_id.code, "newsletter")

    def test_an_unknown_purpose_is_an_issue_and_the_order_still_imports(self):
        self.sync(page(order("C6", consents=(consent(purpose="no_such_purpose"),))))
        self.assertTrue(self.order_of("C6"))
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.external_id, "C6")
        self.assertIn("no_such_purpose", issue.error)

    def test_the_unknown_purpose_issue_speaks_the_language_of_who_syncs(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm_ticketing"], ["nl_NL"])
        self.sync(
            page(order("C7", consents=(consent("NIEUWSBRIEF", purpose="geen_doel"),))),
            backend=self.backend.with_context(lang="nl_NL"),
        )
        issue = self.Issue.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(issue.external_id, "C7")
        self.assertIn("'NIEUWSBRIEF'", issue.error)
        self.assertIn("'geen_doel', dat niet bestaat", issue.error)
