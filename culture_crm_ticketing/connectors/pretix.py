"""pretix: adapter (HTTP only) and mapper (pretix JSON -> neutral records).

How the Odoo side uses it::

    adapter = PretixAdapter(
        base_url="https://pretix.eu", organizer="schouwburg", token=team_api_token,
        consent_questions={m.question: m.purpose_code for m in backend.consent_map_ids},
    )
    adapter.test_connection()                   # a summary message, or ConnectionFailure
    for page in adapter.iter_pages(backend.cursor):
        ... upsert page.orders, store page.errors as sync issues ...
        backend.cursor = page.next_cursor       # only after the page is committed
        commit()
    adapter.fetch_order(event_slug, code)       # a webhook's trigger -> OrderRecord
    adapter.refetch(issue.external_id)          # replay of a sync issue (fetch anew)
    adapter.map_order(issue.payload)            # ... or map a stored payload again
    for page in adapter.iter_performance_pages():
        ... upsert page.performances (event.event) ...
    adapter.fetch_performance(ticket.performance_external_id)

Identifiers (unique within one backend, i.e. one pretix organizer):

- order ``external_id``: ``"<event slug>-<order code>"`` (pretix's own "full code",
  lower-case slug); ``split_order_external_id`` gives the two back.
- ticket ``external_id``: the order position's id (global in a pretix instance).
- performance ``external_id``: the event slug, or ``"<event slug>/<subevent id>"`` for a
  date of an event series (an event with subevents is not itself a performance).

Paging and the cursor. pretix lists an organizer's orders ordered by ``last_modified``,
at most 50 a page, filtered by ``modified_since`` (inclusive). Following pretix's numbered
``next`` pages would lose an order: when an order of an earlier page changes while we
page, everything after it moves up one place and one order slips past the page boundary.
So each request asks again from the last ``last_modified`` seen (keyset paging), and
numbered pages are followed only inside a run of more than 50 orders with the very same
timestamp. Each yielded ``Page.next_cursor`` is safe to store once that page is
committed:

- a page that is not the last: the ``last_modified`` of its last order (resuming there
  re-reads at most the orders that share that timestamp; the binder makes that harmless);
- the last page: its ``X-Page-Generated`` header, the moment pretix started answering, so
  any change made while we were paging is picked up by the next run.

Errors. ``ConnectionFailure`` (from ``rest_client``) means stop: nothing of the failed
request was yielded and the cursor stays. A page whose body is not JSON or has no
``results`` list is such a failure. One order that cannot be mapped becomes a
``RecordError`` in ``Page.errors`` (with its payload and external id when known) and the
rest of the page goes on.

Order states: pretix's n/p/e/c become pending/paid/expired/canceled; the order status
wins over its positions. A canceled order with a refund done (or in transit) is
"refunded"; a canceled order without one is "canceled" (never paid, or paid and not, or
not yet, refunded). Canceling with a cancellation fee keeps the order paid in pretix,
with every ticket canceled and the fee as its total; a partial refund of a valid order
keeps it paid, with ``refunded_amount`` set. Caveat, seen in pretix 2026.8: a refund added
to an order that is already canceled does not change the order's ``last_modified``, so
an incremental sync does not see "canceled" become "refunded"; the webhook for
``pretix.event.order.refund.created``/``.refund.done`` does, through ``fetch_order``.
A deleted order (pretix deletes only test-mode orders) is answered by ``fetch_order`` as a
record with state "deleted". Tickets are canceled when their position is, or when the
order is not pending or paid. Only admission items become tickets (a drink or a programme
booklet is not a visit); every position still counts in ``total``.

Consent: ``consent_questions`` maps a pretix question identifier (or
``"QUESTION/OPTION"``, one option of a multiple-choice question) to a purpose code; each
mapped question answered in the order (on its first position that answers it, normally
the buyer's own ticket) becomes a ``ConsentAnswer(question=key, granted, purpose)``.
Boolean answers are "True"/"False"; a choice is read from its option's identifier or its
text ("Ja, graag", "No") in the order's language. An answer that says neither yes nor no
records no consent and becomes one of the order's ``warnings`` (a sync issue beside the
imported order).

Buyer: the invoice address's name, else the first ticket holder's (pretix keeps an empty
name scheme on a business address without a person), else the company. The name is
built from the given, middle and family name of any of pretix's name schemes, without
salutation, title or degree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation

from odoo.tools.translate import LazyTranslate

from .records import (
    ConnectionFailure,
    ConsentAnswer,
    OrderRecord,
    Page,
    PerformanceRecord,
    PersonRecord,
    RecordError,
    TicketRecord,
)
from .rest_client import MalformedResponse, NotFound, RestClient
from .tabular import parse_bool

_lt = LazyTranslate(__name__)
# What a number that is not one was meant to be (named in its sync issue).
REFUND_AMOUNT = _lt("refund amount")
TICKET_PRICE = _lt("ticket price")
ORDER_TOTAL = _lt("order total")
NO_PERSON = PersonRecord()
# PersonRecord field -> key of pretix's address-shaped dicts (an invoice address, or an
# order position, which carries the attendee's address).
ADDRESS_KEYS = {
    "company": "company",
    "street": "street",
    "zip": "zipcode",
    "city": "city",
    "country_code": "country",
}
# The keys of an order position that say anything about its attendee.
ATTENDEE_KEYS = ("attendee_name", "attendee_name_parts", "attendee_email", *ADDRESS_KEYS.values())

PAGE_SIZE = 50  # pretix's maximum
STATES = {"n": "pending", "p": "paid", "e": "expired", "c": "canceled"}
# Refunds that mean money goes (or went) back to the buyer.
REFUND_DONE_STATES = ("done", "transit")
LANGUAGE_PREFERENCE = ("nl", "nl-informal", "en")


# --- adapter ------------------------------------------------------------------------------
class PretixAdapter:
    """Talks to one pretix organizer over its REST API. Nothing here touches Odoo."""

    def __init__(
        self,
        base_url,
        organizer,
        token,
        consent_questions: Mapping[str, str] | None = None,
        genre_property="genre",
        client: RestClient | None = None,
        **client_options,
    ):
        """``base_url`` is pretix's address (``https://pretix.eu``), ``organizer`` the
        organizer's slug and ``token`` a team API token that may read orders and events.
        ``consent_questions`` maps question identifiers to purpose codes (a plain list of
        identifiers is taken too, giving answers without a purpose). ``client_options``
        go to ``RestClient`` (timeout, max_attempts, backoff, max_retry_after)."""
        self.base_url = base_url.rstrip("/")
        self.organizer = organizer
        if consent_questions is not None and not isinstance(consent_questions, Mapping):
            consent_questions = dict.fromkeys(consent_questions)
        self.consent_questions = dict(consent_questions or {})
        self.genre_property = genre_property
        self.client = client or RestClient(
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            **client_options,
        )
        self._items: dict[str, dict[int, dict]] = {}
        self._events: dict[str, dict] = {}

    @property
    def organizer_url(self):
        return f"{self.base_url}/api/v1/organizers/{self.organizer}"

    # --- connection ---------------------------------------------------------------------------
    def test_connection(self):
        """Check the address, the organizer and that the token may read orders; return a
        one-line summary for the user, or raise ``ConnectionFailure`` saying what is wrong."""
        try:
            organizer, _headers = self.client.get_json(f"{self.organizer_url}/")
        except NotFound:
            raise ConnectionFailure(
                _lt(
                    "pretix at %(url)s has no organizer '%(organizer)s' that this token may see",
                    url=self.base_url,
                    organizer=self.organizer,
                )
            ) from None
        orders, _headers = self.client.get_json(
            f"{self.organizer_url}/orders/", params={"page_size": 1}
        )
        if not isinstance(organizer, dict) or not isinstance(orders, dict):
            raise ConnectionFailure(
                _lt("%(url)s does not answer like a pretix API", url=self.base_url)
            )
        return _lt(
            "%(organizer)s: %(count)s orders",
            organizer=organizer.get("name") or self.organizer,
            count=orders.get("count", 0),
        )

    # --- orders -------------------------------------------------------------------------------
    def iter_pages(self, cursor: str | None = None) -> Iterator[Page]:
        """Every order changed since ``cursor`` (everything when None), page by page, in
        the order pretix changed them. See the module docstring for the cursor rules."""
        url = f"{self.organizer_url}/orders/"
        since = cursor
        page_number = 1
        seen = set()  # (external id, last_modified) already yielded at the boundary
        while True:
            params = {
                "ordering": "last_modified",
                "page_size": PAGE_SIZE,
                "include_canceled_positions": "true",
                "include_canceled_fees": "true",
            }
            if since:
                params["modified_since"] = since
            if page_number > 1:
                params["page"] = page_number
            data, headers = self.client.get_json(url, params=params)
            results = _results(data, url)
            self._load_items({_event_of(payload) for payload in results} - {None})
            page = Page(orders=[], errors=[], next_cursor=None)
            for payload in results:
                key = (_order_external_id_or_none(payload), _get(payload, "last_modified"))
                if key in seen:
                    continue
                try:
                    page.orders.append(self.map_order(payload))
                except RecordError as error:
                    page.errors.append(error)
            if not data.get("next"):
                page.next_cursor = headers.get("X-Page-Generated") or _last_modified(results, since)
                yield page
                return
            last = _last_modified(results, since)
            if last is None:
                raise ConnectionFailure(
                    _lt("%(url)s returned a page whose orders have no last_modified", url=url)
                )
            if since is not None and _parse_datetime(last) <= _parse_datetime(since):
                # More than a page of orders share one timestamp: step through them by
                # page number, without moving the cursor.
                page_number += 1
                seen |= {(_order_external_id_or_none(p), _get(p, "last_modified")) for p in results}
            else:
                since, page_number = last, 1
                seen = {
                    (_order_external_id_or_none(p), _get(p, "last_modified"))
                    for p in results
                    if _get(p, "last_modified") == last
                }
            page.next_cursor = since
            yield page

    def fetch_order(self, event, code) -> OrderRecord:
        """The current state of one order, e.g. after a webhook named it. A deleted order
        (404) comes back with state "deleted"; a body that cannot be mapped raises
        ``RecordError``; an unreachable pretix raises ``ConnectionFailure``."""
        url = f"{self.organizer_url}/events/{event}/orders/{code}/"
        external_id = order_external_id(event, code)
        try:
            payload, _headers = self.client.get_json(
                url, params={"include_canceled_positions": "true", "include_canceled_fees": "true"}
            )
        except NotFound:
            return OrderRecord(external_id=external_id, state="deleted", buyer=PersonRecord())
        except MalformedResponse as error:  # pretix answered, but not with JSON
            raise RecordError(error.args[0], external_id=external_id, payload=error.body) from None
        if isinstance(payload, dict):
            payload.setdefault("event", event)
        self._load_items({event})
        return self.map_order(payload)

    def refetch_order(self, external_id) -> OrderRecord:
        """``fetch_order`` by our external id (replay of a sync issue)."""
        return self.fetch_order(*split_order_external_id(external_id))

    def refetch(self, external_id, payload=None) -> OrderRecord:
        """Replay of a sync issue: the order as pretix has it now. Without an external id
        (the record was too broken to have one) the stored ``payload`` is mapped again."""
        if external_id:
            return self.refetch_order(external_id)
        return self.map_order(payload)

    def map_order(self, payload) -> OrderRecord:
        """Map with this backend's items and consent mapping (``order_from_pretix``),
        fetching the event's items first if this adapter has not seen the event yet."""
        event = _event_of(payload) or ""
        if event and event not in self._items:
            self._load_items({event})
        return order_from_pretix(
            payload,
            items=self._items.get(event, {}),
            consent_questions=self.consent_questions,
            currency=(self._events.get(event) or {}).get("currency"),
        )

    def _load_items(self, events):
        """Fetch, once per adapter, the items (ticket types) and currency of ``events``."""
        for event in events:
            if event in self._items:
                continue
            items = {}
            try:
                if event not in self._events:
                    self._events[event], _headers = self.client.get_json(
                        f"{self.organizer_url}/events/{event}/"
                    )
                for item in self._get_all(f"{self.organizer_url}/events/{event}/items/"):
                    if isinstance(item, dict) and "id" in item:
                        items[item["id"]] = item
            except NotFound:
                items = {}  # an event deleted since: its tickets keep no ticket type
            self._items[event] = items

    def _get_all(self, url, params=None):
        data, _headers = self.client.get_json(url, params=params)
        while True:
            yield from _results(data, url)
            if not data.get("next"):
                return
            data, _headers = self.client.get_json(data["next"])

    # --- performances -------------------------------------------------------------------------
    def iter_performance_pages(self, cursor: str | None = None) -> Iterator[Page]:
        """Performances: every event without dates of its own (pretix cannot filter
        events by change), then the dates of event series changed since ``cursor``. Only
        the last page carries a ``next_cursor`` (when the first subevent page was made)."""
        events = list(self._get_all(f"{self.organizer_url}/events/"))
        page = Page(orders=[], errors=[], next_cursor=None)
        for event in events:
            try:
                self._events[event["slug"]] = event
                if not event.get("has_subevents"):
                    page.performances.append(
                        performance_from_pretix(event, genre_property=self.genre_property)
                    )
            except (KeyError, TypeError, RecordError) as error:
                page.errors.append(_as_record_error(error, None, event))
        yield page
        url = f"{self.organizer_url}/subevents/"
        params = {"page_size": PAGE_SIZE}
        if cursor:
            params["modified_since"] = cursor
        data, headers = self.client.get_json(url, params=params)
        generated = headers.get("X-Page-Generated")
        while True:
            page = Page(orders=[], errors=[], next_cursor=None)
            for subevent in _results(data, url):
                try:
                    parent = self._events.get(subevent.get("event")) or {}
                    page.performances.append(
                        performance_from_pretix(
                            subevent, parent=parent, genre_property=self.genre_property
                        )
                    )
                except (AttributeError, KeyError, TypeError, RecordError) as error:
                    page.errors.append(_as_record_error(error, None, subevent))
            if not data.get("next"):
                page.next_cursor = generated
                yield page
                return
            yield page
            data, _headers = self.client.get_json(data["next"])

    def fetch_performance(self, external_id) -> PerformanceRecord:
        """One performance by its external id (an order named one we do not know yet)."""
        slug, _sep, subevent_id = external_id.partition("/")
        try:
            event, _headers = self.client.get_json(f"{self.organizer_url}/events/{slug}/")
            if not subevent_id:
                return performance_from_pretix(event, genre_property=self.genre_property)
            subevent, _headers = self.client.get_json(
                f"{self.organizer_url}/events/{slug}/subevents/{subevent_id}/"
            )
        except NotFound:
            raise RecordError(
                _lt("pretix has no performance %(id)s", id=external_id), external_id=external_id
            ) from None
        if isinstance(subevent, dict):
            subevent.setdefault("event", slug)
        return performance_from_pretix(subevent, parent=event, genre_property=self.genre_property)


