"""CSV and XLSX exports of any ticketing system: adapter and mapper in one.

How the Odoo side uses it::

    adapter = CsvFileAdapter(
        content=file_bytes, filename="export.csv",
        columns={line.field: line.column for line in backend.csv_column_ids},
        consent_questions={m.question: m.purpose_code for m in backend.consent_map_ids},
    )
    for page in adapter.iter_pages(None):     # same Page shape as pretix
        ... page.performances, page.orders, page.errors ...

``columns`` maps our field names (``FIELDS``) to the export's column headers (matched
without regard to case or surrounding spaces). ``PRESETS`` holds starting mappings:
``schouwburg_demo`` matches the Dutch sample export in ``demo/``; the others use column
names typical of Ticketmatic, Active Tickets and Eventim exports, as a starting point to
check against one's own file (each system lets users choose the columns they export).
``consent_questions`` maps a consent column's header to a purpose code: a ja/nee cell
becomes a ``ConsentAnswer`` (an empty cell is no answer).

One file row is one ticket; the rows of one order share the ``order_id`` column and need
not be next to each other. Idempotency: the order's external id is its ``order_id``; a
ticket's is its ``ticket_id`` column, or ``"<order_id>/<n>"`` (the n-th row of that order
in the file) when the export has no ticket numbers, so importing the same file twice
changes nothing. Order-level cells (buyer, status, dates) are read from the order's first
row.

Errors, row by row: a row whose cells cannot be read (a price that is no amount, a date
that is no date, an unknown status) makes its whole order a ``RecordError`` whose message
names the row number(s) and whose payload holds the order's rows; a row without an order
id is a ``RecordError`` of its own. The other orders go on. A file that cannot be read at
all (no header, a mapped column missing, no ``order_id`` mapping) raises
``UnreadableFile`` (a ``ConnectionFailure``) before anything is yielded.

Pages hold ``page_size`` orders, in the order of their first row, with the performances
their tickets name. ``Page.next_cursor`` is ``"orders:<n>"``: the number of orders done,
so ``iter_pages(cursor)`` of the same file skips them (a file has no other cursor).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
import zoneinfo
from collections.abc import Iterator, Mapping
from decimal import Decimal

from odoo.tools.translate import LazyTranslate

from .records import (
    ConsentAnswer,
    OrderRecord,
    Page,
    PerformanceRecord,
    PersonRecord,
    RecordError,
    TicketRecord,
)
from .tabular import (
    UnreadableFile,
    cell_text,
    parse_bool,
    parse_datetime,
    parse_decimal,
    read_table,
)

_lt = LazyTranslate(__name__)

# Our field names and what they hold. Only order_id is required.
FIELDS = {
    "order_id": "Order number: the rows of one order share it (required)",
    "ticket_id": "Ticket number or barcode: one per row",
    "order_date": "When the order was placed",
    "payment_date": "When the order was paid",
    "order_status": "Order status (betaald, geannuleerd, terugbetaald, open...)",
    "ticket_status": "Status of this ticket (geannuleerd marks it canceled)",
    "order_total": "Order total (else the sum of the ticket prices)",
    "currency": "Currency code (EUR when empty)",
    "performance_id": "Performance code (else name and date identify it)",
    "performance_name": "Performance (title of the show)",
    "performance_date": "Date and time of the performance",
    "venue": "Hall or venue",
    "genre": "Genre(s), separated by commas",
    "ticket_type": "Price type or ticket type",
    "price": "Ticket price",
    "buyer_name": "Buyer's full name",
    "given_name": "Buyer's first name",
    "family_name": "Buyer's last name (with prefixes such as 'van der')",
    "name_prefix": "Buyer's name prefix ('van der'), where the export gives it apart",
    "email": "Buyer's email",
    "phone": "Buyer's phone",
    "mobile": "Buyer's mobile, where the export gives it apart from the phone",
    "company": "Buyer's company",
    "street": "Buyer's street and number",
    "house_number": "Buyer's house number, where the export gives it apart from the street",
    "house_number_suffix": "Addition to the house number ('A', 'bis', 'II', 'bus 3')",
    "zip": "Buyer's postcode",
    "city": "Buyer's city",
    "country": "Buyer's country code or name",
    "language": "Buyer's language",
    "attendee_name": "Name on the ticket, when it differs from the buyer",
    "attendee_email": "Email of the ticket holder",
    "testmode": "Test order (ja/nee)",
}

PRESETS = {
    "schouwburg_demo": {
        "order_id": "Bestelnummer",
        "ticket_id": "Ticketnummer",
        "order_date": "Besteldatum",
        "order_status": "Status",
        "payment_date": "Betaaldatum",
        "performance_id": "Voorstellingscode",
        "performance_name": "Voorstelling",
        "performance_date": "Aanvang",
        "venue": "Zaal",
        "genre": "Genre",
        "ticket_type": "Prijssoort",
        "price": "Prijs",
        "given_name": "Voornaam",
        "family_name": "Achternaam",
        "email": "E-mail",
        "phone": "Telefoon",
        "street": "Adres",
        "zip": "Postcode",
        "city": "Woonplaats",
        "country": "Land",
    },
    "ticketmatic": {
        "order_id": "Order ID",
        "ticket_id": "Ticket ID",
        "order_date": "Aangemaakt op",
        "order_status": "Betaalstatus",
        "performance_id": "Event ID",
        "performance_name": "Evenement",
        "performance_date": "Startdatum",
        "venue": "Locatie",
        "ticket_type": "Prijstype",
        "price": "Prijs",
        "given_name": "Voornaam",
        "family_name": "Achternaam",
        "email": "E-mailadres",
        "phone": "Telefoonnummer",
        "street": "Straat",
        "zip": "Postcode",
        "city": "Stad",
        "country": "Land",
    },
    "active_tickets": {
        "order_id": "Ordernummer",
        "ticket_id": "Barcode",
        "order_date": "Orderdatum",
        "order_status": "Orderstatus",
        "performance_name": "Evenement",
        "performance_date": "Datum evenement",
        "ticket_type": "Tickettype",
        "price": "Ticketprijs",
        "buyer_name": "Naam",
        "email": "E-mail",
        "phone": "Telefoon",
        "zip": "Postcode",
        "city": "Plaats",
    },
    "eventim": {
        "order_id": "Auftragsnummer",
        "ticket_id": "Ticketnummer",
        "order_date": "Buchungsdatum",
        "order_status": "Status",
        "performance_id": "Veranstaltungs-ID",
        "performance_name": "Veranstaltung",
        "performance_date": "Veranstaltungsdatum",
        "venue": "Spielstätte",
        "ticket_type": "Preiskategorie",
        "price": "Preis",
        "given_name": "Vorname",
        "family_name": "Nachname",
        "email": "E-Mail",
        "phone": "Telefon",
        "street": "Straße",
        "zip": "PLZ",
        "city": "Ort",
        "country": "Land",
    },
}

# Totals lines exports put under the orders: "Totaal", "Eindtotaal:", "Total (12)".
_SUMMARY_WORDS = r"(?:sub|eind|grand\s*|gesamt)?(?:totaal|totalen|totals?|summe|gesamtsumme)"
_SUMMARY_START = re.compile(_SUMMARY_WORDS + r"(?:\s*[:.(]|\s+\d|\s*$)", re.IGNORECASE)
_SUMMARY_CELL = re.compile(_SUMMARY_WORDS + r"\s*:?", re.IGNORECASE)

# Status words of Dutch, English and German exports -> our states.
STATUS_WORDS = {
    "paid": (
        "betaald",
        "voldaan",
        "verkocht",
        "geleverd",
        "paid",
        "completed",
        "complete",
        "confirmed",
        "sold",
        "bezahlt",
        "ok",
        "geldig",
        "valid",
        "bevestigd",
        "geboekt",
        "afgerond",
        "voltooid",
        # A partial refund keeps the order and its other tickets.
        "deels terugbetaald",
        "gedeeltelijk terugbetaald",
        "partially refunded",
    ),
    "pending": (
        "open",
        "openstaand",
        "niet betaald",
        "onbetaald",
        "gereserveerd",
        "reservering",
        "in afwachting",
        "pending",
        "reserved",
        "unpaid",
        "offen",
        "reserviert",
        "niet voldaan",
        "te betalen",
        "wacht op betaling",
        "wacht op goedkeuring",
        "in behandeling",
        "awaiting payment",
        "awaiting approval",
    ),
    "canceled": (
        "geannuleerd",
        "geannuleerd door klant",
        "vervallen",
        "canceled",
        "cancelled",
        "void",
        "storniert",
        "annulliert",
        "geweigerd",
        "afgewezen",
        "ongeldig",
        "invalid",
        "denied",
    ),
    "refunded": (
        "terugbetaald",
        "gerestitueerd",
        "restitutie",
        "refunded",
        "erstattet",
        "rückerstattet",
        "gecrediteerd",
        "teruggestort",
        "credited",
    ),
    "expired": ("verlopen", "expired", "abgelaufen"),
}
STATES_BY_WORD = {word: state for state, words in STATUS_WORDS.items() for word in words}
STATE_PRECEDENCE = ("paid", "pending", "refunded", "canceled", "expired")
PAGE_SIZE = 500


class CsvFileAdapter:
    """Reads one export file. Nothing here touches Odoo or the network."""

    def __init__(
        self,
        content: bytes,
        filename: str | None = None,
        columns: Mapping[str, str] | None = None,
        consent_questions: Mapping[str, str] | None = None,
        timezone="Europe/Amsterdam",
        page_size=PAGE_SIZE,
        default_currency="EUR",
    ):
        """``columns``: {our field: column header}; ``consent_questions``: {column header:
        purpose code}; ``timezone``: how to read the file's local dates and times."""
        self.content = content
        self.filename = filename
        self.columns = {field: header for field, header in (columns or {}).items() if header}
        if consent_questions is not None and not isinstance(consent_questions, Mapping):
            consent_questions = dict.fromkeys(consent_questions)
        self.consent_questions = dict(consent_questions or {})
        self.timezone = _zone(timezone)
        self.page_size = max(1, page_size)
        self.default_currency = default_currency

    def test_connection(self):
        """Read the file's header and check the mapping: a one-line summary, or
        ``UnreadableFile`` naming the missing columns."""
        headers, rows = self._read()
        self._column_indexes(headers)
        return _lt("%(rows)s rows, %(columns)s columns", rows=len(rows), columns=len(headers))

    def iter_pages(self, cursor: str | None = None) -> Iterator[Page]:
        """The file's orders, ``page_size`` a page (see the module docstring)."""
        headers, rows = self._read()
        indexes, consent_indexes = self._column_indexes(headers)
        groups, errors = self._group(rows, indexes, headers)
        skip = _orders_done(cursor)
        order_ids = list(groups)
        page = Page(orders=[], errors=list(errors), next_cursor=None)
        seen_performances = set()
        done = skip
        for order_id in order_ids[skip:]:
            try:
                order = self._order(order_id, groups[order_id], indexes, consent_indexes, headers)
            except RecordError as error:
                page.errors.append(error)
            else:
                page.orders.append(order)
                for performance in self._performances(groups[order_id], indexes):
                    if performance.external_id not in seen_performances:
                        seen_performances.add(performance.external_id)
                        page.performances.append(performance)
            done += 1
            if len(page.orders) + len(page.errors) >= self.page_size:
                page.next_cursor = f"orders:{done}"
                yield page
                page = Page(orders=[], errors=[], next_cursor=None)
        page.next_cursor = f"orders:{done}"
        yield page

    def map_order(self, payload) -> OrderRecord:
        """Map an order again from a sync issue's payload (``{"order_id", "headers",
        "rows": [{"row": n, "cells": [...]}]}``), e.g. after the mapping was fixed."""
        try:
            headers = payload["headers"]
            rows = [(row["row"], row["cells"]) for row in payload["rows"]]
        except (KeyError, TypeError):
            raise RecordError(
                _lt("the stored rows of this order cannot be read"), payload=payload
            ) from None
        indexes, consent_indexes = self._column_indexes(headers)
        return self._order(payload.get("order_id"), rows, indexes, consent_indexes, headers)

    # --- columns and rows ---------------------------------------------------------------------
    def _read(self):
        """The file's header and data rows; the header is the first row that holds the
        order number column (a report title or export date may stand above it)."""
        order_header = self.columns.get("order_id")

        def is_header(cells):
            return order_header is not None and _find_header(order_header, cells) is not None

        return read_table(self.content, self.filename, is_header=is_header)

    def _column_indexes(self, headers):
        if "order_id" not in self.columns:
            raise UnreadableFile(
                _lt(
                    "the column mapping has no order number column (order_id): it tells "
                    "which rows belong to one order"
                )
            )
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise UnreadableFile(
                _lt(
                    "the column mapping names unknown fields: %(fields)s",
                    fields=", ".join(unknown),
                )
            )
        wanted = [*self.columns.values(), *self.consent_questions]
        position = {header: _find_header(header, headers) for header in wanted}
        missing = [header for header in wanted if position[header] is None]
        if missing:
            raise UnreadableFile(
                _lt(
                    "the file lacks the mapped column(s) %(missing)s; it has: %(present)s",
                    missing=", ".join(f"'{header}'" for header in missing),
                    present=", ".join(f"'{header}'" for header in headers if header),
                )
            )
        indexes = {field: position[header] for field, header in self.columns.items()}
        consent_indexes = {
            header: (position[header], purpose)
            for header, purpose in self.consent_questions.items()
        }
        return indexes, consent_indexes

    def _group(self, rows, indexes, headers):
        groups, errors = {}, []
        order_index = indexes["order_id"]
        for number, cells in rows:
            if self._is_summary_row(cells, indexes):
                continue
            order_id = cell_text(cells[order_index]) if order_index < len(cells) else None
            if not order_id:
                errors.append(
                    RecordError(
                        _lt(
                            "row %(row)s: no order number in column '%(column)s'",
                            row=number,
                            column=self.columns["order_id"],
                        ),
                        payload={"headers": headers, "rows": [_row_payload(number, cells)]},
                    )
                )
                continue
            groups.setdefault(order_id, []).append((number, cells))
        return groups, errors

    def _is_summary_row(self, cells, indexes):
        """A totals line under the orders ("Totaal", "Total: 12 tickets", "Summe"): not
        an order, and no error either."""
        texts = [cell_text(cell) for cell in cells]
        first = next((text for text in texts if text), "")
        if _SUMMARY_START.match(first):
            return True
        if not any(_SUMMARY_CELL.fullmatch(text or "") for text in texts):
            return False
        # A lone "Totaal" cell among others: a summary when the row names no show and no
        # buyer, as every ticket row does.
        about = ("performance_id", "performance_name", "buyer_name", "family_name", "email")
        return not any(_cell(cells, indexes.get(field)) for field in about)

    # --- mapping ------------------------------------------------------------------------------
    def _order(self, order_id, rows, indexes, consent_indexes, headers):
        problems = []

        def read(cells, field, parse=cell_text, number=None):
            index = indexes.get(field)
            if index is None or index >= len(cells):
                return None
            try:
                return parse(cells[index])
            except ValueError as error:
                problems.append(
                    _lt(
                        "row %(row)s: %(column)s: %(error)s",
                        row=number,
                        column=self.columns[field],
                        error=error.args[0] if error.args else str(error),
                    )
                )
                return None

        def read_order(field, parse=cell_text):
            """An order-level cell: from the order's first row that fills it."""
            for number, cells in rows:
                if _cell(cells, indexes.get(field)):
                    return read(cells, field, parse, number)
            return None

        first_number, _first = rows[0]
        # The status of each row: exports with a row per ticket often give the ticket's
        # own status there, so one order's rows may differ.
        row_states = {}
        for number, cells in rows:
            status = read(cells, "order_status", number=number)
            row_states[number] = _state_of(status) if status else None
            if status and row_states[number] is None:
                problems.append(
                    _lt(
                        "row %(row)s: %(column)s: unknown status %(status)r",
                        row=number,
                        column=self.columns["order_status"],
                        status=status,
                    )
                )
        states = set(row_states.values()) - {None}
        # The order stands as its best row: one paid ticket among canceled ones is a paid
        # order with canceled tickets, not a canceled order.
        state = next((s for s in STATE_PRECEDENCE if s in states), "paid")
        valid = state in ("pending", "paid")
        refunded_rows = Decimal(0)  # tickets refunded by their row's status in a kept order
        tickets = {}  # external id -> TicketRecord; a later row of a ticket updates it
        refunds = []  # (row number, ticket id or None, performance, amount) of credit rows
        gross = Decimal(0)
        for sequence, (number, cells) in enumerate(rows, start=1):
            if any(_cell(cells, i) for i in range(len(headers), len(cells))):
                problems.append(
                    _lt(
                        "row %(row)s: %(cells)s cells under %(columns)s columns (a delimiter "
                        "inside an unquoted cell?)",
                        row=number,
                        cells=len(cells),
                        columns=len(headers),
                    )
                )
            price = read(cells, "price", parse_decimal, number) or Decimal(0)
            read(cells, "performance_date", self._datetime, number)  # a bad date is a problem
            ticket_id = read(cells, "ticket_id", number=number)
            performance_id = self._performance_id(cells, indexes, problems, number)
            if price < 0:
                # A credit row: money back for a ticket, not a visit of its own.
                refunds.append((number, ticket_id, performance_id, -price))
                continue
            gross += price
            row_state = row_states[number] or state
            if valid and row_state == "refunded":
                refunded_rows += price
            ticket_status = (read(cells, "ticket_status", number=number) or "").lower()
            ticket_state = _state_of(ticket_status) if ticket_status else None
            external_id = ticket_id or f"{order_id}/{sequence}"
            tickets[external_id] = TicketRecord(
                external_id=external_id,
                performance_external_id=performance_id,
                ticket_type=read(cells, "ticket_type", number=number),
                price=price,
                attendee=_person(
                    name=read(cells, "attendee_name", number=number),
                    email=_first_email(read(cells, "attendee_email", number=number)),
                ),
                canceled=row_state not in ("pending", "paid")
                or ticket_state in ("canceled", "refunded", "expired"),
            )
        refunded = refunded_rows
        for _number, ticket_id, performance_id, amount in refunds:
            refunded += amount
            refunded_ticket = _refunded_ticket(tickets, ticket_id, performance_id, amount)
            if refunded_ticket is not None:
                tickets[refunded_ticket.external_id] = dataclasses.replace(
                    refunded_ticket, canceled=True
                )
        if state == "paid" and refunds and tickets and all(t.canceled for t in tickets.values()):
            state = "refunded"
        if state == "refunded" and not refunds:
            refunded = gross
        total = read_order("order_total", parse_decimal)
        placed_at = read_order("order_date", self._datetime)
        paid_at = read_order("payment_date", self._datetime)
        testmode = read_order("testmode", parse_bool)
        consents, warnings = [], []
        for header, (index, purpose) in consent_indexes.items():
            answer = next((_cell(cells, index) for _n, cells in rows if _cell(cells, index)), None)
            granted = parse_bool(answer)
            if granted is not None:
                consents.append(ConsentAnswer(question=header, granted=granted, purpose=purpose))
            elif answer:
                warnings.append(
                    _lt(
                        "row %(row)s: %(column)s: %(answer)r is neither yes nor no, so no "
                        "consent was recorded from it",
                        row=first_number,
                        column=header,
                        answer=answer,
                    )
                )
        payload = {
            "order_id": order_id,
            "headers": list(headers),
            "rows": [_row_payload(number, cells) for number, cells in rows],
        }
        if problems:
            raise RecordError(problems, external_id=order_id, payload=payload)
        given = read_order("given_name")
        family = _joined(read_order("name_prefix"), read_order("family_name"))
        company = read_order("company")
        buyer = PersonRecord(
            name=read_order("buyer_name")
            or " ".join(p for p in (given, family) if p)
            or company
            or None,
            given_name=given,
            family_name=family,
            email=_first_email(read_order("email")),
            phone=_first_phone(read_order("phone")),
            mobile=_first_phone(read_order("mobile")),
            company=company,
            street=_street(
                read_order("street"), read_order("house_number"), read_order("house_number_suffix")
            ),
            zip=read_order("zip"),
            city=read_order("city"),
            country_code=_country_code(read_order("country")),
            language=read_order("language"),
        )
        return OrderRecord(
            external_id=order_id,
            state=state,
            buyer=buyer,
            tickets=tuple(tickets.values()),
            total=total if total is not None else gross,
            currency=(read_order("currency") or self.default_currency).upper(),
            placed_at=placed_at,
            paid_at=paid_at or (placed_at if state in ("paid", "refunded") else None),
            modified_at=placed_at,
            testmode=bool(testmode),
            consents=tuple(consents),
            refunded_amount=refunded,
            warnings=tuple(warnings),
            raw=payload,
        )

    def _performance_id(self, cells, indexes, problems, number):
        code = _cell(cells, indexes.get("performance_id"))
        if code:
            return code
        name = _cell(cells, indexes.get("performance_name"))
        date = _cell(cells, indexes.get("performance_date"))
        if not name:
            problems.append(
                _lt(
                    "row %(row)s: no performance (code or name) to attach the ticket to", row=number
                )
            )
            return ""
        return f"{name} | {date}" if date else name

    def _performances(self, rows, indexes):
        for number, cells in rows:
            problems = []
            external_id = self._performance_id(cells, indexes, problems, number)
            if problems:
                continue
            try:
                begin = parse_datetime(
                    _cell_raw(cells, indexes.get("performance_date")), self.timezone
                )
            except ValueError:
                begin = None
            genres = _cell(cells, indexes.get("genre")) or ""
            yield PerformanceRecord(
                external_id=external_id,
                name=_cell(cells, indexes.get("performance_name")) or external_id,
                date_begin=begin,
                venue=_cell(cells, indexes.get("venue")),
                genres=tuple(g.strip() for g in genres.replace(";", ",").split(",") if g.strip()),
            )

    def _datetime(self, value):
        return parse_datetime(value, self.timezone)


