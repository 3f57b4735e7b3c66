# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One batch of order records into Odoo: performances, buyers, orders, tickets.

Every step touches the whole batch at once: one search per model for the existing
bindings, one ``create`` for the new contacts and performances, one INSERT for the new
orders and tickets (``bulk.py`` says why); only records that really changed are written.
A batch that fails as a whole is retried record by record, each in its own savepoint, so
one bad record becomes a sync issue and the rest goes in.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import logging

import psycopg2

from odoo import fields
from odoo.addons.culture_crm.models.local_time import house_tz

from ..connectors.records import PersonRecord, message_text
from ..pipeline import lifecycle
from . import bulk
from .binder import Binder
from .identity import IdentityResolver

_logger = logging.getLogger(__name__)

SYNC_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "culture_ticketing_sync": True,
    "active_test": False,
}
# Context key: the language of sync issues (the caller's), apart from the records' own.
MESSAGE_LANG = "culture_ticketing_message_lang"
GENRE_CATEGORY = "culture_crm_ticketing.event_tag_category_genre"
# Order columns that are booleans: False stays False (elsewhere False means NULL).
BOOLEANS = {"active", "testmode"}
DEFAULT_DURATION = dt.timedelta(hours=2)


def to_odoo_datetime(value):
    """A timezone-aware datetime as Odoo stores it: naive UTC."""
    if not value:
        return False
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def json_safe(payload):
    """The payload as JSON can hold it (Decimals and dates become strings)."""
    if payload is None:
        return None
    return json.loads(json.dumps(payload, default=str))