# --- identifiers --------------------------------------------------------------------------
def order_external_id(event, code):
    return f"{event}-{code}"


def split_order_external_id(external_id):
    """``"hamlet-ABC12"`` -> ``("hamlet", "ABC12")`` (order codes have no dash)."""
    event, _sep, code = external_id.rpartition("-")
    if not event or not code:
        raise RecordError(
            _lt("%(id)r is not a pretix order id", id=external_id), external_id=external_id
        )
    return event, code


def performance_external_id(event, subevent_id=None):
    return f"{event}/{subevent_id}" if subevent_id is not None else event


# --- mapper -------------------------------------------------------------------------------
def order_from_pretix(
    payload,
    items: Mapping[int, Mapping] | None = None,
    consent_questions: Mapping[str, str] | None = None,
    currency: str | None = None,
) -> OrderRecord:
    """Map one pretix order (the API's JSON) to an ``OrderRecord``.

    ``items`` are the event's items by id (their name is the ticket type, their
    ``admission`` flag says whether a position is a visit); ``consent_questions`` maps
    question identifiers to purpose codes; ``currency`` is the event's (pretix keeps it
    there, not on the order). Raises ``RecordError`` with the payload when
    the order lacks what a CRM needs or holds a value of the wrong type.
    """
    if not isinstance(payload, dict):
        raise RecordError(
            _lt("expected an order object, got %(type)s", type=type(payload).__name__),
            payload=payload,
        )
    external_id = _order_external_id_or_none(payload)
    try:
        return _map_order(payload, external_id, items or {}, consent_questions or {}, currency)
    except RecordError as error:
        error.external_id = error.external_id or external_id
        error.payload = payload
        raise
    except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation) as error:
        raise _as_record_error(error, external_id, payload) from error