# --- helpers --------------------------------------------------------------------------------
def _zone(name):
    if isinstance(name, dt.tzinfo):
        return name
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _header_key(header):
    return " ".join(str(header or "").split()).casefold()


def _folded_header_key(header):
    """A header without case, accents, spaces or punctuation: 'E-mail' is 'Email',
    'Événement' is 'Evenement', 'Prijs (€)' is 'Prijs'."""
    text = unicodedata.normalize("NFKD", str(header or ""))
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def _find_header(header, headers):
    """The index of the column ``header`` names: the same text apart from case and
    spaces, else the same letters and digits; None when the file has no such column."""
    for key_of in (_header_key, _folded_header_key):
        key = key_of(header)
        if not key:
            continue
        for index, candidate in enumerate(headers):
            if key_of(candidate) == key:
                return index
    return None


def _cell_raw(cells, index):
    return cells[index] if index is not None and index < len(cells) else None


def _cell(cells, index):
    return cell_text(_cell_raw(cells, index))


def _row_payload(number, cells):
    return {"row": number, "cells": [cell_text(cell) or "" for cell in cells]}


def _person(**values):
    person = PersonRecord(**values)
    return person if person != PersonRecord() else None


# Keys as _folded_header_key makes them: lower case, no accents, spaces or dots.
COUNTRY_NAMES = {
    **dict.fromkeys(
        ("nld", "nederland", "netherlands", "thenetherlands", "holland", "paysbas"), "NL"
    ),
    **dict.fromkeys(("niederlande", "koninkrijkdernederlanden"), "NL"),
    **dict.fromkeys(("bel", "belgie", "belgium", "belgique", "belgien", "belgica"), "BE"),
    **dict.fromkeys(("deu", "duitsland", "germany", "deutschland", "allemagne"), "DE"),
    **dict.fromkeys(("fra", "frankrijk", "france", "frankreich"), "FR"),
    **dict.fromkeys(("lux", "luxemburg", "luxembourg"), "LU"),
    **dict.fromkeys(
        ("gbr", "verenigdkoninkrijk", "unitedkingdom", "engeland", "england", "greatbritain"),
        "GB",
    ),
    **dict.fromkeys(("esp", "spanje", "spain", "espana", "spanien", "espagne"), "ES"),
    **dict.fromkeys(("ita", "italie", "italy", "italia", "italien"), "IT"),
    **dict.fromkeys(("aut", "oostenrijk", "austria", "osterreich", "autriche"), "AT"),
    **dict.fromkeys(("che", "zwitserland", "switzerland", "schweiz", "suisse"), "CH"),
    **dict.fromkeys(("usa", "verenigdestaten", "unitedstates", "unitedstatesofamerica"), "US"),
    **dict.fromkeys(("dnk", "denemarken", "denmark", "danmark"), "DK"),
    **dict.fromkeys(("pol", "polen", "poland", "polska"), "PL"),
    **dict.fromkeys(("prt", "portugal"), "PT"),
    **dict.fromkeys(("irl", "ierland", "ireland"), "IE"),
    **dict.fromkeys(("swe", "zweden", "sweden", "sverige"), "SE"),
    **dict.fromkeys(("nor", "noorwegen", "norway", "norge"), "NO"),
    **dict.fromkeys(("sur", "suriname"), "SR"),
    **dict.fromkeys(("cuw", "curacao"), "CW"),
}


