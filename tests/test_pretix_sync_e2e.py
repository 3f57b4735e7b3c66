"""The whole sync, pretix to Odoo: a real pretix (conftest.py starts it) and a real Odoo.

pretix places, pays, cancels, refunds, changes and deletes orders through its own API;
Odoo syncs them through ``culture.ticketing.backend`` exactly as its scheduled action
does, and pretix's webhooks reach Odoo's HTTP endpoint. After every fault the CRM's
order count must equal pretix's, with nothing lost and nothing doubled.

The kill-and-resume test at the end commits for real (a separate ``odoo-bin shell``
process runs the sync and is killed with SIGKILL mid-way), so it cleans up after itself.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pretix_server import CONSENT_QUESTION, Buyer, Ticket

import odoo
from odoo.tests import HttpCase

ANNA = Buyer(
    "Anna",
    "de Vries",
    email="anna.devries@example.nl",
    phone="+31612345678",
    street="Keizersgracht 12",
    zipcode="1015 CS",
    city="Amsterdam",
)
PIET = Buyer("Piet", "Jansen", email="piet.jansen@example.nl", zipcode="3511 AB")
PRICES = {"Regulier": "27.50", "CJP": "15.00"}


class PretixSyncCase(HttpCase):
    """An Odoo test (rolled back at the end) with a pretix organizer of its own."""

    # Outside an addon, Odoo's test metaclass sets none of these. Not 'standard': that
    # tag makes Odoo wrap requests in a handler that cannot read the connector's
    # (connect, read) timeout pair; these tests talk to 127.0.0.1 only anyway.
    test_tags = {"post_install", "culture_e2e"}
    test_module = "culture_crm_ticketing"
    test_sequence = 0

    @pytest.fixture(autouse=True)
    def _pretix(self, pretix, fault_injector):
        self.pretix = pretix
        self.faults = fault_injector

    def backend(self, through_injector=False, **values):
        backend = self.env["culture.ticketing.backend"].create(
            {
                "name": f"pretix {self.pretix.organizer}",
                "pretix_url": self.faults.url if through_injector else self.pretix.url,
                "pretix_organizer": self.pretix.organizer,
                "api_token": self.pretix.token,
                "consent_map_ids": [
                    odoo.Command.create(
                        {"question": CONSENT_QUESTION, "purpose_code": "newsletter"}
                    )
                ],
                **values,
            }
        )
        return backend

    def event(self, slug="hamlet", name="Hamlet", **options):
        options.setdefault("genre", "Toneel")
        return self.pretix.create_event(slug, name, PRICES, **options)

    def sync(self, backend):
        """What the scheduled action does, then a fresh look at the database."""
        backend._cron_sync()
        self.env.invalidate_all()

    def crm_orders(self, backend):
        return (
            self.env["culture.ticket.order"]
            .with_context(active_test=False)
            .search([("backend_id", "=", backend.id)])
        )

    def crm_order(self, backend, event, code):
        return self.crm_orders(backend).filtered(
            lambda order: order.external_id == f"{event.slug}-{code}"
        )

    def pretix_order_ids(self, testmode=False):
        return {
            f"{order['event']}-{order['code']}"
            for order in self.pretix.get_all("orders/")
            if order["testmode"] == testmode
        }

    def assertSameOrders(self, backend):
        """The CRM holds each of pretix's orders once, and nothing else."""
        crm = self.crm_orders(backend).mapped("external_id")
        self.assertEqual(len(crm), len(set(crm)), "an order was imported twice")
        self.assertEqual(set(crm), self.pretix_order_ids())


