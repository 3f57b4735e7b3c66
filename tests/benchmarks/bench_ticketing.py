# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Ticketing sync: the whole pipeline into Odoo, next to the naive path and PostgreSQL COPY.

    ./setup/bench ticketing [--orders 100000] [--buyers 40000] [--existing 15000]
                            [--naive 2000] [--incremental 1000] [--batch-size 1000]
                            [--database DB --config CONF] [--keep-db] [--profile FILE]

Without --database it makes a throwaway database (dependency template, the three addons),
and drops it at the end (--keep-db keeps it). A pretix-shaped server
(pretix_shaped_server.py) runs in its own process and serves --orders generated orders
(1 to 3 tickets, about 2 on average) by --buyers people, 200 performances; --existing of
those people are contacts already (same e-mail and phone), so identity resolution finds
some buyers by e-mail, some by phone, sends some to review and creates the rest.

Each path reads the same pages over HTTP with the same adapter (PretixAdapter), in the
same run:

- **pipeline**: ``SyncRunner(backend).run()``, what the scheduled action runs: batches of
  --batch-size orders, identity resolution, performances, orders, tickets, audience
  figures and the Publiek role, a commit and the cursor per batch.
- **naive**: the first --naive orders the way a straightforward importer would write
  them: for each order a search of the buyer by e-mail, an ORM create of the contact,
  the order and each ticket one by one (performances looked up per ticket), a commit
  every 500 orders.
- **COPY**: the same pages mapped to the same rows, written with PostgreSQL COPY into
  copies of the order and ticket tables (same columns and indexes): the raw limit of
  getting these orders into PostgreSQL.

Then it runs the pipeline once more over the same orders for a second backend (every
buyer known by then: a later season, or a second box office); changes --incremental
orders in the source and times the sync that follows;
starts a real Odoo server (one cron thread) on the database and times --webhooks
webhooks, one after the other, from the POST to the changed order in the database; and
reports the pipeline's memory (RSS) at each quarter of the run: flat means the process
holds one batch at a time, not the history.

Goals (issue 6): pipeline >= 1,000 orders/s; >= 10x naive; within 5x of COPY; the
incremental sync under 5 s; webhook to CRM p95 under 5 s; memory flat.
"""

import argparse
import cProfile
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DATA_HOME = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
CRM_HOME = Path(os.environ.get("CULTURE_CRM_HOME", DATA_HOME / "culture-crm"))
GOAL_ORDERS_PER_SECOND = 1000
GOAL_NAIVE_RATIO = 10
GOAL_COPY_RATIO = 5
GOAL_INCREMENTAL_SECONDS = 5
GOAL_WEBHOOK_P95 = 5

sys.path.insert(0, str(HERE))
from bench_database import drop_database, make_database, say  # noqa: E402
from pretix_shaped_server import buyer_of  # noqa: E402


class Server:
    """The pretix-shaped server in a process of its own (so it does not share our GIL)."""

    def __init__(self, orders, buyers):
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "pretix_shaped_server.py"),
                "--orders",
                str(orders),
                "--buyers",
                str(buyers),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        self.organizer = "bench"

    def change(self, count):
        """Make ``count`` orders change now: their (event, code) pairs."""
        answer = requests.post(f"{self.url}/bench/change", params={"count": count}, timeout=60)
        return [tuple(pair) for pair in answer.json()["orders"]]

    def stop(self):
        self.process.kill()
        self.process.wait()


class Sampler:
    """Samples this process's RSS and the committed order count every 0.25 s."""

    def __init__(self, count_orders):
        self.count_orders = count_orders
        self.samples = []  # (orders, rss MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.wait(0.25):
            self.samples.append((self.count_orders(), me.memory_info().rss / 2**20))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def at_share(self, total, share):
        wanted = total * share
        for orders, rss in self.samples:
            if orders >= wanted:
                return rss
        return self.samples[-1][1] if self.samples else 0.0


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


# --- the three paths -------------------------------------------------------------------------
def populate_existing(odoo, registry, count):
    """``count`` of the generated buyers as contacts already in the CRM (ORM, in batches)."""
    done = 0
    while done < count:
        chunk = range(done, min(count, done + 1000))
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            env["res.partner"].create(
                [
                    {
                        "name": buyer["name"],
                        "email": buyer["email"],
                        "phone": buyer["phone"],
                        "street": buyer["street"],
                        "zip": buyer["zipcode"],
                        "city": buyer["city"],
                    }
                    for buyer in map(buyer_of, chunk)
                ]
            )
        done += len(chunk)


