# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields

from .common import NOW, TicketingCase, days, local_day, order, page, performance, ticket


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

    def test_the_role_starts_with_the_first_visit_not_the_import_day(self):
        """A first import of years of orders: a long-standing visitor is audience since
        her first performance, not since the day the CRM was connected."""
        first = performance("first", "Eerste voorstelling", NOW - days(300))
        self.sync(
            page(
                order("R6", tickets=[ticket("first")], placed=NOW - days(320)),
                order("R7", placed=NOW - days(40)),
                performances=[first, performance()],
            )
        )
        role = self.audience_roles(self.contact("anna@example.nl"))
        self.assertEqual(role.date_start, local_day(self.env, NOW - days(300)))
        self.assertEqual(role.state, "current")

    def test_a_returning_visitor_gets_a_new_role_after_the_old_one(self):
        self.sync(page(order("R8", modified=NOW - days(3))))
        self.sync(page(order("R8", state="canceled", modified=NOW - days(2))))
        partner = self.contact("anna@example.nl")
        ended = self.audience_roles(partner)
        self.assertTrue(ended.date_end)
        # It ended ten days ago; the performance of her new order was thirty days ago.
        ended.write({"date_end": (NOW - days(10)).date()})
        self.sync(page(order("R9", modified=NOW - days(1))))
        roles = self.audience_roles(partner).sorted("date_start")
        self.assertEqual(len(roles), 2, "the ended role stays as history")
        self.assertGreater(roles[1].date_start, roles[0].date_end)
        self.assertEqual(roles[1].state, "current")
