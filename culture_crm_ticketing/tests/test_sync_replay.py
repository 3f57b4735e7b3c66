# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import TicketingCase, order, page, person, ticket


class TestSyncReplay(TicketingCase):
    def test_first_sync_creates_orders_tickets_and_performances(self):
        self.sync(page(order("A1"), order("A2", buyer=person("Bram Bos", "bram@example.nl"))))
        self.assertEqual(self.backend.order_count, 2)
        self.assertEqual(self.backend.ticket_count, 4)
        hamlet = self.env["event.event"].search(
            [
                ("ticketing_backend_id", "=", self.backend.id),
                ("ticketing_external_id", "=", "hamlet"),
            ]
        )
        self.assertEqual(hamlet.name, "Hamlet")
        self.assertEqual(hamlet.culture_ticket_count, 4)

    def test_replaying_a_page_changes_nothing(self):
        first = page(order("A1"), order("A2", tickets=[ticket("carmen")]))
        self.sync(first)
        orders = self.Order.search([("backend_id", "=", self.backend.id)])
        stamps = {o.external_id: o.write_date for o in orders}
        ticket_stamps = {t.external_id: t.write_date for t in orders.ticket_ids}
        partners = self.env["res.partner"].search_count([])

        outcome = self.sync(first)

        self.assertEqual((outcome.totals.created, outcome.totals.updated), (0, 0))
        self.assertEqual(outcome.totals.unchanged, 2)
        orders = self.Order.search([("backend_id", "=", self.backend.id)])
        self.assertEqual({o.external_id: o.write_date for o in orders}, stamps)
        self.assertEqual({t.external_id: t.write_date for t in orders.ticket_ids}, ticket_stamps)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_the_same_order_twice_in_one_run_is_imported_once(self):
        self.sync(page(order("A1")), page(order("A1")))
        self.assertEqual(len(self.order_of("A1")), 1)
        self.assertEqual(len(self.order_of("A1").ticket_ids), 2)

    def test_another_backend_may_use_the_same_order_code(self):
        other = self.backend.copy({"name": "Kassa Foyer"})
        self.sync(page(order("A1")))
        self.sync(page(order("A1")), backend=other)
        self.assertEqual(len(self.order_of("A1")), 1)
        self.assertEqual(len(self.order_of("A1", other)), 1)