def make_backend(odoo, registry, server, name, batch_size):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        backend = env["culture.ticketing.backend"].create(
            {
                "name": name,
                "pretix_url": server.url,
                "pretix_organizer": server.organizer,
                "api_token": "bench",
                "batch_size": batch_size,
            }
        )
        return backend.id


def adapter_for(server):
    from odoo.addons.culture_crm_ticketing.connectors.pretix import PretixAdapter

    return PretixAdapter(server.url, server.organizer, "bench")


def run_pipeline(odoo, registry, backend_id, profile_to=None):
    """The sync as the scheduled action runs it (``profile_to``: write cProfile stats)."""
    from odoo.addons.culture_crm_ticketing.sync.runner import SyncRunner

    profiler = cProfile.Profile() if profile_to else None
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        runner = SyncRunner(env["culture.ticketing.backend"].browse(backend_id))
        if profiler:
            profiler.enable()
        outcome = runner.run()
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile_to)
        cr.commit()
    if outcome.error:
        raise RuntimeError(f"the sync stopped: {outcome.error}")
    return outcome


def run_naive(odoo, registry, server, backend_id, limit):
    """One ORM call per record and a search per buyer: the path the pipeline replaces."""
    from odoo.addons.culture_crm_ticketing.pipeline.lifecycle import ticket_state
    from odoo.addons.culture_crm_ticketing.sync.importer import to_odoo_datetime

    adapter = adapter_for(server)
    done = 0
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        Partner, Order = env["res.partner"], env["culture.ticket.order"]
        Ticket, Event = env["culture.ticket"], env["event.event"]
        for page in adapter.iter_pages(None):
            for record in page.orders:
                buyer = record.buyer
                partner = (
                    Partner.search([("email", "=ilike", buyer.email)], limit=1)
                    if (buyer.email)
                    else Partner
                )
                if not partner:
                    partner = Partner.create(
                        {
                            "name": buyer.name or "?",
                            "email": buyer.email,
                            "phone": buyer.phone,
                            "zip": buyer.zip,
                            "city": buyer.city,
                            "street": buyer.street,
                        }
                    )
                order = Order.create(
                    {
                        "backend_id": backend_id,
                        "external_id": record.external_id,
                        "state": record.state,
                        "partner_id": partner.id,
                        "placed_at": to_odoo_datetime(record.placed_at),
                        "total": float(record.total),
                        "buyer_email": buyer.email,
                    }
                )
                for ticket in record.tickets:
                    event = Event.search(
                        [
                            ("ticketing_backend_id", "=", backend_id),
                            ("ticketing_external_id", "=", ticket.performance_external_id),
                        ],
                        limit=1,
                    )
                    if not event:
                        event = Event.create(
                            {
                                "name": ticket.performance_external_id,
                                "date_begin": to_odoo_datetime(record.placed_at),
                                "date_end": to_odoo_datetime(record.placed_at),
                                "ticketing_backend_id": backend_id,
                                "ticketing_external_id": ticket.performance_external_id,
                            }
                        )
                    Ticket.create(
                        {
                            "backend_id": backend_id,
                            "external_id": ticket.external_id,
                            "order_id": order.id,
                            "event_id": event.id,
                            "partner_id": partner.id,
                            "state": ticket_state(record.state, ticket.canceled),
                            "price": float(ticket.price),
                        }
                    )
                done += 1
                if done % 500 == 0:
                    cr.commit()
                if done >= limit:
                    cr.commit()
                    return done
        cr.commit()
        return done
    finally:
        cr.close()


COPY_ORDER_COLUMNS = [
    "backend_id", "external_id", "active", "state", "placed_at", "paid_at", "modified_at",
    "total", "refunded_amount", "testmode", "buyer_name", "buyer_email", "buyer_phone",
    "buyer_zip", "buyer_city", "fingerprint",
]  # fmt: skip
COPY_TICKET_COLUMNS = ["backend_id", "external_id", "order_id", "state", "ticket_type", "price"]


