# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.sql_db import db_connect

from ..connectors.records import ConnectionFailure
from ..sync.importer import OrderImporter
from ..sync.runner import BACKEND_LOCK, SyncRunner
from .common import NOW, TicketingCase, consent, order, page, person, ticket


def pages_then_failure(pages):
    """Pages as an adapter yields them, until the ticketing system stops answering."""
    yield from pages
    raise ConnectionFailure("pretix did not answer within 30 s")


class TestSyncBatches(TicketingCase):
    def setUp(self):
        super().setUp()
        self.backend.batch_size = 2

    def test_cursor_is_the_last_committed_page(self):
        self.sync(page(order("A1"), cursor="c1"), page(order("A2"), cursor="c2"))
        self.assertEqual(self.backend.sync_cursor, "c2")

    def test_a_failure_keeps_the_batches_before_it_and_their_cursor(self):
        pages = [page(order(f"A{n}"), order(f"B{n}"), cursor=f"c{n}") for n in range(1, 4)]
        pages[0].performances = [self.hamlet, self.carmen]

        outcome = SyncRunner(self.backend.sudo()).run(pages=pages_then_failure(pages))
        self.env.invalidate_all()

        self.assertIn("did not answer", outcome.error)
        self.assertEqual(self.backend.sync_cursor, "c3")
        self.assertEqual(self.backend.order_count, 6)
        self.assertIn("did not answer", self.backend.last_error)

    def test_a_batch_that_fails_midway_leaves_no_trace_and_no_cursor(self):
        crash = RuntimeError("worker killed")

        def pages():
            yield page(order("A1"), order("B1"), cursor="c1", performances=[self.hamlet])
            yield page(order("A2"), cursor="c2")
            raise crash

        runner = SyncRunner(self.backend.sudo())
        original = runner._import_batch
        calls = []

        def import_then_crash(orders, *args, **kwargs):
            calls.append(len(orders))
            if len(calls) == 2:
                raise crash
            return original(orders, *args, **kwargs)

        runner._import_batch = import_then_crash
        runner.run(pages=pages())
        self.env.invalidate_all()

        self.assertEqual(self.backend.sync_cursor, "c1")
        self.assertEqual(self.backend.order_count, 2)
        self.assertFalse(self.order_of("A2"))

    def test_killed_between_a_batchs_people_and_its_orders_it_resumes_with_their_contacts(self):
        """The people of a batch are committed before its orders (and matched while the
        batch before is written). Killed in between, the next run gives each order the
        contact made for it, as first matched: no second contact for the buyer who left
        only a name and an address, no 'found by e-mail' for a buyer who was new."""
        bea = person("Bea Bakker", "bea@example.nl")
        piet = person("Piet Post", None, street="Kerkstraat 12", zip="1234 AB", city="Urk")
        first = page(order("A1"), order("A2"), cursor="c1")
        second = page(order("B1", buyer=bea), order("B2", buyer=piet), cursor="c2")
        runner = SyncRunner(self.backend.sudo())
        original = runner._import_batch

        def orders_then_kill(orders, *args, **kwargs):
            if orders[0].external_id == "B1":
                raise RuntimeError("worker killed")
            return original(orders, *args, **kwargs)

        first.performances = [self.hamlet, self.carmen]
        runner._import_batch = orders_then_kill
        outcome = runner.run(pages=[first, second])
        self.env.invalidate_all()
        Partner = self.env["res.partner"]
        Kept = self.env["culture.ticketing.pending.match"]

        self.assertIn("worker killed", outcome.error)
        self.assertEqual(self.backend.sync_cursor, "c1")
        self.assertFalse(self.order_of("B1") | self.order_of("B2"))
        self.assertEqual(Partner.search_count([("name", "=", "Piet Post")]), 1)
        self.assertEqual(Kept.search_count([("backend_id", "=", self.backend.id)]), 2)

        self.sync(second)

        for code, name in (("B1", "Bea Bakker"), ("B2", "Piet Post")):
            placed = self.order_of(code)
            self.assertEqual(placed.partner_id.name, name)
            self.assertEqual((placed.match_method, placed.match_state), ("new", "confirmed"), code)
        self.assertEqual(Partner.search_count([("name", "=", "Piet Post")]), 1)
        self.assertFalse(Kept.search_count([("backend_id", "=", self.backend.id)]))

    def test_a_failure_matching_people_leaves_them_to_the_orders_step(self):
        with patch.object(OrderImporter, "match_people", side_effect=RuntimeError("bug")):
            outcome = self.sync(
                page(order("A1"), order("B1", buyer=person("Bea Bakker", "bea@example.nl")))
            )

        self.assertFalse(outcome.error)
        self.assertEqual(self.order_of("B1").partner_id, self.contact("bea@example.nl"))
        self.assertEqual(self.order_of("A1").partner_id, self.contact("anna@example.nl"))

    def test_matches_no_run_took_over_are_forgotten_after_a_week(self):
        Kept = self.env["culture.ticketing.pending.match"]
        Kept._keep(self.backend.id, [("GONE", None, None), ("LATER", None, None)])
        self.env.cr.execute(
            "UPDATE culture_ticketing_pending_match SET matched_at = matched_at - "
            "interval '8 days' WHERE order_external_id = 'GONE'"
        )

        self.sync(page(order("A1")))

        self.assertEqual(
            Kept.search([("backend_id", "=", self.backend.id)]).mapped("order_external_id"),
            ["LATER"],
        )

    def test_resuming_from_the_cursor_loses_nothing_and_doubles_nothing(self):
        everything = [page(order(f"A{n}"), order(f"B{n}"), cursor=f"c{n}") for n in range(1, 4)]
        everything[0].performances = [self.hamlet, self.carmen]
        SyncRunner(self.backend.sudo()).run(pages=pages_then_failure(everything[:2]))
        self.env.invalidate_all()
        resumed_from = self.backend.sync_cursor

        # The ticketing system resends from the cursor: the last page again, then the rest.
        self.sync(everything[1], everything[2])

        self.assertEqual(resumed_from, "c2")
        self.assertEqual(self.backend.sync_cursor, "c3")
        self.assertEqual(self.backend.order_count, 6)
        self.assertEqual(self.backend.ticket_count, 12)

    def test_a_second_worker_finds_the_backend_busy(self):
        # A real second connection holds the backend's lock, as another worker would.
        with db_connect(self.env.cr.dbname).cursor() as worker:
            worker.execute("SELECT pg_advisory_lock(%s, %s)", (BACKEND_LOCK, self.backend.id))
            outcome = self.sync(page(order("A1")))
            worker.execute("SELECT pg_advisory_unlock(%s, %s)", (BACKEND_LOCK, self.backend.id))
        self.assertTrue(outcome.busy)
        self.assertFalse(self.order_of("A1"))

    def test_a_buyer_in_several_batches_gets_the_figures_of_all_of_them(self):
        self.sync(
            page(order("A1"), order("B1", buyer=person("Bram Bos", "bram@example.nl"))),
            page(order("A2"), order("B2", buyer=person("Bram Bos", "bram@example.nl"))),
            page(order("A3")),
        )
        anna, bram = self.contact("anna@example.nl"), self.contact("bram@example.nl")
        self.assertEqual(anna.audience_order_count, 3)
        self.assertEqual(bram.audience_order_count, 2)
        self.assertEqual(anna.relation_type_ids, self.env.ref("culture_crm.relation_type_audience"))

    def test_a_sync_stopped_before_its_audience_refresh_leaves_it_to_the_next_run(self):
        """Killed after its batches committed: the orders are in, and the next run (even one
        with nothing new) gives their buyers the figures and the role."""
        Queue = type(self.env["culture.ticketing.pending.refresh"])
        with patch.object(Queue, "_refresh_next", side_effect=RuntimeError("worker killed")):
            self.sync(page(order("A1"), order("B1")), page(order("A2")))
        anna = self.contact("anna@example.nl")
        self.assertEqual(self.backend.order_count, 3)
        self.assertEqual(anna.audience_order_count, 0)
        self.assertFalse(anna.relation_type_ids)

        self.sync()

        self.assertEqual(anna.audience_order_count, 3)
        self.assertEqual(anna.relation_type_ids, self.env.ref("culture_crm.relation_type_audience"))
        self.assertFalse(self.env["culture.ticketing.pending.refresh"].search_count([]))

    def test_what_the_box_office_typed_arrives_as_typed(self):
        """Tabs, line breaks, backslashes and quotes in an export are text, not markup:
        the order, its tickets and the buyer's answers keep them as they were."""
        name = 'Jan "Tab"\tde Vries\\Bakker\nTweede regel\r'
        seat = "Rang 1\\2\tBalkon, 'links'"
        self.sync(
            page(
                order(
                    "TYPED",
                    buyer=person(name, "jan@example.nl", city="'s-Hertogenbosch", zip=None),
                    tickets=(ticket(ticket_type=seat, price="12.50"),),
                    consents=(consent(question="Nieuwsbrief?\tJa\\Nee"),),
                    placed=NOW,
                )
            )
        )
        stored = self.order_of("TYPED")
        self.assertEqual(stored.buyer_name, name)
        self.assertEqual(stored.buyer_city, "'s-Hertogenbosch")
        self.assertFalse(stored.buyer_zip)
        self.assertEqual(stored.total, 12.5)
        self.assertEqual(stored.placed_at, NOW.replace(tzinfo=None))
        self.assertEqual(stored.consent_answers[0]["question"], "Nieuwsbrief?\tJa\\Nee")
        self.assertTrue(stored.consent_answers[0]["granted"])
        self.assertEqual(stored.ticket_ids.ticket_type, seat)
        self.assertEqual(stored.ticket_ids.price, 12.5)
