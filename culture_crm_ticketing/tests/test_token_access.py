# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import JsonRpcException

TOKEN = "s3cr3t-" * 9


class TestTokenAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Kassa De Kade",
                "pretix_url": "http://pretix.invalid",
                "pretix_organizer": "dekade",
                "api_token": TOKEN,
            }
        )
        cls.user = new_test_user(
            cls.env, login="tix_staff", groups="culture_crm.group_culture_user"
        )
        cls.manager = new_test_user(
            cls.env,
            login="tix_boss",
            groups="culture_crm_ticketing.group_culture_ticketing_manager",
        )

    def test_a_manager_reads_the_token(self):
        self.assertEqual(self.backend.with_user(self.manager).api_token, TOKEN)

    def test_a_user_cannot_read_the_token_through_the_orm(self):
        backend = self.backend.with_user(self.user)
        self.assertEqual(backend.name, "Kassa De Kade")
        with self.assertRaises(AccessError):
            backend.read(["api_token"])
        with self.assertRaises(AccessError):
            backend.read(["webhook_secret"])

    def test_a_user_cannot_read_the_token_over_rpc(self):
        self.authenticate("tix_staff", "tix_staff")
        call = {
            "model": "culture.ticketing.backend",
            "method": "web_read",
            "args": [[self.backend.id]],
            "kwargs": {"specification": {"name": {}, "api_token": {}}},
        }
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/web/dataset/call_kw", call)
        everything = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "culture.ticketing.backend",
                "method": "search_read",
                "args": [[("id", "=", self.backend.id)]],
                "kwargs": {},
            },
        )
        self.assertNotIn(TOKEN, str(everything))
        self.assertNotIn("api_token", everything[0])

    def test_the_backend_form_sent_to_a_user_has_no_token(self):
        self.authenticate("tix_staff", "tix_staff")
        views = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "culture.ticketing.backend",
                "method": "get_views",
                "args": [[[False, "form"]]],
                "kwargs": {},
            },
        )
        arch = views["views"]["form"]["arch"]
        self.assertNotIn('name="api_token"', arch)
        self.assertNotIn('name="webhook_url"', arch)
        self.assertNotIn("api_token", views["models"]["culture.ticketing.backend"]["fields"])
