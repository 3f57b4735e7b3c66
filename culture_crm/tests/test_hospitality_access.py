# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

NOTES = "Glutenvrij; zit graag aan het gangpad."


class TestHospitalityNotesOrm(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(
            cls.env, login="culture_hosp_staff", groups="culture_crm.group_culture_user"
        )
        cls.host = new_test_user(
            cls.env,
            login="culture_hosp_host",
            groups="culture_crm.group_culture_user,culture_crm.group_culture_hospitality",
        )
        cls.partner = (
            cls.env["res.partner"]
            .with_user(cls.host)
            .create({"name": "Sponsor Directeur", "culture_hospitality_notes": NOTES})
        )

    def test_staff_without_hospitality_group_cannot_read_notes(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.staff).read(["culture_hospitality_notes"])

    def test_staff_without_hospitality_group_cannot_write_notes(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.staff).write({"culture_hospitality_notes": "Vegan"})

    def test_staff_without_hospitality_group_cannot_search_on_notes(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.staff).search(
                [("culture_hospitality_notes", "ilike", "gluten")]
            )

    def test_notes_are_not_described_to_staff_without_group(self):
        self.assertNotIn(
            "culture_hospitality_notes", self.env["res.partner"].with_user(self.staff).fields_get()
        )

    def test_contact_form_has_no_notes_for_staff_without_group(self):
        views = self.env["res.partner"].with_user(self.staff).get_views([(False, "form")])
        self.assertIn('name="culture"', views["views"]["form"]["arch"])
        self.assertNotIn("culture_hospitality_notes", views["views"]["form"]["arch"])

    def test_hospitality_staff_read_the_notes_on_the_form(self):
        views = self.env["res.partner"].with_user(self.host).get_views([(False, "form")])
        self.assertIn("culture_hospitality_notes", views["views"]["form"]["arch"])
        values = self.partner.with_user(self.host).read(["culture_hospitality_notes"])
        self.assertEqual(values[0]["culture_hospitality_notes"], NOTES)


@tagged("post_install", "-at_install")
class TestHospitalityNotesRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="culture_rpc_staff", groups="culture_crm.group_culture_user")
        new_test_user(
            cls.env,
            login="culture_rpc_host",
            groups="culture_crm.group_culture_user,culture_crm.group_culture_hospitality",
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Fonds Directeur", "culture_hospitality_notes": NOTES}
        )

    def _call_kw(self, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/res.partner/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "res.partner",
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_rpc_read_of_notes_is_refused_without_group(self):
        self.authenticate("culture_rpc_staff", "culture_rpc_staff")
        answer = self._call_kw("read", [[self.partner.id], ["culture_hospitality_notes"]])
        self.assertNotIn("result", answer)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn(NOTES, json.dumps(answer))

    def test_rpc_web_read_of_notes_is_refused_without_group(self):
        self.authenticate("culture_rpc_staff", "culture_rpc_staff")
        answer = self._call_kw(
            "web_read", [[self.partner.id]], {"specification": {"culture_hospitality_notes": {}}}
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn(NOTES, json.dumps(answer))

    def test_rpc_fields_get_leaves_notes_out_without_group(self):
        self.authenticate("culture_rpc_staff", "culture_rpc_staff")
        answer = self._call_kw("fields_get", [], {"attributes": ["string"]})
        self.assertIn("culture_genre_ids", answer["result"])
        self.assertNotIn("culture_hospitality_notes", answer["result"])

    def test_rpc_read_of_notes_works_for_hospitality_staff(self):
        self.authenticate("culture_rpc_host", "culture_rpc_host")
        answer = self._call_kw("read", [[self.partner.id], ["culture_hospitality_notes"]])
        self.assertEqual(answer["result"][0]["culture_hospitality_notes"], NOTES)
