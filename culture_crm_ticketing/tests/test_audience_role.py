# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

from .common import NOW, TicketingCase, days, order, page, performance, ticket


class TestAudienceRole(TicketingCase):
    def audience_roles(self, partner):
        audience = self.env.ref("culture_crm.relation_type_audience")
        return partner.culture_role_ids.filtered(lambda role: role.relation_type_id == audience)

    def test_a_paid_ticket_gives_the_audience_role(self):
        self.sync(page(order("R1")))
        role = self.audience_roles(self.contact("anna@example.nl"))
        self.assertEqual(role.state, "current")
        self.assertEqual(
            role.rule_id, self.env.ref("culture_crm_ticketing.role_rule_audience_recent_ticket")
        )

    def test_a_pending_order_gives_no_role_yet(self):
        self.sync(page(order("R2", state="pending")))
        self.assertFalse(self.audience_roles(self.contact("anna@example.nl")))

    def test_canceling_the_only_order_ends_the_role(self):
        self.sync(page(order("R3", modified=NOW - days(3))))
        self.sync(page(order("R3", state="canceled", modified=NOW - days(2))))
        role = self.audience_roles(self.contact("anna@example.nl"))
        self.assertEqual(role.date_end, fields.Date.context_today(role), "the role ends today")

    def test_a_ticket_older_than_the_rule_gives_no_role(self):
        old = performance("old", "Oude voorstelling", NOW - days(900))
        self.sync(
            page(
                order("R4", tickets=[ticket("old")], placed=NOW - days(950)),
                performances=[old],
            )
        )
        self.assertFalse(self.audience_roles(self.contact("anna@example.nl")))

    def test_a_manual_audience_role_is_left_alone(self):
        partner = self.env["res.partner"].create(
            {"name": "Anna de Vries", "email": "anna@example.nl"}
        )
        audience = self.env.ref("culture_crm.relation_type_audience")
        partner._add_role(audience, source="manual")
        self.sync(page(order("R5", modified=NOW - days(3))))
        self.sync(page(order("R5", state="canceled", modified=NOW - days(2))))
        self.assertEqual(self.audience_roles(partner).mapped("source"), ["manual"])
        self.assertEqual(self.audience_roles(partner).state, "current")