def _country_code(value):
    """An ISO code from a code ('nl', 'NLD') or a name in Dutch, English, German or
    French; None for what is none of those (a contact gets no country rather than a
    wrong one)."""
    if not value:
        return None
    key = _folded_header_key(value)
    if len(key) == 2 and key.isalpha():
        return "GB" if key == "uk" else key.upper()
    return COUNTRY_NAMES.get(key)


def _state_of(status):
    """Our order state for a status word, also when the export adds to it ("Betaald
    (iDEAL)", "Geannuleerd door organisator"); None when unknown."""
    text = " ".join(status.lower().split())
    if text in STATES_BY_WORD:
        return STATES_BY_WORD[text]
    for word in sorted(STATES_BY_WORD, key=len, reverse=True):
        if re.match(re.escape(word) + r"\b", text):
            return STATES_BY_WORD[word]
    return None


_EMAIL = re.compile(r"[^@\s<>(),;:/\"\[\]]+@[^@\s<>(),;:/\"\[\]]+")


def _first_email(value):
    """The first address of a cell that holds several ('a@x.nl; b@y.nl'), or the cell as
    it is when it holds none: a mistyped one ('anna@hotmail,com') is mended where the
    contact is written and the buyer matched; what is no address is not matched on."""
    if not value:
        return None
    found = _EMAIL.search(value)
    if found and "." in found.group(0).rpartition("@")[2]:
        return found.group(0).strip(".")
    return value


