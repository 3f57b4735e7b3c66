# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ..connectors.records import OrderRecord, PersonRecord
from .common import NOW, TicketingCase, days, local_day, order, page, person, ticket


class TestOrderLifecycle(TicketingCase):
    def setUp(self):
        super().setUp()
        self.seats = [ticket(external_id="P1"), ticket(external_id="P2")]

    def version(self, state, minutes, tickets=None, **values):
        return order(
            "L1",
            state=state,
            tickets=tickets if tickets is not None else self.seats,
            modified=NOW - days(40) + days(minutes / 1440),
            **values,
        )

    def buyer(self):
        return self.order_of("L1").partner_id

    def test_a_placed_order_has_pending_tickets_and_no_visits(self):
        self.sync(page(self.version("pending", 1)))
        self.assertEqual(set(self.order_of("L1").ticket_ids.mapped("state")), {"pending"})
        self.assertEqual(self.buyer().audience_visits_total, 0)
        self.assertEqual(self.buyer().audience_revenue, 0)

    def test_paying_makes_the_tickets_visits(self):
        self.sync(page(self.version("pending", 1)))
        self.sync(page(self.version("paid", 2)))
        self.assertEqual(set(self.order_of("L1").ticket_ids.mapped("state")), {"valid"})
        self.assertEqual(self.buyer().audience_visits_total, 1)
        self.assertEqual(self.buyer().audience_revenue, 50)

    def test_canceling_after_payment_takes_the_visit_back(self):
        self.sync(page(self.version("paid", 1)))
        self.sync(page(self.version("canceled", 2)))
        self.assertEqual(self.order_of("L1").state, "canceled")
        self.assertEqual(set(self.order_of("L1").ticket_ids.mapped("state")), {"canceled"})
        self.assertEqual(self.buyer().audience_visits_total, 0)
        self.assertEqual(self.buyer().audience_order_count, 0)
        self.assertFalse(self.buyer().audience_segment)

    def test_a_refund_takes_the_revenue_back(self):
        self.sync(page(self.version("paid", 1)))
        self.sync(page(self.version("refunded", 2, refunded_amount=50)))
        self.assertEqual(self.order_of("L1").state, "refunded")
        self.assertEqual(self.buyer().audience_revenue, 0)

    def test_a_partial_refund_of_a_paid_order_lowers_the_revenue(self):
        self.sync(page(self.version("paid", 1)))
        self.sync(page(self.version("paid", 2, refunded_amount=20)))
        self.assertEqual(self.buyer().audience_revenue, 30)

    def test_an_expired_order_counts_for_nothing(self):
        self.sync(page(self.version("pending", 1)))
        self.sync(page(self.version("expired", 2)))
        self.assertEqual(set(self.order_of("L1").ticket_ids.mapped("state")), {"canceled"})
        self.assertEqual(self.buyer().audience_order_count, 0)

    def test_an_added_position_becomes_a_ticket(self):
        self.sync(page(self.version("paid", 1)))
        extra = ticket("carmen", external_id="P3")
        self.sync(page(self.version("paid", 2, tickets=[*self.seats, extra])))
        self.assertEqual(
            sorted(self.order_of("L1").ticket_ids.mapped("external_id")), ["P1", "P2", "P3"]
        )
        self.assertEqual(self.buyer().audience_next_visit, local_day(self.env, NOW + days(30)))

    def test_a_removed_position_cancels_its_ticket(self):
        self.sync(page(self.version("paid", 1)))
        self.sync(page(self.version("paid", 2, tickets=self.seats[:1])))
        states = {t.external_id: t.state for t in self.order_of("L1").ticket_ids}
        self.assertEqual(states, {"P1": "valid", "P2": "canceled"})

    def test_a_canceled_position_cancels_its_ticket(self):
        self.sync(page(self.version("paid", 1)))
        canceled = ticket(external_id="P2", canceled=True)
        self.sync(page(self.version("paid", 2, tickets=[self.seats[0], canceled])))
        states = {t.external_id: t.state for t in self.order_of("L1").ticket_ids}
        self.assertEqual(states, {"P1": "valid", "P2": "canceled"})

    def test_a_deleted_order_is_archived_with_its_tickets_canceled(self):
        self.sync(page(self.version("paid", 1)))
        buyer_name = self.order_of("L1").buyer_name
        # pretix answers a deleted order's fetch with 404: the connector knows its id only.
        outcome = self.sync(
            page(OrderRecord(external_id="L1", state="deleted", buyer=PersonRecord()))
        )
        self.assertFalse(outcome.totals.failed, self.Issue.search([]).mapped("error"))
        gone = self.order_of("L1")
        self.assertFalse(gone.active)
        self.assertEqual(gone.buyer_name, buyer_name, "what was known stays")
        self.assertEqual(set(gone.ticket_ids.mapped("state")), {"canceled"})
        self.assertEqual(self.buyer().audience_order_count, 0)

    def test_an_older_version_never_overwrites_a_newer_one(self):
        self.sync(page(self.version("paid", 2)))
        outcome = self.sync(page(self.version("pending", 1)))
        self.assertEqual(outcome.totals.skipped, 1)
        self.assertEqual(self.order_of("L1").state, "paid")

    def test_test_mode_orders_are_ignored_by_default(self):
        self.sync(page(order("TEST1", testmode=True)))
        self.assertFalse(self.order_of("TEST1"))

    def test_test_mode_orders_are_imported_when_the_backend_says_so(self):
        self.backend.import_test_orders = True
        self.sync(page(order("TEST1", testmode=True)))
        self.assertTrue(self.order_of("TEST1").testmode)


