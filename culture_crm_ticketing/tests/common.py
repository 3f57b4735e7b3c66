# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pages as a connector yields them, and a test case that syncs them into Odoo.

The sync runs in the registry's test mode: each batch opens a cursor of its own and
commits it, which in tests is a savepoint released; the test's own transaction is still
rolled back at the end. No network: pages are built here from the neutral records.
"""

import datetime as dt
import itertools
from decimal import Decimal

from odoo import fields
from odoo.tests import TransactionCase

from ..connectors.records import (
    ConsentAnswer,
    OrderRecord,
    Page,
    PerformanceRecord,
    PersonRecord,
    RecordError,
    TicketRecord,
)
from ..sync.runner import SyncRunner

UTC = dt.UTC
NOW = dt.datetime.now(UTC).replace(microsecond=0)
_positions = itertools.count(1000)


def days(n):
    return dt.timedelta(days=n)


def local_day(env, moment):
    """The day ``moment`` falls on in the house's time zone (its user's), as the CRM
    shows a visit: 23:30 UTC is already tomorrow in Amsterdam."""
    return fields.Date.context_today(env.user, moment.astimezone(UTC).replace(tzinfo=None))


def person(name="Anna de Vries", email="anna@example.nl", **values):
    return PersonRecord(name=name, email=email, **values)


def performance(external_id="hamlet", name="Hamlet", when=None, genres=("Toneel",), **values):
    when = when or NOW - days(30)
    return PerformanceRecord(
        external_id=external_id,
        name=name,
        date_begin=when,
        date_end=when + dt.timedelta(hours=2),
        genres=tuple(genres),
        **values,
    )


def ticket(performance_id="hamlet", price="25.00", external_id=None, **values):
    return TicketRecord(
        external_id=external_id or f"T{next(_positions)}",
        performance_external_id=performance_id,
        ticket_type=values.pop("ticket_type", "Regulier"),
        price=Decimal(price),
        **values,
    )


def order(code, buyer=None, tickets=None, state="paid", modified=None, placed=None, **values):
    """A paid order of two tickets for Hamlet unless told otherwise."""
    tickets = tuple(tickets if tickets is not None else (ticket(), ticket()))
    placed = placed or NOW - days(40)
    return OrderRecord(
        external_id=code,
        state=state,
        buyer=buyer or person(),
        tickets=tickets,
        total=values.pop("total", sum((t.price for t in tickets), Decimal(0))),
        currency="EUR",
        placed_at=placed,
        paid_at=values.pop(
            "paid_at", placed if state in ("paid", "canceled", "refunded") else None
        ),
        modified_at=modified or placed,
        raw={"code": code},
        **values,
    )


def page(*orders, cursor=None, performances=(), errors=()):
    return Page(
        orders=list(orders),
        errors=list(errors),
        next_cursor=cursor,
        performances=list(performances),
    )


def bad_record(external_id="BROKEN", message="the order has no status"):
    return RecordError(message, external_id=external_id, payload={"code": external_id})


def consent(question="NIEUWSBRIEF", granted=True, purpose="newsletter"):
    return ConsentAnswer(question=question, granted=granted, purpose=purpose)


class TicketingCase(TransactionCase):
    """A pretix backend, two performances, and ``sync(*pages)``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Kassa De Kade",
                "provider": "pretix",
                "pretix_url": "http://pretix.invalid",
                "pretix_organizer": "dekade",
                "api_token": "x" * 64,
            }
        )
        cls.hamlet = performance("hamlet", "Hamlet", NOW - days(30), ("Toneel",))
        cls.carmen = performance("carmen", "Carmen", NOW + days(30), ("Opera",))
        cls.Order = cls.env["culture.ticket.order"].with_context(active_test=False)
        cls.Ticket = cls.env["culture.ticket"]
        cls.Issue = cls.env["culture.ticketing.sync.issue"]

    def setUp(self):
        super().setUp()
        # Batches open cursors of their own: in test mode those share this transaction.
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def sync(self, *pages, backend=None, **options):
        """Run the sync over these pages (the performances come along on the first)."""
        pages = list(pages)
        if pages and not pages[0].performances:
            pages[0].performances = [self.hamlet, self.carmen]
        outcome = SyncRunner((backend or self.backend).sudo()).run(pages=pages, **options)
        self.env.invalidate_all()
        return outcome

    def order_of(self, code, backend=None):
        return self.Order.search(
            [("backend_id", "=", (backend or self.backend).id), ("external_id", "=", code)]
        )

    def contact(self, email):
        return self.env["res.partner"].search([("email_normalized", "=", email)])