@dataclasses.dataclass
class BatchOutcome:
    """What one batch did; the runner adds these up into the backend's health."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    reviews: int = 0
    partner_ids: set = dataclasses.field(default_factory=set)
    imported_ids: list = dataclasses.field(default_factory=list)
    # (order external id, problem, payload) of orders that are in with a problem (a
    # consent answer unread, a ticket left out): each an open issue until it is gone.
    order_problems: list = dataclasses.field(default_factory=list)

    def add(self, other):
        for field in ("created", "updated", "unchanged", "skipped", "failed", "reviews"):
            setattr(self, field, getattr(self, field) + getattr(other, field))
        self.partner_ids |= other.partner_ids
        self.imported_ids += other.imported_ids
        self.order_problems += other.order_problems


class PeopleUnresolved(Exception):
    """The orders step met a buyer or attendee with no kept match, and may not create
    contacts in its transaction: the runner retries the batch under the contact lock."""


class OrderImporter:
    """Imports batches of records for one backend, in the caller's transaction.

    A batch comes in two steps, each in its own transaction: ``match_people`` matches
    the people of its orders to contacts (creating the new ones) and keeps the matches
    (``culture.ticketing.pending.match``); ``import_batch`` writes the orders and tickets
    with those matches. ``import_batch`` alone also works: it matches whoever has no kept
    match itself.

    :param force: write orders even when their fingerprint says nothing changed (a
        replay after a fix of the mapping, the consent questions...).
    :param may_create_contacts: False when the transaction does not hold the contact
        lock: a person without a kept match then raises ``PeopleUnresolved`` instead of
        being matched here.
    """

    def __init__(self, backend, force=False, may_create_contacts=True):
        self.backend = backend.with_context(**SYNC_CONTEXT).sudo()
        self.env = self.backend.env
        self.force = force
        self.may_create_contacts = may_create_contacts
        self.kept = {}  # (order external id, ticket external id or None) -> Verdict or None
        # Sync issues are written for the person who syncs, in their language.
        lang = self.env.context.get(MESSAGE_LANG) or self.env.lang
        self.text_env = self.env(context=dict(self.env.context, lang=lang)) if lang else self.env
        self.orders = Binder(self.env["culture.ticket.order"], self.backend)
        self.events = Binder(
            self.env["event.event"],
            self.backend,
            backend_field="ticketing_backend_id",
            external_field="ticketing_external_id",
        )
        self.resolver = IdentityResolver(self.backend)
        self._currencies = {}
        self._event_dates = {}  # event id -> date_begin, for tickets written in SQL

    # --- the batch -------------------------------------------------------------------------
    def import_batch(self, orders, performances=(), errors=(), error_kind="order"):
        """Import ``orders`` (OrderRecords) and ``performances``; ``errors`` (RecordErrors
        the mapper raised about records of ``error_kind``) become sync issues."""
        outcome = BatchOutcome()
        self.record_issues(
            [
                # A record without an id is known by its content: its payload, else its
                # message in English, whoever's language the issue is written in.
                (e.external_id or _content_key(str(e), e.payload), e.text(self.text_env), e.payload)
                for e in errors
            ],
            error_kind,
        )
        outcome.failed += len(errors)
        wanted = self._wanted(orders)
        outcome.skipped += len(orders) - len(wanted)
        wanted = lifecycle.latest_versions(wanted)
        Pending = self.env["culture.ticketing.pending.match"]
        self.kept = Pending._kept(self.backend.id, [o.external_id for o in wanted])
        try:
            with self.env.cr.savepoint():
                imported = self._import(wanted, performances)
            outcome.add(imported)
        except (psycopg2.OperationalError, PeopleUnresolved):
            raise  # concurrency or a lost connection: the runner retries the batch
        except Exception:  # any bad record: find it, keep the others
            _logger.info("Batch of %s orders failed; retrying one by one", len(wanted))
            imported = self._import_one_by_one(wanted, performances)
            outcome.add(imported)
        # What the mapper could not read in an order it mapped: the order is in, and each
        # problem waits as an issue of that order until a replay finds it gone.
        done = set(outcome.imported_ids)
        outcome.order_problems += [
            (order.external_id, message_text(warning, self.text_env), order.raw)
            for order in wanted
            if order.external_id in done
            for warning in getattr(order, "warnings", ())
        ]
        self.queue_refresh(outcome.partner_ids)
        still_failing = {external_id for external_id, *_rest in outcome.order_problems}
        self.resolve_issues(
            [ext for ext in outcome.imported_ids if ext not in still_failing]
            + [p.external_id for p in performances]
        )
        self.record_issues(outcome.order_problems)
        Pending._forget(self.backend.id, [o.external_id for o in wanted])
        return outcome

    def match_people(self, orders):
        """The first step of a batch: match the buyers (and attendees) of the orders that
        will need them to contacts, creating the new ones, and keep the matches for the
        orders step. People an earlier run kept a match for are not matched again."""
        wanted = lifecycle.latest_versions(self._wanted(orders))
        new, changed, _skipped, _unchanged = self._classify(wanted)
        Pending = self.env["culture.ticketing.pending.match"]
        self.kept = Pending._kept(
            self.backend.id, [o.external_id for o in new + [o for o, _s in changed]]
        )
        handled = {order_id for order_id, _ticket in self.kept}
        new = [o for o in new if o.external_id not in handled]
        changed = [(o, stored) for o, stored in changed if o.external_id not in handled]
        buyers = self._resolve_buyers(new + [o for o, stored in changed if not stored.partner_id])
        attendees = self._attendees(new + [o for o, _stored in changed])
        verdicts = self._resolve([person for _key, person in attendees])
        Pending._keep(
            self.backend.id,
            [(order_id, None, verdict) for order_id, verdict in buyers.items()]
            + [
                (order_id, ticket_id, verdict)
                for ((order_id, ticket_id), _person), verdict in zip(
                    attendees, verdicts, strict=True
                )
            ],
        )

    def queue_refresh(self, partner_ids):
        """Note the contacts this batch touched, for the refresh of their audience figures
        and ticketing roles when the run's batches are done (committed with the batch)."""
        self.env["culture.ticketing.pending.refresh"]._note(partner_ids)

    def _import_one_by_one(self, orders, performances):
        outcome = BatchOutcome()
        try:
            with self.env.cr.savepoint():
                self._upsert_performances(performances, orders)
        except psycopg2.OperationalError:
            raise
        except Exception:
            _logger.exception("Performances of a batch failed")
        for order in orders:
            try:
                with self.env.cr.savepoint():
                    outcome.add(self._import([order], ()))
            except (psycopg2.OperationalError, PeopleUnresolved):
                raise
            except Exception as error:
                outcome.failed += 1
                self.record_issues(
                    [(order.external_id, _describe(error, self.text_env), order.raw)]
                )
        return outcome

    def _wanted(self, orders):
        return [o for o in orders if self.backend.import_test_orders or not o.testmode]

    def _classify(self, orders):
        """``(new, changed, skipped, unchanged)``: the orders to create, the (order, stored
        order) pairs to update, and how many need nothing."""
        existing = self.orders.fetch(
            [o.external_id for o in orders],
            ["external_id", "modified_at", "fingerprint", "partner_id", "match_state"],
        )
        new, changed, skipped, unchanged = [], [], 0, 0
        for order in orders:
            stored = existing.get(order.external_id)
            if stored is None and order.state == "deleted":
                skipped += 1  # deleted before we ever saw it: nothing to keep
            elif stored is None:
                new.append(order)
            elif lifecycle.is_stale(to_odoo_datetime(order.modified_at), stored.modified_at):
                skipped += 1
            elif not self.force and stored.fingerprint == lifecycle.fingerprint(order):
                unchanged += 1
            else:
                changed.append((order, stored))
        return new, changed, skipped, unchanged

    def _import(self, orders, performances):
        outcome = BatchOutcome()
        event_ids = self._upsert_performances(performances, orders)
        new, changed, outcome.skipped, outcome.unchanged = self._classify(orders)
        if not new and not changed:
            return outcome

        buyers = self._resolve_buyers(new + [o for o, stored in changed if not stored.partner_id])
        visitors = self._resolve_attendees(new + [o for o, _stored in changed])

        created = self._create_orders(new, buyers)
        for order, stored in changed:
            self._update_order(order, stored, buyers.get(order.external_id))
        # (record, order id, buyer id) of every order whose tickets are to be brought in line
        written = [
            (order, created[order.external_id], _partner_of(buyers.get(order.external_id)))
            for order in new
            if order.external_id in created
        ] + [(order, stored.id, stored.partner_id.id) for order, stored in changed]
        self._sync_tickets(
            written, [stored.id for _o, stored in changed], event_ids, visitors, outcome
        )
        self._forget_rows_written_in_sql()
        Order = self.env["culture.ticket.order"]
        reviewed = {ext for ext, verdict in buyers.items() if verdict and verdict.review}
        self._schedule_reviews(
            Order.browse(
                [order_id for record, order_id, _b in written if record.external_id in reviewed]
            )
        )
        self._record_consents(
            [(record, order_id) for record, order_id, _buyer in written if record.consents],
            outcome,
        )
        outcome.created += len(created)
        outcome.updated += len(changed)
        outcome.reviews += sum(1 for v in buyers.values() if v and v.review)
        outcome.imported_ids += [record.external_id for record, _o, _b in written]
        outcome.partner_ids |= {buyer for _record, _order, buyer in written if buyer}
        for _order, stored in changed:
            outcome.partner_ids |= set(stored.partner_id.ids)
        return outcome

    def _forget_rows_written_in_sql(self):
        """The orders and tickets went in below the ORM: let it read them afresh.

        Only what those rows change is dropped from the cache. The new contacts' computed
        fields stay pending, so they reach the database in one UPDATE at the commit, not
        in one UPDATE now and another then (every UPDATE of a contact rewrites its row in
        all of res_partner's indexes).
        """
        for model in ("culture.ticket.order", "culture.ticket"):
            self.env[model].invalidate_model()  # flushes their ORM writes first
        self.env["res.partner"].invalidate_model(
            ["culture_ticket_order_ids", "culture_ticket_ids"], flush=False
        )
        self.env["event.event"].invalidate_model(["culture_ticket_ids"], flush=False)

    # --- performances ---------------------------------------------------------------------
    def _upsert_performances(self, performances, orders):
        """``{external id: event id}`` for every performance the batch mentions."""
        records = {p.external_id: p for p in performances}
        wanted = set(records)
        first_sale = {}
        for order in orders:
            for ticket in order.tickets:
                wanted.add(ticket.performance_external_id)
                first_sale.setdefault(ticket.performance_external_id, order.placed_at)
        wanted.discard(None)
        if not wanted:
            return {}
        existing = self.events.fetch(
            sorted(wanted), ["ticketing_external_id", "name", "date_begin", "date_end", "tag_ids"]
        )
        genre_ids = self._genre_ids({g for p in records.values() for g in p.genres})
        to_create = []
        for external_id in sorted(wanted - set(existing)):
            record = records.get(external_id)
            to_create.append(self._event_values(external_id, record, genre_ids, first_sale))
        Event = self.env["event.event"]
        created = Event.create(to_create) if to_create else Event
        for external_id, record in records.items():
            event = existing.get(external_id)
            if event is None:
                continue
            values = self._event_values(external_id, record, genre_ids, first_sale)
            values.pop("event_mail_ids", None)
            values.pop("date_tz", None)
            changes = {
                key: value
                for key, value in values.items()
                if key not in ("ticketing_backend_id", "ticketing_external_id")
                and _differs(event, key, value)
            }
            if changes:
                event.write(changes)
        mapping = {external_id: event.id for external_id, event in existing.items()}
        mapping.update({event.ticketing_external_id: event.id for event in created})
        for event in [*existing.values(), *created]:
            self._event_dates[event.id] = event.date_begin
        return mapping

    def _event_values(self, external_id, record, genre_ids, first_sale):
        begin = (
            to_odoo_datetime(record and record.date_begin)
            or to_odoo_datetime(first_sale.get(external_id))
            or fields.Datetime.now()
        )
        end = to_odoo_datetime(record and record.date_end) or begin + DEFAULT_DURATION
        values = {
            "name": (record and record.name) or external_id,
            "date_begin": begin,
            "date_end": max(end, begin),
            "ticketing_backend_id": self.backend.id,
            "ticketing_external_id": external_id,
            "ticketing_venue": (record and record.venue) or False,
            "event_mail_ids": [fields.Command.clear()],
            "date_tz": house_tz(self.env, default="Europe/Amsterdam"),
        }
        if record is not None:
            values["tag_ids"] = [fields.Command.set([genre_ids[g] for g in record.genres])]
        return values

    def _genre_ids(self, names):
        """``{genre name: event.tag id}``, creating the genres not known yet."""
        if not names:
            return {}
        category = self.env.ref(GENRE_CATEGORY)
        Tag = self.env["event.tag"]
        known = {
            tag.name.lower(): tag.id
            for tag in Tag.search_fetch([("category_id", "=", category.id)], ["name"])
        }
        missing = sorted({name for name in names if name.lower() not in known})
        for tag in Tag.create([{"name": name, "category_id": category.id} for name in missing]):
            known[tag.name.lower()] = tag.id
        return {name: known[name.lower()] for name in names}

    # --- buyers and attendees ---------------------------------------------------------------
    def _resolve(self, people):
        """Verdicts for ``people``, matched here (creating contacts) when allowed."""
        if not people:
            return []
        if not self.may_create_contacts:
            raise PeopleUnresolved()
        return self.resolver.resolve(people)

    def _resolve_buyers(self, orders):
        """``{order external id: Verdict}`` for orders whose buyer is not known yet: the
        kept match, else matched now."""
        found = {
            o.external_id: self.kept[o.external_id, None]
            for o in orders
            if (o.external_id, None) in self.kept
        }
        todo = [o for o in orders if o.external_id not in found]
        verdicts = self._resolve([order.buyer for order in todo])
        found.update((order.external_id, v) for order, v in zip(todo, verdicts, strict=True))
        return found

    def _attendees(self, orders):
        """``[((order external id, ticket external id), attendee)]`` for attendees who are
        not the buyer, when the backend matches attendees."""
        if not self.backend.match_attendees:
            return []
        attendees = []
        for order in orders:
            buyer_email = self.resolver.keys(order.buyer).email
            for ticket in order.tickets:
                attendee = ticket.attendee
                if attendee is None:
                    continue
                keys = self.resolver.keys(attendee)
                if keys.email and keys.email != buyer_email:
                    attendees.append(((order.external_id, ticket.external_id), attendee))
        return attendees

    def _resolve_attendees(self, orders):
        """``{ticket external id: partner id}`` for attendees who are not the buyer."""
        attendees = self._attendees(orders)
        handled = {order_id for order_id, _ticket in self.kept}
        verdicts = dict.fromkeys(key for key, _person in attendees)
        todo = []
        for key, person in attendees:
            if key[0] in handled:
                verdicts[key] = self.kept.get(key)
            else:
                todo.append((key, person))
        resolved = self._resolve([person for _key, person in todo])
        verdicts.update((key, v) for (key, _person), v in zip(todo, resolved, strict=True))
        return {
            ticket_id: verdict.partner_id
            for (_order_id, ticket_id), verdict in verdicts.items()
            if verdict is not None and verdict.partner_id and not verdict.review
        }

    # --- orders -----------------------------------------------------------------------------
    def _order_values(self, order):
        buyer = order.buyer
        values = {
            "state": order.state,
            "active": order.state != "deleted",
            "placed_at": to_odoo_datetime(order.placed_at),
            "paid_at": to_odoo_datetime(order.paid_at),
            "modified_at": to_odoo_datetime(order.modified_at),
            "total": float(order.total or 0),
            "refunded_amount": float(getattr(order, "refunded_amount", 0) or 0),
            "currency_id": self._currency(order.currency),
            "testmode": order.testmode,
            "buyer_name": buyer.name
            or " ".join(p for p in (buyer.given_name, buyer.family_name) if p)
            or False,
            "buyer_email": buyer.email or False,
            "buyer_phone": buyer.phone or buyer.mobile or False,
            "buyer_zip": buyer.zip or False,
            "buyer_city": buyer.city or False,
            "consent_answers": [
                {
                    "question": answer.question,
                    "granted": answer.granted,
                    "purpose": getattr(answer, "purpose", None),
                }
                for answer in order.consents
            ]
            or False,
            "fingerprint": lifecycle.fingerprint(order),
        }
        valid = [
            ticket
            for ticket in order.tickets
            if lifecycle.ticket_state(order.state, ticket.canceled) == lifecycle.TICKET_VALID
        ]
        values["valid_ticket_count"] = len(valid)
        values["valid_ticket_amount"] = float(sum(ticket.price or 0 for ticket in valid))
        return values

    def _match_values(self, verdict):
        if verdict is None or not verdict.partner_id:
            return {}
        return {
            "partner_id": verdict.partner_id,
            "match_method": verdict.method,
            "match_confidence": verdict.confidence,
            "match_state": "review" if verdict.review else "confirmed",
            "match_candidate_ids": [fields.Command.set(list(verdict.candidate_ids))],
        }

    def _create_orders(self, orders, buyers):
        """Insert the new orders in one statement: ``{external id: order id}``."""
        rows, candidates = [], []
        for order in orders:
            values = self._order_values(order)
            values.update(self._match_values(buyers.get(order.external_id)))
            candidates.append((order.external_id, values.pop("match_candidate_ids", None)))
            values["currency_id"] = values["currency_id"] or None
            rows.append(
                {
                    "backend_id": self.backend.id,
                    "external_id": order.external_id,
                    "partner_id": None,
                    "match_method": None,
                    "match_confidence": 0.0,
                    "match_state": None,
                    **{
                        key: (None if value is False and key not in BOOLEANS else value)
                        for key, value in values.items()
                    },
                }
            )
        created = bulk.insert(self.env, "culture.ticket.order", rows)
        bulk.link(
            self.env,
            "culture_ticket_order_match_candidate_rel",
            "order_id",
            "partner_id",
            [
                (created[external_id], partner_id)
                for external_id, command in candidates
                if command and external_id in created
                for partner_id in command[0][2]
            ],
        )
        return created

    def _update_order(self, order, stored, verdict):
        values = self._order_values(order)
        if order.state == "deleted" and order.buyer == PersonRecord():
            # pretix answers a deleted order with its code only: keep what we knew.
            values = {key: values[key] for key in ("state", "active", "fingerprint", "modified_at")}
            values["modified_at"] = values["modified_at"] or stored.modified_at
        if not stored.partner_id:
            values.update(self._match_values(verdict))
        stored.write(values)

    def _currency(self, code):
        if not code:
            return self.backend.currency_id.id
        if code not in self._currencies:
            currency = self.env["res.currency"].search([("name", "=", code.upper())], limit=1)
            self._currencies[code] = currency.id or self.backend.currency_id.id
        return self._currencies[code]

    # --- tickets ------------------------------------------------------------------------------
    def _sync_tickets(self, written, existing_order_ids, event_ids, visitors, outcome):
        """Create, update and cancel the tickets of ``written`` ((record, order id, buyer
        id) triples): new tickets in one statement, changed ones through the ORM."""
        Ticket = self.env["culture.ticket"]
        stored_by_order = {}
        if existing_order_ids:
            for ticket in Ticket.search_fetch(
                [("order_id", "in", existing_order_ids)],
                [
                    "external_id",
                    "order_id",
                    "event_id",
                    "partner_id",
                    "state",
                    "price",
                    "ticket_type",
                    "attendee_name",
                    "attendee_email",
                ],
            ):
                stored_by_order.setdefault(ticket.order_id.id, {})[ticket.external_id] = ticket
        to_insert, new_tickets = [], []  # rows, and (order record, values) of each
        for record, order_id, buyer_id in written:
            existing = stored_by_order.get(order_id, {})
            seen = set()
            for ticket in record.tickets:
                seen.add(ticket.external_id)
                values = self._ticket_values(record, ticket, buyer_id, event_ids, visitors)
                current = existing.get(ticket.external_id)
                if current is None:
                    to_insert.append(
                        {
                            "backend_id": self.backend.id,
                            "order_id": order_id,
                            "external_id": ticket.external_id,
                            **{k: (None if v is False else v) for k, v in values.items()},
                            "event_begin": self._event_dates.get(values["event_id"]),
                        }
                    )
                    new_tickets.append((record, dict(values, order_id=order_id)))
                    continue
                if current.partner_id.id != values["partner_id"]:
                    outcome.partner_ids |= set(current.partner_id.ids)
                changes = {k: v for k, v in values.items() if _differs(current, k, v)}
                if changes:
                    current.write(changes)
                outcome.partner_ids.add(values["partner_id"])
            # A position gone from the order was removed in the ticketing system.
            for external_id, current in existing.items():
                if external_id not in seen and current.state != lifecycle.TICKET_CANCELED:
                    current.write({"state": lifecycle.TICKET_CANCELED})
                    outcome.partner_ids |= set(current.partner_id.ids)
        to_insert = self._settle_ticket_numbers(to_insert, new_tickets, outcome)
        bulk.insert(self.env, "culture.ticket", to_insert)
        outcome.partner_ids |= {row["partner_id"] for row in to_insert}
        outcome.partner_ids.discard(False)
        outcome.partner_ids.discard(None)

    def _settle_ticket_numbers(self, rows, new_tickets, outcome):
        """The rows to insert, less the tickets whose number another order holds.

        A ticket number belongs to one order. When the ticketing system puts it in
        another (an exchange, a ticket passed on), the order it changed last holds the
        ticket: a later order takes it over, with its visit; an older one is imported
        without it, and an issue on that order says where the ticket is.
        """
        keep = {}  # ticket number -> index of the row that gets it
        for index, row in enumerate(rows):
            number = row["external_id"]
            if number not in keep:
                keep[number] = index
                continue
            # Two orders of this batch: the one changed last (on a tie, the later) wins.
            loser, winner = sorted((keep[number], index), key=lambda i: _changed(new_tickets[i][0]))
            self._ticket_left_out(new_tickets[loser][0], number, new_tickets[winner][0], outcome)
            keep[number] = winner
        if not keep:
            return []
        Ticket = self.env["culture.ticket"]
        held = Ticket.search_fetch(
            [("backend_id", "=", self.backend.id), ("external_id", "in", list(keep))],
            ["external_id", "order_id", "partner_id", "state", "price"],
        )
        for ticket in held:
            record, values = new_tickets[keep.pop(ticket.external_id)]
            holder = ticket.order_id
            if holder.modified_at and _changed(record) < holder.modified_at:
                self._ticket_left_out(record, ticket.external_id, holder, outcome)
                continue
            if ticket.state == lifecycle.TICKET_VALID:
                holder.write(
                    {
                        "valid_ticket_count": max(holder.valid_ticket_count - 1, 0),
                        "valid_ticket_amount": holder.valid_ticket_amount - ticket.price,
                    }
                )
            # The old order's buyer and visitor lose the ticket from their figures.
            outcome.partner_ids |= set((ticket.partner_id | holder.partner_id).ids)
            ticket.write(values)
            outcome.partner_ids.add(values["partner_id"])
        return [rows[index] for index in sorted(keep.values())]

    def _ticket_left_out(self, record, number, holder, outcome):
        """Note on ``record``'s order that ticket ``number`` stays with ``holder``."""
        outcome.order_problems.append(
            (
                record.external_id,
                self.text_env._(
                    "Ticket %(ticket)s is left out of this order: the ticketing system "
                    "changed order %(holder)s later, and the ticket is there now.",
                    ticket=number,
                    holder=holder.external_id,
                ),
                record.raw,
            )
        )

    def _ticket_values(self, record, ticket, buyer_id, event_ids, visitors):
        attendee = ticket.attendee
        return {
            "event_id": event_ids.get(ticket.performance_external_id, False),
            "partner_id": visitors.get(ticket.external_id) or buyer_id or False,
            "state": lifecycle.ticket_state(record.state, ticket.canceled),
            "ticket_type": ticket.ticket_type or False,
            "price": float(ticket.price or 0),
            "attendee_name": (attendee and attendee.name) or False,
            "attendee_email": (attendee and attendee.email) or False,
        }

    # --- reviews and consent ----------------------------------------------------------------
    def _schedule_reviews(self, orders):
        """An activity for the reviewer on every order whose buyer is uncertain."""
        reviewer = self.backend.reviewer_id
        if not reviewer or not orders:
            return
        to_review = orders.filtered(lambda o: o.match_state == "review" and not o.activity_ids)
        if not to_review:
            return
        to_review.activity_schedule(
            "culture_crm_ticketing.mail_activity_review_match",
            user_id=reviewer.id,
            note=self.env._("Check who bought this order: several contacts resemble the buyer."),
        )

    def _record_consents(self, answering, outcome):
        """The consent questions answered in these orders become the buyer's consent,
        with the order as reference (so a replay records nothing twice). A question
        mapped to a purpose the CRM does not know is a sync issue of its order.

        :param answering: ``[(record, order id)]`` of the orders with consent answers
        """
        if not answering:
            return
        mapping = {line.question: line.purpose_code for line in self.backend.consent_map_ids}
        orders = self.env["culture.ticket.order"].browse([order_id for _r, order_id in answering])
        answered = []
        for (record, _order_id), stored in zip(answering, orders, strict=True):
            if not stored or not stored.partner_id:
                continue
            for answer in record.consents:
                purpose = getattr(answer, "purpose", None) or mapping.get(answer.question)
                if purpose:
                    answered.append((record, stored, answer, purpose))
        if not answered:
            return
        known = set(
            self.env["culture.consent.purpose"]
            .with_context(active_test=False)
            .search([("code", "in", sorted({purpose for *_rest, purpose in answered}))])
            .mapped("code")
        )
        for record, stored, answer, purpose in answered:
            if purpose not in known:
                outcome.order_problems.append(
                    (
                        record.external_id,
                        self.text_env._(
                            "The consent question '%(question)s' maps to the purpose "
                            "'%(purpose)s', which does not exist: the answer was not recorded.",
                            question=answer.question,
                            purpose=purpose,
                        ),
                        record.raw,
                    )
                )
                continue
            stored.partner_id._record_consent(
                purpose,
                granted=answer.granted,
                source="ticketing",
                reference=f"{self.backend.name} {record.external_id}",
                date=to_odoo_datetime(record.placed_at) or fields.Datetime.now(),
                proof=answer.question,
            )

    # --- sync issues --------------------------------------------------------------------------
    def record_issues(self, failures, kind="order"):
        """``failures``: ``[(external id or None, error text, payload)]`` of records of
        ``kind`` (order, performance)."""
        if not failures:
            return
        Issue = self.env["culture.ticketing.sync.issue"]
        now = fields.Datetime.now()
        # A record without an id is known by its content, so its replay finds its issue.
        failures = [
            (ext or _content_key(err, payload), err, payload) for ext, err, payload in failures
        ]
        keyed = {ext: (err, payload) for ext, err, payload in failures}
        open_issues = (
            {
                issue.external_id: issue
                for issue in Issue.search_fetch(
                    [
                        ("backend_id", "=", self.backend.id),
                        ("state", "=", "open"),
                        ("external_id", "in", list(keyed)),
                    ],
                    ["external_id", "error", "payload"],
                )
            }
            if keyed
            else {}
        )
        to_create = []
        for external_id, error, payload in failures:
            issue = open_issues.get(external_id) if external_id else None
            if issue is not None:
                payload = json_safe(payload)
                if issue.error != error or issue.payload != payload:
                    issue.write({"error": error, "payload": payload, "last_seen": now})
                continue
            to_create.append(
                {
                    "backend_id": self.backend.id,
                    "external_id": external_id,
                    "kind": kind,
                    "error": error,
                    "payload": json_safe(payload),
                }
            )
        if to_create:
            Issue.create(to_create)

    def resolve_issues(self, external_ids):
        if not external_ids:
            return
        self.env["culture.ticketing.sync.issue"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("state", "=", "open"),
                ("external_id", "in", list(external_ids)),
            ]
        ).write({"state": "resolved", "resolved_at": fields.Datetime.now()})