def _map_order(payload, external_id, items, consent_questions, currency):
    if external_id is None:
        raise RecordError(_lt("the order has no event or no code"))
    status = payload["status"]
    if status not in STATES:
        raise RecordError(_lt("unknown pretix order status %(status)r", status=status))
    refunded = sum(
        (
            _decimal(refund.get("amount"), REFUND_AMOUNT)
            for refund in payload.get("refunds") or ()
            if refund.get("state") in REFUND_DONE_STATES
        ),
        Decimal(0),
    )
    state = STATES[status]
    if state == "canceled" and refunded > 0:
        state = "refunded"
    tickets_valid = state in ("pending", "paid")
    event = payload["event"]
    positions = payload.get("positions") or []
    if not isinstance(positions, list):
        raise RecordError(_lt("the order's positions are not a list"))
    tickets = []
    for position in positions:
        item = items.get(position["item"]) or {}
        if item and not item.get("admission", True):
            continue
        tickets.append(
            TicketRecord(
                external_id=str(position["id"]),
                performance_external_id=performance_external_id(event, position.get("subevent")),
                ticket_type=_text(item.get("name")) or None,
                price=_decimal(position.get("price"), TICKET_PRICE),
                attendee=_attendee(position),
                canceled=bool(position.get("canceled")) or not tickets_valid,
            )
        )
    consents, warnings = _consents(positions, consent_questions)
    return OrderRecord(
        external_id=external_id,
        state=state,
        buyer=_buyer(payload, positions),
        tickets=tuple(tickets),
        total=_decimal(payload.get("total"), ORDER_TOTAL),
        currency=_clean(payload.get("currency") or currency),
        placed_at=_parse_datetime(payload.get("datetime")),
        paid_at=_parse_datetime(payload.get("payment_date")),
        modified_at=_parse_datetime(payload.get("last_modified")),
        testmode=bool(payload.get("testmode")),
        consents=consents,
        refunded_amount=refunded,
        warnings=warnings,
        raw=payload,
    )