def run_copy(odoo, registry, server, backend_id):
    """Fetch and map the same pages, and COPY their rows into copies of our tables.

    Returns (orders, seconds fetching and mapping, seconds in COPY)."""
    from odoo.addons.culture_crm_ticketing.pipeline.lifecycle import fingerprint, ticket_state
    from odoo.addons.culture_crm_ticketing.sync.importer import to_odoo_datetime

    def text(value):
        if value is None or value is False:
            return "\\N"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    adapter = adapter_for(server)
    fetch_seconds = copy_seconds = 0.0
    orders = 0
    with registry.cursor() as cr:
        for table in ("culture_ticket_order", "culture_ticket"):
            cr.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
            cr.execute(f"CREATE TABLE bench_copy_{table} (LIKE {table} INCLUDING ALL)")
        cr.execute("ALTER TABLE bench_copy_culture_ticket ALTER order_id DROP NOT NULL")
        cr.commit()
        pages = adapter.iter_pages(None)
        next_id = 1
        while True:
            started = time.perf_counter()
            page = next(pages, None)
            if page is None:
                fetch_seconds += time.perf_counter() - started
                break
            order_rows, ticket_rows = io.StringIO(), io.StringIO()
            for record in page.orders:
                buyer = record.buyer
                row = [
                    backend_id, record.external_id, True, record.state,
                    to_odoo_datetime(record.placed_at), to_odoo_datetime(record.paid_at),
                    to_odoo_datetime(record.modified_at), record.total, record.refunded_amount,
                    record.testmode, buyer.name, buyer.email, buyer.phone, buyer.zip,
                    buyer.city, fingerprint(record),
                ]  # fmt: skip
                order_rows.write("\t".join(map(text, row)) + "\n")
                for ticket in record.tickets:
                    ticket_row = [
                        backend_id, ticket.external_id, next_id,
                        ticket_state(record.state, ticket.canceled), ticket.ticket_type,
                        ticket.price,
                    ]  # fmt: skip
                    ticket_rows.write("\t".join(map(text, ticket_row)) + "\n")
                next_id += 1
                orders += 1
            fetch_seconds += time.perf_counter() - started
            started = time.perf_counter()
            order_rows.seek(0)
            ticket_rows.seek(0)
            cr._obj.copy_from(
                order_rows, "bench_copy_culture_ticket_order", columns=COPY_ORDER_COLUMNS
            )
            cr._obj.copy_from(ticket_rows, "bench_copy_culture_ticket", columns=COPY_TICKET_COLUMNS)
            cr.commit()
            copy_seconds += time.perf_counter() - started
        for table in ("culture_ticket_order", "culture_ticket"):
            cr.execute(f"DROP TABLE bench_copy_{table}")
        cr.commit()
    return orders, fetch_seconds, copy_seconds


def count_orders(odoo, database, backend_id):
    def count():
        with odoo.sql_db.db_connect(database).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM culture_ticket_order WHERE backend_id = %s", [backend_id]
            )
            return cr.fetchone()[0]

    return count