class TestPretixOrders(PretixSyncCase):
    def test_orders_arrive_with_buyers_tickets_performances_and_consent(self):
        hamlet = self.event()
        paid = self.pretix.create_order(
            hamlet, ANNA, [Ticket("Regulier", consent=True), Ticket("CJP")], paid=True
        )
        self.pretix.create_order(hamlet, PIET, [Ticket("Regulier")])
        backend = self.backend()

        self.sync(backend)

        self.assertSameOrders(backend)
        order = self.crm_order(backend, hamlet, paid["code"])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.partner_id.email, ANNA.email)
        self.assertEqual(sorted(order.ticket_ids.mapped("ticket_type")), ["CJP", "Regulier"])
        performance = order.ticket_ids.event_id
        self.assertEqual(performance.name, "Hamlet")
        self.assertEqual(performance.tag_ids.mapped("name"), ["Toneel"])
        consent = self.env["culture.consent"].search([("partner_id", "=", order.partner_id.id)])
        self.assertEqual(consent.purpose_id.code, "newsletter")
        self.assertEqual(order.partner_id.audience_order_count, 1)
        self.assertTrue(backend.sync_cursor)
        self.assertFalse(backend.last_error)

    def test_a_second_sync_reads_only_what_changed(self):
        hamlet = self.event()
        first = self.pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
        backend = self.backend()
        self.sync(backend)
        stamp = self.crm_order(backend, hamlet, first["code"]).write_date

        second = self.pretix.create_order(hamlet, PIET, [Ticket("CJP")], paid=True)
        self.sync(backend)

        self.assertSameOrders(backend)
        self.assertTrue(self.crm_order(backend, hamlet, second["code"]))
        self.assertEqual(self.crm_order(backend, hamlet, first["code"]).write_date, stamp)

    def test_test_mode_orders_stay_out(self):
        hamlet = self.event()
        self.pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], testmode=True)
        backend = self.backend()
        self.sync(backend)
        self.assertFalse(self.crm_orders(backend))


class TestPretixLifecycle(PretixSyncCase):
    def placed_and_synced(self, paid=False, tickets=None, buyer=ANNA, **options):
        self.hamlet = self.event()
        self.code = self.pretix.create_order(
            self.hamlet, buyer, tickets or [Ticket("Regulier"), Ticket("CJP")], paid=paid, **options
        )["code"]
        self.crm = self.backend(**({"import_test_orders": True} if options.get("testmode") else {}))
        self.sync(self.crm)
        return self.crm_order(self.crm, self.hamlet, self.code)

    def resynced(self):
        self.sync(self.crm)
        return self.crm_order(self.crm, self.hamlet, self.code)

    def test_a_placed_order_is_pending_until_paid(self):
        order = self.placed_and_synced()
        self.assertEqual(order.state, "pending")
        self.assertEqual(set(order.ticket_ids.mapped("state")), {"pending"})
        self.pretix.mark_paid(self.hamlet, self.code)
        order = self.resynced()
        self.assertEqual(order.state, "paid")
        self.assertEqual(set(order.ticket_ids.mapped("state")), {"valid"})
        self.assertEqual(order.partner_id.audience_order_count, 1)

    def test_canceling_a_paid_order_takes_its_tickets_back(self):
        order = self.placed_and_synced(paid=True)
        self.pretix.cancel(self.hamlet, self.code)
        order = self.resynced()
        self.assertEqual(order.state, "canceled")
        self.assertEqual(set(order.ticket_ids.mapped("state")), {"canceled"})
        self.assertEqual(order.partner_id.audience_order_count, 0)

    def test_a_refund_takes_the_revenue_back(self):
        order = self.placed_and_synced(paid=True)
        self.assertEqual(order.partner_id.audience_revenue, 42.5)
        self.pretix.refund(self.hamlet, self.code)
        order = self.resynced()
        self.assertEqual(order.state, "refunded")
        self.assertEqual(order.partner_id.audience_revenue, 0)

    def test_an_expired_order_counts_for_nothing(self):
        order = self.placed_and_synced()
        self.pretix.expire(self.hamlet, self.code)
        order = self.resynced()
        self.assertEqual(order.state, "expired")
        self.assertEqual(set(order.ticket_ids.mapped("state")), {"canceled"})

    def test_changed_positions_add_and_cancel_tickets(self):
        order = self.placed_and_synced(paid=True)
        # Swap the Regulier seat for a cheaper CJP one: the order stays paid (a pricier
        # addition would leave an amount due, and pretix would make the order pending).
        removed = order.ticket_ids.filtered(lambda t: t.ticket_type == "Regulier")
        self.pretix.change_positions(
            self.hamlet,
            self.code,
            add=[Ticket("CJP")],
            remove=[int(removed.external_id)],
            buyer=ANNA,
        )
        order = self.resynced()
        self.assertEqual(order.state, "paid")
        states = sorted(order.ticket_ids.mapped(lambda t: (t.ticket_type, t.state)))
        self.assertEqual(states, [("CJP", "valid"), ("CJP", "valid"), ("Regulier", "canceled")])

    def test_a_deleted_test_order_is_archived(self):
        order = self.placed_and_synced(testmode=True)
        self.pretix.delete(self.hamlet, self.code)
        # A deleted order leaves pretix's list: only its webhook tells; fetch it as one.
        self.env["culture.ticketing.pending.fetch"]._note(
            self.crm.id, self.hamlet.slug, self.code, "pretix.event.order.deleted"
        )
        order = self.resynced()
        self.assertFalse(order.active)
        self.assertEqual(order.state, "deleted")
        self.assertEqual(set(order.ticket_ids.mapped("state")), {"canceled"})