def _buyer(payload, positions):
    """The buyer: the invoice address's name, else (no address asked, or a business
    address without a person) the first ticket holder's name, else the company."""
    address = payload.get("invoice_address") or {}
    name, parts = address.get("name"), address.get("name_parts")
    if not _name_of(name, parts):
        for position in positions:
            if _name_of(position.get("attendee_name"), position.get("attendee_name_parts")):
                name, parts = position.get("attendee_name"), position.get("attendee_name_parts")
                break
    return _person(
        name,
        parts,
        email=payload.get("email"),
        phone=payload.get("phone"),
        address=address,
        language=payload.get("locale"),
    )


def _attendee(position):
    if not any(position.get(key) for key in ATTENDEE_KEYS):
        return None  # most positions: no one named, nothing to build
    person = _person(
        position.get("attendee_name"),
        position.get("attendee_name_parts"),
        email=position.get("attendee_email"),
        address=position,
    )
    return person if person != NO_PERSON else None


def _person(name, parts, email=None, phone=None, address=None, language=None):
    """A PersonRecord from pretix's name, name parts and an address-shaped dict (an
    invoice address, or an order position, which carries the attendee's address)."""
    address = address or {}
    parts = parts if isinstance(parts, dict) else {}
    located = {field: _clean(address.get(key)) for field, key in ADDRESS_KEYS.items()}
    return PersonRecord(
        name=_name_of(name, parts) or located["company"],
        given_name=_clean(parts.get("given_name")),
        family_name=_clean(parts.get("family_name")),
        email=_clean(email),
        phone=_clean(phone),
        language=_clean(language),
        **located,
    )


