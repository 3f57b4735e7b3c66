# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A sync of one backend: one worker at a time, batch after batch, each committed.

- **One at a time.** A session-level PostgreSQL advisory lock on the backend's id is held
  for the whole run, on the caller's connection; a second worker (another cron process,
  another server, 'Sync now' while the cron runs) finds it taken and leaves at once. The
  lock dies with the connection, so a killed worker never blocks the next run.
- **Batches commit, then the cursor moves.** Pages are grouped into batches of about
  ``batch_size`` orders. Each batch is imported in a transaction of its own that also
  stores the cursor of its last page, and commits both together: a crash loses at most
  the batch in flight, which the next run fetches again (bindings make that harmless).
- **People first, then orders.** A batch goes in as two transactions. The first matches
  its buyers (and attendees) to contacts, creates the new ones, and keeps each match in
  ``culture.ticketing.pending.match``; the second writes the orders and tickets with those
  matches, deletes them, and stores the cursor. While one batch's orders are written
  (mostly PostgreSQL's work), the next batch's people are matched in a thread and on a
  connection of their own (mostly Python's), so the two run at once. A kill between the
  two leaves contacts whose orders are not in yet: the next run fetches the batch again
  and takes the kept matches over, so each order gets the contact made for it.
- **New contacts one batch at a time.** Two backends syncing at once could each create
  the same new buyer; the people step of every backend therefore runs under a second
  advisory lock, taken before its transaction starts so its snapshot sees the other's
  contacts. The orders step creates no contacts and runs without it.
- **Webhooks** are drained first and last: the orders they announced are fetched and
  imported like a page, and their notes deleted in the same transaction, unless a newer
  webhook for the same order came in meanwhile.
- **Audience figures once a run.** Each batch queues the contacts it touched
  (``culture.ticketing.pending.refresh``, committed with the batch); when the batches are
  done, the run refreshes every queued contact's figures and ticketing roles, a chunk a
  transaction, and takes them off the queue in the same transaction. A buyer in many
  batches is refreshed once; a killed run leaves its queue to the next one.

During module installation (demo data) the registry cannot open cursors on uncommitted
data, so batches run in savepoints of the caller's transaction instead.
"""

import concurrent.futures
import contextlib
import dataclasses
import functools
import logging
import queue
import random
import threading
import time

import psycopg2
from psycopg2 import errorcodes

from odoo import SUPERUSER_ID, api, fields
from odoo.addons.culture_crm.models.local_time import house_tz
from odoo.tools import SQL

from ..connectors.records import ConnectionFailure, RecordError
from .importer import MESSAGE_LANG, SYNC_CONTEXT, BatchOutcome, OrderImporter, PeopleUnresolved

_logger = logging.getLogger(__name__)

BACKEND_LOCK = 61_820_601  # advisory lock namespace: one sync per backend
CONTACT_LOCK = 61_820_602  # advisory lock namespace: batches that may create contacts
RETRIES = 3
STALE_MATCH_DAYS = 7  # kept matches no run took over (their order left the source)
REFRESH_CHUNK = 5000  # contacts whose audience figures are refreshed in one transaction
PENDING_PER_ROUND = 200
PAGES_AHEAD = 20  # pages read ahead while a batch is written (pretix: 50 orders a page)
CONCURRENCY_ERRORS = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
}


@contextlib.contextmanager
def prefetched(pages, ahead=PAGES_AHEAD):
    """Iterate ``pages`` in a thread of its own, at most ``ahead`` pages in advance.

    The next pages arrive over HTTP and are mapped while the database writes the
    current batch. The adapter's errors come out here, in their place among the pages;
    leaving the ``with`` early stops the thread.
    """
    buffer = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for page in pages:
                if not put(("page", page)):
                    return
        except Exception as error:  # handed to the consumer, raised there
            put(("error", error))
        else:
            put(("end", None))

    def consume():
        while True:
            kind, item = buffer.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item

    producer = threading.Thread(target=produce, name="ticketing-pages", daemon=True)
    producer.start()
    try:
        yield consume()
    finally:
        stop.set()
        producer.join(timeout=60)


class PeopleAhead:
    """The people step of the batches, one batch ahead of their orders.

    With ``overlap``, a thread of its own matches a batch's people on its own connection
    (and takes the contact lock on a third), while the caller writes the orders of the
    batch before: the matching is mostly Python, the writing mostly PostgreSQL, and on
    one connection each waited for the other. Without it (in tests, or while the
    registry cannot open cursors of its own), the step runs at once, in the same order.
    A batch's people are always matched after those of the batch before, so a buyer of
    both becomes one contact.
    """

    def __init__(self, runner, force, overlap):
        self.runner = runner
        self.force = force
        self.overlap = overlap
        self.pool = None
        self.lock_cr = None
        self.futures = {}  # id of a batch's order list -> its future

    def __enter__(self):
        if self.overlap:
            _context = self.runner._batch_context  # read on the caller's connection, now
            self.lock_cr = self.runner.registry.cursor()
            self.pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="ticketing-people"
            )
        return self

    def match(self, orders):
        """Start matching the people of these orders."""
        if not orders:
            return
        if not self.overlap:
            self.runner._match_people(orders, self.force)
            return
        self.futures[id(orders)] = self.pool.submit(self._match_in_thread, orders)

    def _match_in_thread(self, orders):
        # Odoo's log lines name the database of the thread that writes them.
        threading.current_thread().dbname = self.runner.registry.db_name
        self.runner._match_people(orders, self.force, self.lock_cr)

    def wait(self, orders):
        """Wait until the people of these orders are matched (their matches kept)."""
        future = self.futures.pop(id(orders), None)
        if future is not None:
            future.result()

    def __exit__(self, *exc):
        # A batch matched ahead of a stop keeps its matches for the next run.
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        if self.lock_cr is not None:
            self.lock_cr.close()
        return False


@dataclasses.dataclass
class RunOutcome:
    """What a run did: totals of its batches, and why it stopped."""

    busy: bool = False
    more: bool = False
    error: str | None = None
    batches: int = 0
    totals: BatchOutcome = dataclasses.field(default_factory=BatchOutcome)

    @property
    def orders_seen(self):
        t = self.totals
        return t.created + t.updated + t.unchanged + t.skipped

    @property
    def failed(self):
        return self.totals.failed

    def summary(self, env):
        t = self.totals
        return env._(
            "%(created)s orders new, %(updated)s updated, %(unchanged)s unchanged, "
            "%(skipped)s skipped, %(failed)s failed, %(reviews)s to review.",
            created=t.created,
            updated=t.updated,
            unchanged=t.unchanged,
            skipped=t.skipped,
            failed=t.failed,
            reviews=t.reviews,
        )


class SyncRunner:
    """Runs the sync of one backend (given as a sudo record in the caller's env).

    :param budget_seconds: stop after the batch that exceeds this time, leaving the rest
        to the next run (``outcome.more``); None for no limit.
    """

    def __init__(self, backend, budget_seconds=None):
        backend.ensure_one()
        self.backend_id = backend.id
        self.env = backend.env
        self.registry = backend.env.registry
        self.deadline = time.monotonic() + budget_seconds if budget_seconds else None
        self.batch_size = None
        self.adapter = None
        self.known_performances = set()
        # Own transactions need a registry that can open cursors on committed data.
        self.own_transactions = self.registry.ready or self.registry.in_test_mode()

    # --- public entry points ----------------------------------------------------------------
    def run(self, pages=None, use_cursor=True, force=False):
        """Sync: drain webhooks, read changed performances, import ``pages`` (default: the
        adapter's order pages since the stored cursor), then drain webhooks again.

        :param use_cursor: store each batch's cursor (off for a file, which has none).
        :param force: write orders even if their fingerprint did not change.
        """
        outcome = RunOutcome()
        with self._backend_lock() as locked:
            if not locked:
                outcome.busy = True
                return outcome
            if self.own_transactions:
                self.env.flush_all()  # the batches' own transactions must see the caller's work
            cursors = self._mark_start()
            try:
                if pages is None:
                    self.adapter = self._backend(self.env)._get_adapter()
                    self._drain_pending(outcome)
                    if hasattr(self.adapter, "iter_performance_pages"):
                        self._import_pages(
                            self.adapter.iter_performance_pages(cursors["performance_cursor"]),
                            "performance_cursor",
                            force,
                            outcome,
                        )
                    if not outcome.more:
                        self._import_pages(
                            self.adapter.iter_pages(cursors["sync_cursor"]),
                            "sync_cursor",
                            force,
                            outcome,
                        )
                    if not outcome.more:
                        self._drain_pending(outcome)
                else:
                    self._import_pages(pages, "sync_cursor" if use_cursor else None, force, outcome)
            except ConnectionFailure as error:
                outcome.error = error.text(self.env) or type(error).__name__
                _logger.warning("Ticketing sync of backend %s stopped: %s", self.backend_id, error)
            except Exception as error:
                outcome.error = f"{type(error).__name__}: {error}"
                _logger.exception("Ticketing sync of backend %s failed", self.backend_id)
                if not self.own_transactions:
                    raise
            # Also after a failure: the batches committed before it keep their figures.
            self._refresh_queued(outcome)
            self._record_health(outcome)
        if self.own_transactions:
            self.env.invalidate_all()
        return outcome

    def replay_issues(self, issues):
        """Retry the records of these open sync issues now: fetched again from the
        provider where it can, else mapped again from the stored payload."""
        outcome = RunOutcome()
        backend = self._backend(self.env)
        self.adapter = backend._get_adapter()
        orders, performances, errors = [], [], []
        for issue in issues.filtered(lambda issue: issue.state == "open"):
            try:
                if issue.kind == "performance":
                    performances.append(self._replay_performance(issue))
                else:
                    orders.append(self._replay_order(issue))
            except RecordError as error:
                error.external_id = issue.external_id
                errors.append(error)
            except ConnectionFailure as error:
                outcome.error = error.text(self.env)
                break
        with self._backend_lock() as locked:
            if not locked:
                outcome.busy = True
                return outcome
            self._import_batch(orders, performances, errors, None, None, True, outcome)
            self._refresh_queued(outcome)
        if self.own_transactions:
            self.env.invalidate_all()
        return outcome

    # --- batches ------------------------------------------------------------------------------
    def _import_pages(self, pages, cursor_field, force, outcome):
        """Group pages into batches of about ``batch_size`` orders and import each."""
        with prefetched(pages) as pages:
            self._import_page_batches(pages, cursor_field, force, outcome)

    def _batches(self, pages, cursor_field):
        """``(orders, performances, errors, cursor)`` of about ``batch_size`` records."""
        batch_size = self.batch_size or 1000
        orders, performances, errors, cursor = [], [], [], None
        for page in pages:
            orders += page.orders
            performances += getattr(page, "performances", None) or []
            errors += page.errors
            if cursor_field and page.next_cursor is not None:
                cursor = page.next_cursor
            if len(orders) + len(performances) + len(errors) >= batch_size:
                yield orders, performances, errors, cursor
                orders, performances, errors, cursor = [], [], [], None
        if orders or performances or errors or cursor is not None:
            yield orders, performances, errors, cursor

    def _import_page_batches(self, pages, cursor_field, force, outcome):
        """Each batch in two steps: its people, then its orders. The people of the next
        batch are matched (on a connection and in a thread of their own) while the
        orders of this one are written: Python matches while PostgreSQL writes."""
        batches = self._batches(pages, cursor_field)
        with PeopleAhead(self, force, overlap=self._can_overlap()) as people:
            previous = None
            while True:
                try:
                    batch = next(batches, None)
                except Exception:
                    # The pages stopped (pretix down, a malformed page): the batch whose
                    # people are matched goes in first, as it would have before.
                    if previous is not None:
                        self._import_matched(people, previous, cursor_field, force, outcome)
                    raise
                if batch is not None:
                    people.match(batch[0])
                if previous is not None:
                    self._import_matched(people, previous, cursor_field, force, outcome)
                    if self._out_of_time():
                        outcome.more = True  # the next batch's matches wait for the next run
                        return
                if batch is None:
                    return
                previous = batch

    def _can_overlap(self):
        """Two connections at once need committed data and cursors of their own (not in
        tests, whose cursors share one connection)."""
        return self.own_transactions and not self.registry.in_test_mode()

    def _import_matched(self, people, batch, cursor_field, force, outcome):
        orders, performances, errors, cursor = batch
        people.wait(orders)
        try:
            self._import_batch(
                orders, performances, errors, cursor_field, cursor, force, outcome, matched=True
            )
        except PeopleUnresolved:
            # Someone without a kept match (an order unlinked from its contact meanwhile):
            # the batch again, under the contact lock, matching them itself.
            self._import_batch(orders, performances, errors, cursor_field, cursor, force, outcome)

    def _match_people(self, orders, force, lock_cr=None):
        """The people step of a batch, in its own transaction under the contact lock
        (taken on ``lock_cr``, default the caller's connection). A failure is logged
        and left to the orders step, which matches whoever has no kept match."""

        def work(env):
            OrderImporter(self._backend(env), force=force).match_people(orders)

        try:
            self._in_transaction(work, contacts=True, lock_cr=lock_cr)
        except Exception:
            _logger.exception("Matching the people of a ticketing batch failed")

    def _import_batch(
        self,
        orders,
        performances,
        errors,
        cursor_field,
        cursor,
        force,
        outcome,
        after=None,
        matched=False,
    ):
        """Import one batch in its own transaction with its cursor, then commit.

        :param matched: its people are matched already (``_match_people``): the orders
            go in without the contact lock.
        """
        performances = list(performances) + self._missing_performances(orders, performances)
        error_kind = "performance" if cursor_field == "performance_cursor" else "order"

        def work(env):
            backend = self._backend(env)
            importer = OrderImporter(backend, force=force, may_create_contacts=not matched)
            batch = importer.import_batch(orders, performances, errors, error_kind=error_kind)
            values = {
                "orders_created_total": backend.orders_created_total + batch.created,
                "orders_updated_total": backend.orders_updated_total + batch.updated,
                "records_failed_total": backend.records_failed_total + batch.failed,
            }
            if cursor_field and cursor is not None:
                values[cursor_field] = cursor
            backend.write(values)
            if after is not None:
                after(env)
            return batch

        batch = self._in_transaction(work, contacts=not matched)
        self.known_performances |= {p.external_id for p in performances}
        self.known_performances |= {t.performance_external_id for o in orders for t in o.tickets}
        outcome.totals.add(batch)
        outcome.batches += 1
        return batch

    def _missing_performances(self, orders, performances):
        """Fetch the performances the orders name and Odoo does not know yet (an event
        created after the last performance sync). Unfetchable ones are left to the
        importer, which keeps a placeholder until the performance can be read."""
        if self.adapter is None or not hasattr(self.adapter, "fetch_performance"):
            return []
        named = {t.performance_external_id for o in orders for t in o.tickets}
        named -= self.known_performances | {p.external_id for p in performances}
        named.discard(None)
        if not named:
            return []

        def known(env):
            return set(
                env["event.event"]
                .with_context(active_test=False)
                .search(
                    [
                        ("ticketing_backend_id", "=", self.backend_id),
                        ("ticketing_external_id", "in", sorted(named)),
                    ]
                )
                .mapped("ticketing_external_id")
            )

        fetched = []
        for external_id in sorted(named - self._in_transaction(known)):
            try:
                fetched.append(self.adapter.fetch_performance(external_id))
            except RecordError:
                _logger.info("Performance %s cannot be read yet", external_id)
        return fetched

    def _in_transaction(self, work, contacts=False, lock_cr=None):
        """Run ``work(env)`` in a transaction of its own (committed), or a savepoint.

        :param contacts: under the contact lock, taken on ``lock_cr`` (default: the
            caller's connection) before the transaction starts.
        """
        if not self.own_transactions:
            with self.env.cr.savepoint():
                return work(self.env(context=dict(self.env.context, **SYNC_CONTEXT)))
        context = self._batch_context
        for attempt in range(1, RETRIES + 1):
            try:
                with (
                    self._contact_lock(contacts, lock_cr or self.env.cr),
                    self.registry.cursor() as cr,
                ):
                    env = api.Environment(cr, SUPERUSER_ID, context)
                    result = work(env)
                    # The point of the batch: its work and its cursor become durable together.
                    cr.commit()  # pylint: disable=invalid-commit
                    return result
            except psycopg2.OperationalError as error:
                if getattr(error, "pgcode", None) not in CONCURRENCY_ERRORS or attempt == RETRIES:
                    raise
                _logger.info("Ticketing batch hit a concurrent update; retrying (%s)", attempt)
                time.sleep(random.uniform(0.1, 0.5) * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    # --- audience figures ----------------------------------------------------------------------
    def _refresh_queued(self, outcome):
        """Refresh the audience figures and ticketing roles of every queued contact (this
        run's, and any a killed run left), a chunk a committed transaction, until the queue
        is empty or the run is out of time (then ``outcome.more``: the next run goes on)."""

        def work(env):
            return env["culture.ticketing.pending.refresh"]._refresh_next(REFRESH_CHUNK)

        try:
            while self._in_transaction(work, contacts=True) == REFRESH_CHUNK:
                if self._out_of_time():
                    outcome.more = True
                    return
        except Exception as error:
            # The contacts stay queued: the next run refreshes them.
            outcome.error = outcome.error or f"{type(error).__name__}: {error}"
            _logger.exception("Audience refresh of backend %s's sync failed", self.backend_id)
            if not self.own_transactions:
                raise

    # --- webhooks ----------------------------------------------------------------------------
    def _drain_pending(self, outcome):
        seen_ids = set()
        while not self._out_of_time():
            rows = self._in_transaction(
                functools.partial(self._pending_rows, seen_ids=frozenset(seen_ids))
            )
            if not rows:
                return
            seen_ids |= {row[0] for row in rows}
            orders, errors, fetched, failures = [], [], [], []
            for row_id, event_slug, code, requested_at in rows:
                try:
                    order = self.adapter.fetch_order(event_slug, code)
                except RecordError as error:
                    errors.append(error)
                    fetched.append((row_id, requested_at))
                    continue
                except ConnectionFailure as error:
                    failures.append((row_id, error.text(self.env)))
                    break
                if order is not None:
                    orders.append(order)
                fetched.append((row_id, requested_at))

            forget = functools.partial(self._forget_pending, fetched=fetched, failures=failures)
            self._import_batch(orders, [], errors, None, None, False, outcome, after=forget)
            if failures:
                raise ConnectionFailure(failures[0][1])

    @staticmethod
    def _forget_pending(env, fetched, failures):
        """Delete the notes of fetched orders, unless a webhook renewed them since."""
        for row_id, requested_at in fetched:
            env.cr.execute(
                SQL(
                    "DELETE FROM culture_ticketing_pending_fetch "
                    "WHERE id = %s AND requested_at <= %s",
                    row_id,
                    requested_at,
                )
            )
        for row_id, error in failures:
            env.cr.execute(
                SQL(
                    "UPDATE culture_ticketing_pending_fetch "
                    "SET attempts = attempts + 1, last_error = %s WHERE id = %s",
                    error,
                    row_id,
                )
            )

    def _pending_rows(self, env, seen_ids):
        env.cr.execute(
            SQL(
                """
                SELECT id, event_slug, order_code, requested_at
                  FROM culture_ticketing_pending_fetch
                 WHERE backend_id = %s AND NOT (id = ANY(%s))
                 ORDER BY requested_at, id
                 LIMIT %s
                """,
                self.backend_id,
                sorted(seen_ids),
                PENDING_PER_ROUND,
            )
        )
        return env.cr.fetchall()

    def _replay_order(self, issue):
        if self.adapter is not None and hasattr(self.adapter, "refetch_order"):
            return self.adapter.refetch_order(issue.external_id)
        if self.adapter is not None and hasattr(self.adapter, "map_order") and issue.payload:
            return self.adapter.map_order(issue.payload)
        raise RecordError(
            "This record cannot be fetched again from here: import its file again.",
            payload=issue.payload,
        )

    def _replay_performance(self, issue):
        if (
            self.adapter is not None
            and hasattr(self.adapter, "fetch_performance")
            and not issue.external_id.startswith("#")
        ):
            return self.adapter.fetch_performance(issue.external_id)
        raise RecordError(
            self.env._("This performance is read again by the next sync."), payload=issue.payload
        )

    # --- locks, health ----------------------------------------------------------------------
    @contextlib.contextmanager
    def _backend_lock(self):
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s, %s)", BACKEND_LOCK, self.backend_id))
        locked = cr.fetchone()[0]
        try:
            yield locked
        finally:
            if locked:
                cr.execute(SQL("SELECT pg_advisory_unlock(%s, %s)", BACKEND_LOCK, self.backend_id))

    @functools.cached_property
    def _batch_context(self):
        """The batches' context, read once (also for the people thread, which must not
        use the caller's connection). What a batch writes for people to read (sync
        issues) is in the language of whoever syncs; its records are written without
        one. Days (a visit's, an order's) are counted in their time zone."""
        context = dict(SYNC_CONTEXT, **{MESSAGE_LANG: self.env.lang})
        tz = house_tz(self.env, default=None)
        if tz:
            context["tz"] = tz
        return context

    @contextlib.contextmanager
    def _contact_lock(self, wanted, cr):
        if not wanted:
            yield
            return
        cr.execute(SQL("SELECT pg_advisory_lock(%s, 0)", CONTACT_LOCK))
        try:
            yield
        finally:
            cr.execute(SQL("SELECT pg_advisory_unlock(%s, 0)", CONTACT_LOCK))

    def _backend(self, env):
        return env["culture.ticketing.backend"].sudo().browse(self.backend_id)

    def _out_of_time(self):
        return self.deadline is not None and time.monotonic() > self.deadline

    def _mark_start(self):
        """Note the start, and read the cursor as committed (not as the caller saw it)."""

        def work(env):
            backend = self._backend(env)
            backend.last_sync_start = fields.Datetime.now()
            self.batch_size = backend.batch_size or 1000
            env["culture.ticketing.pending.match"]._forget_older_than(
                self.backend_id, STALE_MATCH_DAYS
            )
            return {
                "sync_cursor": backend.sync_cursor or None,
                "performance_cursor": backend.performance_cursor or None,
            }

        return self._in_transaction(work)

    def _record_health(self, outcome):
        summary = outcome.summary(self.env)  # in the syncing user's language, as the error

        def work(env):
            backend = self._backend(env)
            now = fields.Datetime.now()
            values = {"last_run_summary": summary}
            if outcome.error:
                values.update({"last_error": outcome.error, "last_error_date": now})
            else:
                values["last_success"] = now
            backend.write(values)

        try:
            self._in_transaction(work)
        except psycopg2.Error:
            _logger.exception("Could not record the health of backend %s", self.backend_id)
