"""The neutral shape of ticketing data, whatever system it came from.

A provider's mapper turns its own payload into these records; the importer in Odoo only
ever sees these. Amounts are Decimal in the order's currency; datetimes are timezone-aware
UTC; strings are stripped, and an unknown value is None, never "".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from odoo.tools.translate import LazyGettext

# Order states after the mapper: what the CRM needs to know, not the provider's codes.
ORDER_STATES = ("pending", "paid", "canceled", "refunded", "expired", "deleted")


@dataclasses.dataclass(frozen=True)
class PerformanceRecord:
    """A performance: a pretix event or subevent, a row's show in a CSV export."""

    external_id: str
    name: str
    date_begin: dt.datetime | None = None
    date_end: dt.datetime | None = None
    venue: str | None = None
    genres: tuple[str, ...] = ()
    modified_at: dt.datetime | None = None


@dataclasses.dataclass(frozen=True)
class PersonRecord:
    """A buyer or attendee as the ticketing system knows them."""

    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None
    language: str | None = None
    # A second number, when the system keeps a mobile apart from the phone.
    mobile: str | None = None


@dataclasses.dataclass(frozen=True)
class TicketRecord:
    """One admission (a pretix order position, a CSV row's seat)."""

    external_id: str
    performance_external_id: str
    ticket_type: str | None = None
    price: Decimal = Decimal(0)
    attendee: PersonRecord | None = None
    canceled: bool = False


@dataclasses.dataclass(frozen=True)
class ConsentAnswer:
    """A consent question answered in the order, mapped per backend to a purpose."""

    question: str
    granted: bool
    # The purpose code the backend's mapping gives this question (None: not mapped).
    purpose: str | None = None


@dataclasses.dataclass(frozen=True)
class OrderRecord:
    """One order with its tickets. ``external_id`` is unique per backend."""

    external_id: str
    state: str
    buyer: PersonRecord
    tickets: tuple[TicketRecord, ...] = ()
    total: Decimal = Decimal(0)
    currency: str | None = None
    placed_at: dt.datetime | None = None
    paid_at: dt.datetime | None = None
    modified_at: dt.datetime | None = None
    testmode: bool = False
    consents: tuple[ConsentAnswer, ...] = ()
    # Money returned to the buyer (refunds done), in the order's currency.
    refunded_amount: Decimal = Decimal(0)
    # What the mapper could not read but that does not stop the order (a consent answer
    # that is neither yes nor no): the order is imported and each becomes a sync issue.
    # Connector messages (see ``message_text``): lazy translations, which refuse ==.
    warnings: tuple = dataclasses.field(default=(), compare=False)
    # The provider's payload, kept for the sync issue screen and for replay.
    raw: dict | None = dataclasses.field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.state not in ORDER_STATES:
            raise ValueError(f"unknown order state {self.state!r}")


def message_text(message, env=None):
    """A connector's message in ``env``'s language (English without one).

    Adapters have no environment, so they give lazy translations (``LazyTranslate``),
    plain text (what another system said), or a list of those (several problems of one
    record, joined with '; ').
    """
    if isinstance(message, list | tuple):
        return "; ".join(message_text(part, env) for part in message)
    if isinstance(message, LazyGettext):
        if env is not None:
            return env._(message)
        return message._translate("en_US")  # pylint: disable=protected-access
    return str(message)


class TranslatedError(Exception):
    """An error whose message (``args[0]``) is a connector message: ``text(env)`` gives
    it in the reader's language, ``str()`` in English."""

    def __str__(self):
        return self.text()

    def text(self, env=None):
        """The message in ``env``'s language (English without one)."""
        return message_text(self.args[0] if self.args else "", env)


class RecordError(TranslatedError, ValueError):
    """One record could not be mapped: it becomes a sync issue; the batch goes on."""

    def __init__(self, message, external_id=None, payload=None):
        super().__init__(message)
        self.external_id = external_id
        self.payload = payload


class ConnectionFailure(TranslatedError, RuntimeError):
    """The ticketing system could not be reached or answered with an error: the sync
    stops without moving its cursor and retries later."""


@dataclasses.dataclass
class Page:
    """What an adapter yields: records of one page, and the cursor to store once the
    page is committed (``None``: keep the current cursor)."""

    orders: list[OrderRecord]
    errors: list[RecordError]
    next_cursor: str | None
    performances: list[PerformanceRecord] = dataclasses.field(default_factory=list)