# The parts that make a person's name in every pretix name scheme; salutation, title,
# degree and calling name are left out (a contact's name is what the CRM matches on).
PERSON_NAME_PARTS = ("given_name", "middle_name", "family_name")


def _name_of(name, parts):
    """The person's name from pretix's name parts, whatever the event's name scheme
    ("Dr. Jan de Boer, MSc" and "Boer, Jan de" become "Jan de Boer"); pretix's own
    ``name`` where the parts say nothing more; None when neither names anyone."""
    parts = parts if isinstance(parts, dict) else {}
    words = [_clean(parts.get(key)) for key in PERSON_NAME_PARTS]
    if parts.get("_scheme") == "family_nospace_given":  # 孫文: family name first, no space
        words = [] if not any(words) else [(words[2] or "") + (words[0] or "")]
    return (
        " ".join(word for word in words if word)
        or _clean(parts.get("full_name"))
        or _clean(name)
        or _clean(parts.get("latin_transcription"))
        or None
    )


def _consents(positions, consent_questions):
    """``(answers, warnings)``: a ConsentAnswer for each mapped question answered in the
    order (on its first position that answers it, normally the buyer's own ticket), and
    a warning for each answer that says neither yes nor no.

    A mapping key is a question identifier, or ``"QUESTION/OPTION"``: a multiple-choice
    question's option (ticked: granted; not ticked in an answered question: not). A
    question alone is read from its one chosen option's identifier ("JA", "NEE",
    "OPT-IN"...) or else its answer text ("True", "Ja, graag", "No"), in any language.
    """
    answers, warnings = [], []
    for key, purpose in consent_questions.items():
        question, _sep, option = key.partition("/")
        answer = next(
            (
                answer
                for position in positions
                for answer in position.get("answers") or ()
                if answer.get("question_identifier") == question
            ),
            None,
        )
        if answer is None:
            continue
        chosen = [str(identifier) for identifier in answer.get("option_identifiers") or ()]
        if option:
            granted = option in chosen
        else:
            granted = parse_bool(chosen[0]) if len(chosen) == 1 else None
            if granted is None:
                granted = parse_bool(answer.get("answer"))
        if granted is None:
            given = str(answer.get("answer") or "")[:200]
            if len(chosen) > 1 or (chosen and not option):
                warnings.append(
                    _lt(
                        "the answer %(answer)r to the consent question %(question)s is neither "
                        "yes nor no, so no consent was recorded from it (map each option as "
                        "%(question)s/OPTION)",
                        answer=given,
                        question=question,
                    )
                )
            else:
                warnings.append(
                    _lt(
                        "the answer %(answer)r to the consent question %(question)s is neither "
                        "yes nor no, so no consent was recorded from it",
                        answer=given,
                        question=question,
                    )
                )
            continue
        answers.append(ConsentAnswer(question=key, granted=granted, purpose=purpose))
    return tuple(answers), tuple(warnings)