def measure_webhook_latency(odoo, database, config, server, backend_id, count):
    """Webhook posted -> order changed in the CRM, through a real Odoo server whose cron
    thread picks up the trigger: seconds for each of ``count`` webhooks, one at a time."""
    port = free_port()
    # Only this backend's action may run: every other scheduled action (the other
    # bench backends, the nightly scans) waits a day, and is put back afterwards.
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute("SELECT cron_id FROM culture_ticketing_backend WHERE id = %s", [backend_id])
        own_cron = cr.fetchone()[0]
        cr.execute("SELECT id, nextcall FROM ir_cron WHERE active AND id != %s", [own_cron])
        postponed = cr.fetchall()
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() + interval '1 day' WHERE id = ANY(%s)",
            [[cron_id for cron_id, _nextcall in postponed]],
        )
        cr.commit()
    process = subprocess.Popen(
        [
            sys.executable,
            str(Path(odoo.__file__).resolve().parent.parent / "odoo-bin"),
            "-c",
            config,
            "-d",
            database,
            f"--http-port={port}",
            "--max-cron-threads=1",
            "--workers=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(240):
            try:
                requests.get(f"{base}/web/login", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        with odoo.sql_db.db_connect(database).cursor() as cr:
            cr.execute(
                "SELECT webhook_secret FROM culture_ticketing_backend WHERE id = %s", [backend_id]
            )
            secret = cr.fetchone()[0]
        url = f"{base}/culture_crm_ticketing/webhook/{backend_id}/{secret}"
        latencies = []
        for _n in range(count):
            ((event, code),) = server.change(1)
            external_id = f"{event}-{code}"
            before = _order_version(odoo, database, backend_id, external_id)
            started = time.perf_counter()
            body = {"organizer": server.organizer, "event": event, "code": code,
                    "action": "pretix.event.order.changed.item"}  # fmt: skip
            requests.post(url, json=body, timeout=30).raise_for_status()
            while _order_version(odoo, database, backend_id, external_id) == before:
                if time.perf_counter() - started > 120:
                    raise RuntimeError(f"order {external_id} did not arrive in 120 s")
                time.sleep(0.02)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.2)
        return latencies
    finally:
        process.terminate()
        process.wait(timeout=60)
        with odoo.sql_db.db_connect(database).cursor() as cr:
            for cron_id, nextcall in postponed:
                cr.execute("UPDATE ir_cron SET nextcall = %s WHERE id = %s", [nextcall, cron_id])
            cr.commit()


def _order_version(odoo, database, backend_id, external_id):
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute(
            "SELECT modified_at FROM culture_ticket_order WHERE backend_id = %s "
            "AND external_id = %s",
            [backend_id, external_id],
        )
        row = cr.fetchone()
        return row and row[0]


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the report ---------------------------------------------------------------------------------
def report(rows, checks):
    say()
    say(f"{'path':<34}{'orders':>9}{'wall s':>9}{'orders/s':>10}{'CPU s':>8}")
    for name, orders, wall, cpu in rows:
        rate = orders / wall if wall else 0
        cpu_text = f"{cpu:8.1f}" if cpu is not None else f"{'-':>8}"
        say(f"{name:<34}{orders:>9}{wall:>9.1f}{rate:>10.0f}{cpu_text}")
    say()
    for text, ok in checks:
        say(f"  [{'ok' if ok else 'MISSED'}] {text}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--buyers", type=int, default=40_000)
    parser.add_argument("--existing", type=int, default=15_000)
    parser.add_argument("--naive", type=int, default=2_000)
    parser.add_argument("--incremental", type=int, default=1_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--webhooks", type=int, default=20)
    parser.add_argument("--database")
    parser.add_argument("--config")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", help="write the pipeline's cProfile stats to this file")
    args = parser.parse_args(argv)

    throwaway = not args.database
    database = args.database or f"culture_bench_ticketing_{os.getpid()}"
    config = args.config or str(CRM_HOME / f"bench-ticketing-{os.getpid()}.conf")
    if throwaway:
        make_database(database, config)
    server = Server(args.orders, args.buyers)
    try:
        import odoo

        odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
        registry = odoo.modules.registry.Registry(database)

        say(f"==> {args.existing} buyers as existing contacts")
        _r, seconds, _cpu = timed(lambda: populate_existing(odoo, registry, args.existing))
        say(f"    {seconds:.1f} s")

        say(f"==> COPY: fetch, map and COPY {args.orders} orders")
        copy_backend = make_backend(odoo, registry, server, "bench copy", args.batch_size)
        (copied, fetch_s, copy_s), copy_wall, copy_cpu = timed(
            lambda: run_copy(odoo, registry, server, copy_backend)
        )

        say(f"==> naive: the first {args.naive} orders, record by record")
        naive_backend = make_backend(odoo, registry, server, "bench naive", args.batch_size)
        naive_done, naive_wall, naive_cpu = timed(
            lambda: run_naive(odoo, registry, server, naive_backend, args.naive)
        )

        say(f"==> pipeline: {args.orders} orders")
        backend = make_backend(odoo, registry, server, "bench pipeline", args.batch_size)
        with Sampler(count_orders(odoo, database, backend)) as sampler:
            outcome, pipe_wall, pipe_cpu = timed(
                lambda: run_pipeline(odoo, registry, backend, args.profile)
            )
        totals = outcome.totals
        say(
            f"    {totals.created} created, {totals.updated} updated, {totals.failed} failed, "
            f"{totals.reviews} to review, {outcome.batches} batches"
        )
        with registry.cursor() as cr:
            cr.execute(
                "SELECT match_method, count(*) FROM culture_ticket_order WHERE backend_id = %s "
                "GROUP BY 1 ORDER BY 2 DESC",
                [backend],
            )
            say("    buyers by match method: " + ", ".join(f"{m} {n}" for m, n in cr.fetchall()))
            cr.execute("SELECT count(*) FROM culture_ticket WHERE backend_id = %s", [backend])
            say(f"    tickets: {cr.fetchone()[0]}")

        say(f"==> pipeline again, buyers known: the same {args.orders} orders, another backend")
        known_backend = make_backend(odoo, registry, server, "bench known", args.batch_size)
        _o, known_wall, known_cpu = timed(lambda: run_pipeline(odoo, registry, known_backend))

        say(f"==> incremental: {args.incremental} orders change, then a sync")
        server.change(args.incremental)
        inc_outcome, inc_wall, inc_cpu = timed(lambda: run_pipeline(odoo, registry, backend))
        say(f"    {inc_outcome.totals.updated} updated")

        say(f"==> webhook latency: {args.webhooks} webhooks to a running Odoo server")
        latencies = sorted(
            measure_webhook_latency(odoo, database, config, server, backend, args.webhooks)
        )
        p50 = latencies[len(latencies) // 2]
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        say(f"    p50 {p50:.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s")

        memory = [sampler.at_share(args.orders, share) for share in (0.25, 0.5, 0.75, 1.0)]
        say(
            "==> pipeline memory (RSS MB) at 25/50/75/100%: "
            + " / ".join(f"{m:.0f}" for m in memory)
        )

        pipe_rate = args.orders / pipe_wall
        naive_rate = naive_done / naive_wall
        raw_wall = fetch_s + copy_s
        rows = [
            ("pipeline (identity, analytics)", args.orders, pipe_wall, pipe_cpu),
            ("pipeline, buyers already known", args.orders, known_wall, known_cpu),
            ("naive (ORM per record)", naive_done, naive_wall, naive_cpu),
            ("COPY incl. fetch and map", copied, raw_wall, copy_cpu),
            ("  of which fetch and map", copied, fetch_s, None),
            ("  of which COPY", copied, copy_s, None),
            ("incremental sync", args.incremental, inc_wall, inc_cpu),
        ]
        growth = memory[-1] - memory[0]
        checks = [
            (f"pipeline {pipe_rate:.0f} orders/s (goal >= {GOAL_ORDERS_PER_SECOND})",
             pipe_rate >= GOAL_ORDERS_PER_SECOND),
            (f"pipeline with the buyers known {args.orders / known_wall:.0f} orders/s "
             f"(goal >= {GOAL_ORDERS_PER_SECOND})",
             args.orders / known_wall >= GOAL_ORDERS_PER_SECOND),
            (f"pipeline / naive = {pipe_rate / naive_rate:.1f}x (goal >= {GOAL_NAIVE_RATIO}x)",
             pipe_rate / naive_rate >= GOAL_NAIVE_RATIO),
            (f"pipeline time / COPY incl. fetch = {pipe_wall / raw_wall:.1f}x "
             f"(goal <= {GOAL_COPY_RATIO}x); / COPY alone = {pipe_wall / copy_s:.1f}x",
             pipe_wall / raw_wall <= GOAL_COPY_RATIO),
            (f"incremental sync of {args.incremental} changed orders {inc_wall:.1f} s "
             f"(goal < {GOAL_INCREMENTAL_SECONDS} s)", inc_wall < GOAL_INCREMENTAL_SECONDS),
            (f"memory from 25% to 100% of the run: {growth:+.0f} MB (flat: < 10% growth)",
             growth < 0.1 * memory[0]),
            (f"webhook to order in the CRM: p95 {p95:.2f} s (goal < {GOAL_WEBHOOK_P95} s)",
             p95 < GOAL_WEBHOOK_P95),
        ]  # fmt: skip
        report(rows, checks)
        _ = copy_wall
    finally:
        server.stop()
        if throwaway and not args.keep_db:
            drop_database(database, config)
        elif throwaway:
            say(f"kept database {database} (config {config})")


if __name__ == "__main__":
    main()