class TestPretixWebhooks(PretixSyncCase):
    def connect_webhook(self, backend):
        url = (
            f"{self.base_url()}/culture_crm_ticketing/webhook/{backend.id}/{backend.webhook_secret}"
        )
        self.pretix.create_webhook(url)

    def pending(self, backend):
        return self.env["culture.ticketing.pending.fetch"].search([("backend_id", "=", backend.id)])

    def test_a_webhook_queues_the_order_and_the_cron_brings_it_in(self):
        hamlet = self.event()
        backend = self.backend()
        self.sync(backend)
        self.connect_webhook(backend)

        code = self.pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])["code"]

        self.env.invalidate_all()
        self.assertEqual(self.pending(backend).order_code, code)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", backend.cron_id.id)]),
            "the webhook woke the backend's scheduled action",
        )
        self.sync(backend)
        self.assertEqual(self.crm_order(backend, hamlet, code).state, "pending")
        self.assertFalse(self.pending(backend))

    def test_duplicate_and_late_webhooks_change_nothing(self):
        hamlet = self.event()
        backend = self.backend()
        self.connect_webhook(backend)
        code = self.pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])["code"]
        self.pretix.mark_paid(hamlet, code)
        self.sync(backend)
        order = self.crm_order(backend, hamlet, code)
        stamp = order.write_date

        # pretix delivers at least once: the 'placed' webhook again, after 'paid'.
        for _repeat in range(3):
            self.url_open(
                f"/culture_crm_ticketing/webhook/{backend.id}/{backend.webhook_secret}",
                data=json.dumps(
                    {
                        "organizer": self.pretix.organizer,
                        "event": hamlet.slug,
                        "code": code,
                        "action": "pretix.event.order.placed",
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.sync(backend)

        order = self.crm_order(backend, hamlet, code)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.write_date, stamp)
        self.assertSameOrders(backend)


class TestPretixFaults(PretixSyncCase):
    def seeded(self, count=3):
        hamlet = self.event()
        buyers = [
            Buyer("Bezoeker", f"Nummer {n}", email=f"bezoeker{n}@example.nl") for n in range(count)
        ]
        for buyer in buyers:
            self.pretix.create_order(hamlet, buyer, [Ticket("Regulier")], paid=True)
        return hamlet, self.backend(through_injector=True)

    def test_test_connection_answers_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm_ticketing"], ["nl_NL"])
        _hamlet, backend = self.seeded()
        dutch = backend.with_context(lang="nl_NL")
        shown = dutch.action_test_connection()["params"]
        self.assertEqual(shown["type"], "success")
        self.assertRegex(shown["message"], r"^Verbinding werkt: .+: \d+ bestellingen$")
        self.faults.go_down()
        shown = dutch.action_test_connection()["params"]
        self.assertEqual(shown["type"], "danger")
        self.assertIn("Verbinding mislukt: kon geen verbinding maken met", shown["message"])
        english = backend.with_context(lang="en_US").action_test_connection()["params"]
        self.assertIn("Connection failed: could not connect to", english["message"])

    def test_pretix_down_stops_the_sync_and_loses_nothing(self):
        _hamlet, backend = self.seeded()
        self.faults.go_down()
        self.sync(backend)
        self.assertIn("could not connect", backend.last_error)
        self.assertFalse(self.crm_orders(backend))
        self.assertFalse(backend.sync_cursor)

        self.faults.come_back()
        self.sync(backend)
        self.assertSameOrders(backend)

    def test_server_errors_and_rate_limits_are_ridden_out(self):
        _hamlet, backend = self.seeded()
        self.faults.arm("status", path="/orders/", status=500, times=2)
        self.faults.arm("rate_limit", path="/orders/", retry_after="1")
        self.sync(backend)
        self.assertSameOrders(backend)
        self.assertEqual(self.faults.faults_answered("status"), 2)
        self.assertEqual(self.faults.faults_answered("rate_limit"), 1)

    def test_a_timeout_stops_the_sync_without_moving_the_cursor(self):
        _hamlet, backend = self.seeded()
        self.faults.arm("timeout", path="/orders/", delay=11, times=None)
        self.sync(backend)
        self.assertTrue(backend.last_error)
        self.assertFalse(backend.sync_cursor)
        self.faults.disarm()
        self.sync(backend)
        self.assertSameOrders(backend)

    def test_a_malformed_page_stops_the_sync_and_the_next_run_completes_it(self):
        _hamlet, backend = self.seeded()
        self.faults.arm("malformed_json", path="/orders/")
        self.sync(backend)
        self.assertIn("JSON", backend.last_error)
        self.assertFalse(self.crm_orders(backend))
        self.sync(backend)
        self.assertSameOrders(backend)

    def test_an_order_missing_a_field_is_an_issue_until_replayed(self):
        _hamlet, backend = self.seeded()
        self.faults.arm("missing_fields", path="/orders/", fields=["status"], index=1)
        self.sync(backend)
        issue = self.env["culture.ticketing.sync.issue"].search([("backend_id", "=", backend.id)])
        self.assertIn("status", issue.error)
        self.assertEqual(len(self.crm_orders(backend)), 2, "the rest of the page went in")

        issue.action_replay()
        self.env.invalidate_all()

        self.assertEqual(issue.state, "resolved")
        self.assertSameOrders(backend)

    def test_a_scheduled_sync_writes_its_issues_in_the_reviewers_language(self):
        """The scheduler runs as OdooBot, in English; the issues are read by the match
        reviewer, in Dutch."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["culture_crm_ticketing"], ["nl_NL"])
        reviewer = self.env["res.users"].create(
            {"name": "Rianne Kassa", "login": "rianne", "lang": "nl_NL"}
        )
        _hamlet, backend = self.seeded()
        backend.reviewer_id = reviewer
        self.faults.arm("missing_fields", path="/orders/", fields=["status"], index=1)
        backend.with_context(lang="en_US")._cron_sync()
        self.env.invalidate_all()
        issue = self.env["culture.ticketing.sync.issue"].search([("backend_id", "=", backend.id)])
        self.assertIn("kan het pretix-record niet lezen: veld", issue.error)
        self.assertIn("bestellingen nieuw", backend.last_run_summary)


# --- kill and resume: a real process, real commits, SIGKILL ----------------------------------
SYNC_SCRIPT = """
backend = env["culture.ticketing.backend"].browse({backend_id})
backend._cron_sync()
env.cr.commit()
print("SYNC DONE", flush=True)
"""


def _odoo_shell():
    """``odoo-bin shell`` on the test database, in a process group of its own."""
    config = odoo.tools.config
    return subprocess.Popen(
        [
            sys.executable,
            str(Path(odoo.__file__).resolve().parent.parent / "odoo-bin"),
            "shell",
            "-c",
            config.rcfile,
            "-d",
            config["db_name"],
            "--no-http",
            "--log-level=warn",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _run_shell(script, timeout=600):
    process = _odoo_shell()
    output, _ = process.communicate(script, timeout=timeout)
    return process.returncode, output


def _committed(query, *params):
    with odoo.sql_db.db_connect(odoo.tools.config["db_name"]).cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall()


@pytest.fixture
def committed_backends(pretix, fault_injector):
    """Makes backends committed to the test database (the syncs run in other processes),
    and removes everything their syncs made afterwards."""
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    first_partner = _committed("SELECT coalesce(max(id), 0) FROM res_partner")[0][0]
    made = []

    def make(name, batch_size=10):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            backend = env["culture.ticketing.backend"].create(
                {
                    "name": f"{name} {pretix.organizer}",
                    "pretix_url": fault_injector.url,
                    "pretix_organizer": pretix.organizer,
                    "api_token": pretix.token,
                    "batch_size": batch_size,
                }
            )
            made.append(backend.id)
            return backend.id

    yield make
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})
        events = env["event.event"].search([("ticketing_backend_id", "in", made)])
        env["culture.ticket.order"].search([("backend_id", "in", made)]).unlink()
        events.unlink()
        env["culture.ticketing.backend"].browse(made).unlink()
        partners = env["res.partner"].search([("id", ">", first_partner)])
        env["culture.partner.role"].search([("partner_id", "in", partners.ids)]).unlink()
        env["culture.consent"].search([("partner_id", "in", partners.ids)]).unlink()
        partners.unlink()


@pytest.fixture
def committed_backend(committed_backends):
    return committed_backends("kill test")


RUN_SCRIPT = """
from odoo.addons.culture_crm_ticketing.sync.runner import SyncRunner
backend = env["culture.ticketing.backend"].browse({backend_id})
outcome = SyncRunner(backend).run()
env.cr.commit()
print("OUTCOME", "busy" if outcome.busy else "ran", outcome.error or "", flush=True)
"""


def _seed(pretix, count, prefix):
    event = pretix.create_event("hamlet", "Hamlet", PRICES, genre="Toneel")
    for n in range(count):
        buyer = Buyer("Bezoeker", f"Nummer {n}", email=f"{prefix}{n}@example.nl")
        pretix.create_order(event, buyer, [Ticket("Regulier")], paid=True)
    return event


def _run_at_once(scripts):
    """Start the scripts in separate Odoo processes together; their outputs."""
    processes = [_odoo_shell() for _script in scripts]
    for process, script in zip(processes, scripts, strict=True):
        process.stdin.write(script)
        process.stdin.close()
    outputs = []
    for process in processes:
        outputs.append(process.stdout.read())
        process.wait(timeout=600)
    return outputs


def test_two_workers_on_one_backend_import_each_order_once(
    pretix, fault_injector, committed_backends
):
    _seed(pretix, 40, "worker")
    backend_id = committed_backends("two workers")
    # Slow pages keep the first worker busy while the second one starts.
    fault_injector.arm(
        "mutate", path="/orders/", times=None, mutate=lambda data: time.sleep(0.5) or data
    )
    outputs = _run_at_once([RUN_SCRIPT.format(backend_id=backend_id)] * 2)
    fault_injector.disarm()

    outcomes = sorted(line.split()[1] for out in outputs for line in out.splitlines()
                      if line.startswith("OUTCOME"))  # fmt: skip
    assert outcomes == ["busy", "ran"], outputs
    rows = _committed(
        "SELECT count(*), count(DISTINCT external_id) FROM culture_ticket_order "
        "WHERE backend_id = %s",
        backend_id,
    )[0]
    assert rows == (40, 40)


def test_two_backends_syncing_at_once_make_one_contact_per_buyer(
    pretix, fault_injector, committed_backends
):
    _seed(pretix, 40, "twin")
    first, second = committed_backends("box office"), committed_backends("web shop")
    # Slow pages make the two syncs overlap batch for batch.
    fault_injector.arm(
        "mutate", path="/orders/", times=None, mutate=lambda data: time.sleep(0.3) or data
    )
    outputs = _run_at_once([RUN_SCRIPT.format(backend_id=b) for b in (first, second)])
    fault_injector.disarm()

    assert all("OUTCOME ran" in out for out in outputs), outputs
    per_backend = _committed(
        "SELECT backend_id, count(*) FROM culture_ticket_order "
        "WHERE backend_id IN %s GROUP BY backend_id",
        (first, second),
    )
    assert sorted(count for _backend, count in per_backend) == [40, 40]
    contacts = _committed(
        "SELECT count(*), count(DISTINCT email_normalized) FROM res_partner "
        "WHERE email_normalized LIKE 'twin%%@example.nl'"
    )[0]
    assert contacts == (40, 40), "each buyer one contact, not one per backend"


def test_a_sync_killed_midway_resumes_with_no_gap_and_no_duplicate(
    pretix, fault_injector, committed_backend
):
    hamlet = pretix.create_event("hamlet", "Hamlet", PRICES, genre="Toneel")
    total = 120
    for n in range(total):
        buyer = Buyer("Bezoeker", f"Nummer {n}", email=f"kill{n}@example.nl")
        pretix.create_order(hamlet, buyer, [Ticket("Regulier"), Ticket("CJP")], paid=n % 3 != 0)
    # Each page of orders takes a second to arrive, so the kill lands mid-sync.
    fault_injector.arm(
        "mutate", path="/orders/", times=None, mutate=lambda data: time.sleep(1.0) or data
    )

    process = _odoo_shell()
    process.stdin.write(SYNC_SCRIPT.format(backend_id=committed_backend))
    process.stdin.close()
    deadline = time.monotonic() + 300
    imported = 0
    while time.monotonic() < deadline:
        imported = _committed(
            "SELECT count(*) FROM culture_ticket_order WHERE backend_id = %s", committed_backend
        )[0][0]
        if imported >= 20:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    cursor_after_kill, orders_after_kill = _committed(
        "SELECT sync_cursor, (SELECT count(*) FROM culture_ticket_order WHERE backend_id = b.id)"
        " FROM culture_ticketing_backend b WHERE id = %s",
        committed_backend,
    )[0]
    assert 0 < orders_after_kill < total, f"the kill should land mid-sync ({orders_after_kill})"
    assert cursor_after_kill, "the committed batches moved the cursor"

    fault_injector.disarm()
    returncode, output = _run_shell(SYNC_SCRIPT.format(backend_id=committed_backend))
    assert returncode == 0 and "SYNC DONE" in output, output[-3000:]

    rows = _committed(
        "SELECT external_id FROM culture_ticket_order WHERE backend_id = %s", committed_backend
    )
    crm_ids = [row[0] for row in rows]
    pretix_ids = {f"{order['event']}-{order['code']}" for order in pretix.get_all("orders/")}
    assert len(crm_ids) == len(set(crm_ids)), "no order twice"
    assert set(crm_ids) == pretix_ids, "no order missing"
    tickets = _committed(
        "SELECT count(*), count(DISTINCT external_id) FROM culture_ticket WHERE backend_id = %s",
        committed_backend,
    )[0]
    assert tickets == (2 * total, 2 * total)
    buyers = _committed(
        "SELECT count(DISTINCT partner_id), count(DISTINCT lower(buyer_email))"
        " FROM culture_ticket_order WHERE backend_id = %s",
        committed_backend,
    )[0]
    assert buyers == (total, total), "one contact per buyer, none made twice"
    last_error = _committed(
        "SELECT last_error FROM culture_ticketing_backend WHERE id = %s", committed_backend
    )[0][0]
    assert not last_error, last_error


class TestTicketingTour(PretixSyncCase):
    def test_a_manager_connects_pretix_syncs_and_opens_a_buyers_orders(self):
        hamlet = self.event()
        self.pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
        self.env["ir.config_parameter"].set_param(
            "culture_crm_ticketing.tour_pretix",
            json.dumps(
                {
                    "url": self.pretix.url,
                    "organizer": self.pretix.organizer,
                    "token": self.pretix.token,
                }
            ),
        )
        self.start_tour(
            "/odoo/action-culture_crm_ticketing.culture_ticketing_backend_action",
            "culture_ticketing_backend_tour",
            login="admin",
        )
        backend = self.env["culture.ticketing.backend"].search([("name", "=", "pretix De Kade")])
        self.assertSameOrders(backend)