def performance_from_pretix(payload, parent=None, genre_property="genre") -> PerformanceRecord:
    """Map a pretix event, or a subevent with its ``parent`` event, to a performance."""
    if not isinstance(payload, dict):
        raise RecordError(_lt("expected an event object"), payload=payload)
    is_subevent = parent is not None
    slug = payload["event"] if is_subevent else payload["slug"]
    external_id = performance_external_id(slug, payload["id"] if is_subevent else None)
    meta = dict((parent or {}).get("meta_data") or {})
    meta.update({k: v for k, v in (payload.get("meta_data") or {}).items() if v})
    genres = tuple(
        genre.strip()
        for genre in str(meta.get(genre_property) or "").replace(";", ",").split(",")
        if genre.strip()
    )
    try:
        return PerformanceRecord(
            external_id=external_id,
            name=_text(payload.get("name")) or _text((parent or {}).get("name")) or external_id,
            date_begin=_parse_datetime(payload.get("date_from")),
            date_end=_parse_datetime(payload.get("date_to")),
            venue=_text(payload.get("location")) or _text((parent or {}).get("location")) or None,
            genres=genres,
            modified_at=_parse_datetime(payload.get("last_modified")),
        )
    except (TypeError, ValueError) as error:
        raise _as_record_error(error, external_id, payload) from error


# --- small parsers -------------------------------------------------------------------------
def _results(data, url):
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ConnectionFailure(_lt("%(url)s returned a page without a results list", url=url))
    return data["results"]


def _get(payload, key):
    return payload.get(key) if isinstance(payload, dict) else None


def _event_of(payload):
    event = _get(payload, "event")
    return event if isinstance(event, str) and event else None


def _order_external_id_or_none(payload):
    event, code = _event_of(payload), _get(payload, "code")
    return order_external_id(event, code) if event and isinstance(code, str) and code else None


def _last_modified(results, default):
    for payload in reversed(results):
        value = _get(payload, "last_modified")
        if isinstance(value, str) and value:
            return value
    return default


def _as_record_error(error, external_id, payload):
    if isinstance(error, RecordError):
        error.external_id = error.external_id or external_id
        error.payload = payload if error.payload is None else error.payload
        return error
    if isinstance(error, KeyError):
        message = _lt("cannot read the pretix record: missing field %(field)s", field=str(error))
    else:
        message = _lt("cannot read the pretix record: %(detail)s", detail=str(error))
    return RecordError(message, external_id=external_id, payload=payload)


def _parse_datetime(value):
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError(_lt("expected a date and time, got %(value)r", value=value))
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(_lt("%(value)r is not an ISO date and time", value=value)) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _decimal(value, what):
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(_lt("the %(what)s is not a number: %(value)r", what=what, value=value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise RecordError(
            _lt("the %(what)s is not a number: %(value)r", what=what, value=value)
        ) from None


def _clean(value):
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    return value.strip() or None


def _text(value):
    """An i18n field ({"nl": ..., "en": ...}) or a plain string, Dutch first."""
    if isinstance(value, dict):
        for language in LANGUAGE_PREFERENCE:
            if _clean(value.get(language)):
                return _clean(value[language])
        return next((_clean(v) for v in value.values() if _clean(v)), None)
    return _clean(value)
