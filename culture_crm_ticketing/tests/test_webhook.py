# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase


class TestPretixWebhook(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Kassa De Kade",
                "pretix_url": "http://pretix.invalid",
                "pretix_organizer": "dekade",
            }
        )
        cls.Pending = cls.env["culture.ticketing.pending.fetch"]
        cls.Trigger = cls.env["ir.cron.trigger"]

    def post(self, body, backend_id=None, secret=None, content_type="application/json"):
        backend_id = backend_id or self.backend.id
        url = f"/culture_crm_ticketing/webhook/{backend_id}/{secret or self.backend.webhook_secret}"
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return self.url_open(url, data=data, headers={"Content-Type": content_type})

    def notification(self, code="ABC12", action="pretix.event.order.paid"):
        return {"organizer": "dekade", "event": "hamlet", "code": code, "action": action}

    def written(self):
        return (self.Pending.search_count([]), self.Trigger.search_count([]))

    def test_a_valid_webhook_notes_the_order_and_wakes_the_sync(self):
        response = self.post(self.notification())
        self.assertEqual(response.status_code, 202)
        pending = self.Pending.search([("backend_id", "=", self.backend.id)])
        self.assertEqual((pending.event_slug, pending.order_code), ("hamlet", "ABC12"))
        self.assertTrue(self.Trigger.search([("cron_id", "=", self.backend.cron_id.id)]))

    def test_a_repeated_webhook_is_one_order_to_fetch(self):
        self.post(self.notification(action="pretix.event.order.placed"))
        self.post(self.notification(action="pretix.event.order.paid"))
        self.post(self.notification(action="pretix.event.order.placed"))
        pending = self.Pending.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(pending), 1)

    def test_a_wrong_secret_is_not_found_and_writes_nothing(self):
        before = self.written()
        response = self.post(self.notification(), secret="not-the-secret")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.written(), before)

    def test_an_unknown_backend_is_not_found_and_writes_nothing(self):
        before = self.written()
        response = self.post(self.notification(), backend_id=self.backend.id + 1000)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.written(), before)

    def test_an_archived_backend_is_not_found(self):
        self.backend.active = False
        response = self.post(self.notification())
        self.assertEqual(response.status_code, 404)

    def test_an_oversized_body_is_refused(self):
        before = self.written()
        body = dict(self.notification(), padding="x" * 70_000)
        response = self.post(body)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.written(), before)

    def test_a_body_that_is_not_json_is_refused(self):
        before = self.written()
        response = self.post(b"{not json", content_type="text/plain")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.written(), before)

    def test_a_body_without_an_order_code_is_refused(self):
        body = self.notification()
        del body["code"]
        response = self.post(body)
        self.assertEqual(response.status_code, 400)
        self.assertIn("code", response.json()["error"])

    def test_a_webhook_of_another_organizer_is_refused(self):
        response = self.post(dict(self.notification(), organizer="someone-else"))
        self.assertEqual(response.status_code, 400)
