# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may do what to which contact, asserted through the ORM and through JSON-RPC.

Contacts: 'in' falls in Educatie test (stewarded by the steward, owned by the owner),
'out' falls in Pers test (neither's), 'unowned' falls in no domain. Creating 'in' or
'out' means creating a contact together with a role of that domain's type.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import StewardshipCase, StewardshipMixin

KINDS = ("in", "out", "unowned")
OPERATIONS = ("read", "write", "create", "unlink")
EVERYTHING = {operation: set(KINDS) for operation in OPERATIONS}

EXPECTED = {
    # Culture CRM User: reads all, changes only what nobody owns, creates contacts.
    "user": {"read": set(KINDS), "write": {"unowned"}, "unlink": {"unowned"}, "create": set(KINDS)},
    # Steward of Educatie test.
    "steward": {
        "read": set(KINDS),
        "write": {"in", "unowned"},
        "unlink": {"in", "unowned"},
        "create": set(KINDS),
    },
    # Data owner of Educatie test (and not its steward).
    "owner": {
        "read": set(KINDS),
        "write": {"in", "unowned"},
        "unlink": {"in", "unowned"},
        "create": set(KINDS),
    },
    "manager": EVERYTHING,
    # Internal users outside the Culture CRM groups keep Odoo's standard rights: an
    # employee reads contacts only; a contact manager changes all of them (no rule of
    # ours applies to them), but may not give roles (culture_crm's access rights).
    "employee": {"read": set(KINDS), "write": set(), "unlink": set(), "create": set()},
    "contact_manager": dict(EVERYTHING, create={"unowned"}),
}


class AccessMatrixMixin(StewardshipMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.personas = {
            "user": cls.user,
            "steward": cls.steward,
            "owner": cls.owner,
            "manager": cls.manager,
            "employee": new_test_user(cls.env, login="stw_employee", groups="base.group_user"),
            "contact_manager": new_test_user(
                cls.env,
                login="stw_contact_manager",
                groups="base.group_user,base.group_partner_manager",
            ),
        }
        cls.type_of_kind = {"in": cls.teacher, "out": cls.press, "unowned": None}

    def _fresh_contact(self, kind, label):
        relation_type = self.type_of_kind[kind]
        types = [relation_type] if relation_type else []
        contact = self._contact(f"Contact {kind} {label}", *types)
        self.assertEqual(
            bool(contact.data_domain_ids), kind != "unowned", "the fixture is what it says"
        )
        return contact

    def _create_values(self, kind, label):
        relation_type = self.type_of_kind[kind]
        values = {"name": f"New {kind} {label}"}
        if relation_type:
            values["culture_role_ids"] = [
                Command.create(
                    {"relation_type_id": relation_type.id, "date_start": str(self.today)}
                )
            ]
        return values

    def assert_matrix(self, attempt):
        """``attempt(persona, user, operation, kind)`` returns True when allowed."""
        for persona, expected in EXPECTED.items():
            user = self.personas[persona]
            for operation in OPERATIONS:
                for kind in KINDS:
                    with self.subTest(persona=persona, operation=operation, kind=kind):
                        allowed = attempt(persona, user, operation, kind)
                        self.assertEqual(
                            allowed,
                            kind in expected[operation],
                            f"{persona} {operation} {kind}: "
                            f"{'allowed' if allowed else 'refused'}",
                        )


class TestAccessMatrixORM(AccessMatrixMixin, StewardshipCase):
    def _attempt(self, persona, user, operation, kind):
        label = f"{persona} {operation}"
        Partner = self.env["res.partner"].with_user(user)
        try:
            with self.env.cr.savepoint():
                if operation == "create":
                    Partner.create(self._create_values(kind, label)).flush_recordset()
                    return True
                contact = Partner.browse(self._fresh_contact(kind, label).id)
                if operation == "read":
                    contact.read(["name", "email"])
                elif operation == "write":
                    contact.write({"email": "nieuw@example.com"})
                    contact.flush_recordset()
                else:
                    contact.unlink()
            return True
        except AccessError:
            return False

    def test_access_matrix_through_the_orm(self):
        self.assert_matrix(self._attempt)

    def test_refusal_names_the_owning_domain_and_whom_to_ask(self):
        contact = self._fresh_contact("out", "refusal")
        with self.assertRaises(AccessError) as refusal:
            contact.with_user(self.steward).write({"email": "x@example.com"})
        message = str(refusal.exception)
        self.assertIn("Pers test", message)
        self.assertIn("Petra Pers", message)

    def test_read_only_contact_says_why_on_the_form(self):
        out = self._fresh_contact("out", "banner").with_user(self.steward)
        mine = self._fresh_contact("in", "banner").with_user(self.steward)
        self.assertIn("Pers test", out.culture_edit_lock_reason)
        self.assertFalse(out.culture_can_edit)
        self.assertFalse(mine.culture_edit_lock_reason)
        self.assertTrue(mine.culture_can_edit)

    def test_editable_by_me_filter_lists_exactly_what_the_rules_allow(self):
        contacts = {kind: self._fresh_contact(kind, "filter") for kind in KINDS}
        editable = (
            self.env["res.partner"]
            .with_user(self.steward)
            .search(
                [
                    ("culture_can_edit", "=", True),
                    ("id", "in", [c.id for c in contacts.values()]),
                ]
            )
        )
        self.assertEqual(editable, contacts["in"] | contacts["unowned"])

    def test_company_address_change_reaches_contacts_owned_by_other_domains(self):
        company = self._contact("Stichting Voorbeeld", is_company=True)
        journalist = self._contact("Karin Kok", self.press, parent_id=company.id)
        company.with_user(self.user).write({"street": "Breestraat 1", "city": "Leiden"})
        self.assertEqual(journalist.street, "Breestraat 1")


@tagged("post_install", "-at_install")
class TestAccessMatrixJsonRpc(AccessMatrixMixin, HttpCase):
    def _call(self, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/res.partner/{method}",
            {"model": "res.partner", "method": method, "args": args, "kwargs": {}},
        )

    def _attempt(self, persona, user, operation, kind):
        label = f"{persona} {operation} rpc"
        contact = None if operation == "create" else self._fresh_contact(kind, label)
        self.authenticate(user.login, user.login)
        try:
            if operation == "create":
                self._call("create", [[self._create_values(kind, label)]])
            elif operation == "read":
                self._call("read", [[contact.id], ["name", "email"]])
            elif operation == "write":
                self._call("write", [[contact.id], {"email": "nieuw@example.com"}])
            else:
                self._call("unlink", [[contact.id]])
            return True
        except JsonRpcException as error:
            self.assertEqual(error.args[0], "odoo.exceptions.AccessError")
            return False

    def test_access_matrix_through_json_rpc(self):
        self.assert_matrix(self._attempt)