def _joined(*parts):
    """The parts that are there, joined by spaces ('van der' + 'Meer'); None for none."""
    return " ".join(part for part in parts if part) or None


def _street(street, number, suffix):
    """One street line from an export that keeps the house number (and its addition)
    in columns of their own: 'Kerkstraat', '12', 'a' -> 'Kerkstraat 12a'; 'Meir', '12',
    'bus 3' -> 'Meir 12 bus 3'. A street cell that already ends in the number stays as
    it is."""
    if not number:
        return _joined(street, suffix) if street else None
    if suffix:
        attach = (len(suffix) == 1 and suffix.isalpha()) or suffix[0] in "-/"
        number = f"{number}{suffix}" if attach else f"{number} {suffix}"
    if street and re.search(rf"(?<![\w-]){re.escape(number)}\s*$", street, re.IGNORECASE):
        return street
    return _joined(street, number)


_PHONE_SEPARATOR = re.compile(r"\s*(?:[/;|]|\bof\b|\bor\b|\ben\b)\s*", re.IGNORECASE)


def _first_phone(value):
    """The first number of a cell that holds two ('06-12345678 / 020-1234567'): as one
    text they make no number at all, and the buyer could not be found by phone."""
    if not value:
        return None
    parts = [part for part in _PHONE_SEPARATOR.split(value) if part.strip()]
    if len(parts) > 1 and all(sum(ch.isdigit() for ch in part) >= 6 for part in parts):
        return parts[0].strip()
    return value


def _refunded_ticket(tickets, ticket_id, performance_id, amount):
    """The ticket a credit row pays back: the one with its ticket number, else a live
    ticket of the same performance and price; None when it names none (money only)."""
    if ticket_id:
        return tickets.get(ticket_id)
    return next(
        (
            ticket
            for ticket in tickets.values()
            if not ticket.canceled
            and ticket.performance_external_id == performance_id
            and ticket.price == amount
        ),
        None,
    )


def _orders_done(cursor):
    if not cursor:
        return 0
    prefix, _sep, count = str(cursor).partition(":")
    if prefix != "orders" or not count.isdigit():
        return 0
    return int(count)