class TestTicketMovedToAnotherOrder(TicketingCase):
    """A ticket number the ticketing system puts in another order (an exchange, a ticket
    passed on): the ticket belongs to the order the ticketing system changed last."""

    def anna_then_bram(self, anna_days_ago, bram_days_ago):
        anna = order(
            "A1",
            buyer=person("Anna de Vries", "anna@example.nl"),
            tickets=(ticket(external_id="SEAT-7"), ticket(external_id="SEAT-8")),
            modified=NOW - days(anna_days_ago),
        )
        bram = order(
            "B1",
            buyer=person("Bram Jansen", "bram@example.nl"),
            tickets=(ticket(external_id="SEAT-7"),),
            modified=NOW - days(bram_days_ago),
        )
        return anna, bram

    def test_a_ticket_in_a_later_order_moves_to_it_with_its_visit(self):
        anna, bram = self.anna_then_bram(10, 5)
        self.sync(page(anna))
        outcome = self.sync(page(bram))
        self.assertFalse(outcome.totals.failed, self.Issue.search([]).mapped("error"))
        seat = self.Ticket.search([("external_id", "=", "SEAT-7")])
        self.assertEqual(len(seat), 1)
        self.assertEqual(seat.order_id, self.order_of("B1"))
        self.assertEqual(seat.partner_id, self.contact("bram@example.nl"))
        self.assertEqual(self.order_of("A1").ticket_ids.mapped("external_id"), ["SEAT-8"])
        self.assertEqual(self.order_of("A1").valid_ticket_count, 1)
        self.assertEqual(self.contact("anna@example.nl").audience_ticket_count, 1)
        self.assertEqual(self.contact("bram@example.nl").audience_ticket_count, 1)
        self.assertFalse(self.Issue.search([("state", "=", "open")]))

    def test_an_older_order_does_not_take_a_ticket_back_and_says_so(self):
        anna, bram = self.anna_then_bram(10, 5)
        self.sync(page(bram))
        outcome = self.sync(page(anna))
        self.assertFalse(outcome.totals.failed)
        seat = self.Ticket.search([("external_id", "=", "SEAT-7")])
        self.assertEqual(seat.order_id, self.order_of("B1"))
        self.assertEqual(self.order_of("A1").ticket_ids.mapped("external_id"), ["SEAT-8"])
        issue = self.Issue.search([("external_id", "=", "A1"), ("state", "=", "open")])
        self.assertEqual(len(issue), 1)
        self.assertIn("SEAT-7", issue.error)
        self.assertIn("B1", issue.error)

    def test_two_orders_of_one_batch_with_one_ticket_number(self):
        anna, bram = self.anna_then_bram(5, 10)
        outcome = self.sync(page(anna, bram))
        self.assertEqual(outcome.totals.created, 2)
        seat = self.Ticket.search([("external_id", "=", "SEAT-7")])
        self.assertEqual(seat.order_id, self.order_of("A1"), "Anna's order changed last")
        self.assertFalse(self.order_of("B1").ticket_ids)
        issue = self.Issue.search([("external_id", "=", "B1"), ("state", "=", "open")])
        self.assertIn("SEAT-7", issue.error)