def _differs(record, fname, value):
    """Whether writing ``value`` (a write() value) would change ``record[fname]``."""
    field = record._fields[fname]
    current = record[fname]
    if field.type == "many2one":
        return current.id != (value or False)
    if field.type in ("many2many", "one2many"):
        if isinstance(value, list) and len(value) == 1 and value[0][0] == fields.Command.SET:
            return set(current.ids) != set(value[0][2])
        return True
    if field.type == "float" or field.type == "monetary":
        return abs((current or 0.0) - (value or 0.0)) > 0.0001
    return (current or False) != (value or False)


def _content_key(error, payload):
    digest = hashlib.sha1(
        json.dumps(json_safe(payload) if payload is not None else error, sort_keys=True).encode(),
        usedforsecurity=False,
    ).hexdigest()
    return f"#{digest[:12]}"


def _partner_of(verdict):
    """The contact a verdict names; False for a buyer who gave nothing to go by."""
    return (verdict and verdict.partner_id) or False


def _changed(record):
    """When the ticketing system last changed an order record (naive UTC)."""
    return to_odoo_datetime(record.modified_at) or dt.datetime.min


def _describe(error, env=None):
    """The error as a steward reads it: its type when the message says little."""
    text = getattr(error, "text", None)
    message = (text(env) if callable(text) else str(error)).strip()
    name = type(error).__name__
    return f"{name}: {message}" if message else name
