# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The CSV/XLSX connector on its own: no database, no network."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ..connectors.csv_file import FIELDS, PRESETS, CsvFileAdapter
from ..connectors.records import message_text
from ..connectors.tabular import UnreadableFile, parse_bool, parse_datetime, parse_decimal

DEMO_EXPORT = Path(__file__).parent.parent / "demo" / "ticketing_export_schouwburg_de_kade.csv"
AMSTERDAM = CsvFileAdapter(b"x").timezone
COLUMNS = {
    "order_id": "Bestelnummer",
    "ticket_id": "Ticketnummer",
    "order_date": "Besteldatum",
    "order_status": "Status",
    "performance_id": "Code",
    "performance_name": "Voorstelling",
    "performance_date": "Aanvang",
    "genre": "Genre",
    "ticket_type": "Prijssoort",
    "price": "Prijs",
    "given_name": "Voornaam",
    "family_name": "Achternaam",
    "email": "E-mail",
    "country": "Land",
}
HEADER = (
    "Bestelnummer;Ticketnummer;Besteldatum;Status;Code;Voorstelling;Aanvang;Genre;"
    "Prijssoort;Prijs;Voornaam;Achternaam;E-mail;Land;Nieuwsbrief"
)
ROW_A1 = (
    "B-1;T-11;12-03-2026 19:05;Betaald;HAM-1;Hamlet;28-03-2026 20:15;Toneel, Klassiek;"
    "Regulier;27,50;Zoë;van der Meer;zoe@example.nl;Nederland;ja"
)
ROW_A2 = (
    "B-1;T-12;12-03-2026 19:05;Betaald;HAM-1;Hamlet;28-03-2026 20:15;Toneel, Klassiek;"
    "CJP;15,00;Zoë;van der Meer;zoe@example.nl;Nederland;ja"
)
ROW_B1 = (
    "B-2;T-21;13-03-2026 10:00;Geannuleerd;HAM-1;Hamlet;28-03-2026 20:15;Toneel, Klassiek;"
    "Regulier;27,50;Kees;Bakker;kees@example.nl;NL;"
)


def csv_bytes(*rows, header=HEADER, delimiter=";", encoding="utf-8-sig"):
    text = "\r\n".join(line.replace(";", delimiter) for line in (header, *rows)) + "\r\n"
    return text.encode(encoding)


def read(content, filename="export.csv", columns=None, **options):
    adapter = CsvFileAdapter(content, filename, COLUMNS if columns is None else columns, **options)
    pages = list(adapter.iter_pages(None))
    orders = [order for page in pages for order in page.orders]
    errors = [error for page in pages for error in page.errors]
    return orders, errors


# --- the demo export and the presets --------------------------------------------------------
def test_demo_export_reads_as_300_orders_without_errors():
    orders, errors = read(DEMO_EXPORT.read_bytes(), DEMO_EXPORT.name, PRESETS["schouwburg_demo"])
    assert (len(orders), errors) == (300, [])


def test_demo_export_has_every_order_state_a_theatre_sees():
    orders, _errors = read(DEMO_EXPORT.read_bytes(), DEMO_EXPORT.name, PRESETS["schouwburg_demo"])
    assert {order.state for order in orders} == {
        "paid",
        "pending",
        "canceled",
        "refunded",
        "expired",
    }


def test_presets_use_only_known_fields_and_all_name_the_order_number():
    for preset in PRESETS.values():
        assert set(preset) <= set(FIELDS)
        assert "order_id" in preset


# --- grouping and idempotency ---------------------------------------------------------------
def test_rows_of_one_order_become_one_order_with_its_tickets():
    orders, _errors = read(csv_bytes(ROW_A1, ROW_B1, ROW_A2))
    by_id = {order.external_id: order for order in orders}
    assert sorted(by_id) == ["B-1", "B-2"]
    assert [ticket.external_id for ticket in by_id["B-1"].tickets] == ["T-11", "T-12"]
    assert by_id["B-1"].total == Decimal("42.50")


def test_reading_a_file_twice_gives_the_same_records():
    content = csv_bytes(ROW_A1, ROW_A2, ROW_B1)
    assert read(content) == read(content)


def test_tickets_without_a_ticket_column_are_numbered_within_their_order():
    columns = {field: header for field, header in COLUMNS.items() if field != "ticket_id"}
    orders, _errors = read(csv_bytes(ROW_A1, ROW_A2), columns=columns)
    assert [ticket.external_id for ticket in orders[0].tickets] == ["B-1/1", "B-1/2"]


# --- what a row says ------------------------------------------------------------------------
def test_buyer_is_read_from_the_order_row():
    orders, _errors = read(csv_bytes(ROW_A1))
    buyer = orders[0].buyer
    assert (buyer.name, buyer.given_name, buyer.family_name) == (
        "Zoë van der Meer",
        "Zoë",
        "van der Meer",
    )
    assert (buyer.email, buyer.country_code) == ("zoe@example.nl", "NL")


def test_local_order_time_is_stored_in_utc():
    orders, _errors = read(csv_bytes(ROW_A1))
    assert orders[0].placed_at == dt.datetime(2026, 3, 12, 18, 5, tzinfo=dt.UTC)


def test_canceled_order_has_canceled_tickets():
    orders, _errors = read(csv_bytes(ROW_B1))
    assert orders[0].state == "canceled"
    assert all(ticket.canceled for ticket in orders[0].tickets)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Betaald", "paid"),
        ("betaald", "paid"),
        ("Open", "pending"),
        ("Gereserveerd", "pending"),
        ("Geannuleerd", "canceled"),
        ("Cancelled", "canceled"),
        ("Terugbetaald", "refunded"),
        ("Verlopen", "expired"),
        ("", "paid"),
    ],
)
def test_status_words_become_order_states(status, state):
    orders, _errors = read(csv_bytes(ROW_A1.replace(";Betaald;", f";{status};")))
    assert orders[0].state == state


def test_refunded_order_records_the_money_returned():
    orders, _errors = read(csv_bytes(ROW_A1.replace(";Betaald;", ";Terugbetaald;")))
    assert orders[0].refunded_amount == Decimal("27.50")


def test_performance_comes_with_its_date_and_genres():
    adapter = CsvFileAdapter(csv_bytes(ROW_A1), "export.csv", COLUMNS)
    performances = next(adapter.iter_pages(None)).performances
    assert [(p.external_id, p.name, p.genres) for p in performances] == [
        ("HAM-1", "Hamlet", ("Toneel", "Klassiek"))
    ]
    assert performances[0].date_begin == dt.datetime(2026, 3, 28, 19, 15, tzinfo=dt.UTC)


def test_performance_without_a_code_is_known_by_name_and_date():
    columns = {field: header for field, header in COLUMNS.items() if field != "performance_id"}
    orders, _errors = read(csv_bytes(ROW_A1), columns=columns)
    assert orders[0].tickets[0].performance_external_id == "Hamlet | 28-03-2026 20:15"


def test_consent_column_becomes_a_consent_for_its_purpose():
    orders, _errors = read(
        csv_bytes(ROW_A1, ROW_B1), consent_questions={"Nieuwsbrief": "newsletter"}
    )
    consents = {order.external_id: order.consents for order in orders}
    assert [(c.granted, c.purpose) for c in consents["B-1"]] == [(True, "newsletter")]
    assert consents["B-2"] == ()  # an empty cell is no answer


# --- refunds, repeated tickets and order cells ------------------------------------------
def test_credit_row_of_a_ticket_cancels_it_and_counts_as_refunded_money():
    credit = ROW_A2.replace(";15,00;", ";-15,00;")
    orders, errors = read(csv_bytes(ROW_A1, ROW_A2, credit))
    order = orders[0]
    assert errors == []
    assert (order.state, order.total, order.refunded_amount) == (
        "paid",
        Decimal("42.50"),
        Decimal("15.00"),
    )
    assert [(t.external_id, t.canceled) for t in order.tickets] == [
        ("T-11", False),
        ("T-12", True),
    ]


def test_credit_rows_without_ticket_numbers_cancel_a_ticket_of_that_show_and_price():
    columns = {field: header for field, header in COLUMNS.items() if field != "ticket_id"}
    credit = ROW_A1.replace(";27,50;", ";27,50-;")
    orders, errors = read(csv_bytes(ROW_A1, credit), columns=columns)
    assert errors == []
    assert (orders[0].state, orders[0].refunded_amount) == ("refunded", Decimal("27.50"))
    assert [ticket.canceled for ticket in orders[0].tickets] == [True]


def test_a_later_row_of_the_same_ticket_updates_it_instead_of_doubling_it():
    columns = {**COLUMNS, "ticket_status": "Ticketstatus"}
    header = HEADER + ";Ticketstatus"
    orders, errors = read(
        csv_bytes(ROW_A1 + ";", ROW_A2 + ";", ROW_A2 + ";Geannuleerd", header=header),
        columns=columns,
    )
    assert errors == []
    assert [(t.external_id, t.canceled) for t in orders[0].tickets] == [
        ("T-11", False),
        ("T-12", True),
    ]


@pytest.mark.parametrize("canceled_first", [False, True])
def test_a_ticket_rows_own_status_cancels_only_that_ticket(canceled_first):
    rows = [ROW_A1, ROW_A2.replace(";Betaald;", ";Geannuleerd;")]
    orders, errors = read(csv_bytes(*(reversed(rows) if canceled_first else rows)))
    assert (orders[0].state, errors) == ("paid", [])
    assert sorted((t.external_id, t.canceled) for t in orders[0].tickets) == [
        ("T-11", False),
        ("T-12", True),
    ]


def test_a_refunded_ticket_row_in_a_paid_order_is_money_refunded():
    orders, _errors = read(csv_bytes(ROW_A1, ROW_A2.replace(";Betaald;", ";Terugbetaald;")))
    assert (orders[0].state, orders[0].refunded_amount) == ("paid", Decimal("15.00"))


def test_buyer_cells_are_taken_from_the_first_row_that_fills_them():
    bare = ROW_A1.replace(";Zoë;van der Meer;zoe@example.nl;Nederland;", ";;;;;")
    orders, _errors = read(csv_bytes(bare, ROW_A2))
    assert (orders[0].buyer.name, orders[0].buyer.email) == ("Zoë van der Meer", "zoe@example.nl")


def test_two_addresses_in_the_email_cell_give_the_first_as_the_buyers():
    row = ROW_A1.replace("zoe@example.nl", '"ZOE@example.nl ; zoe.werk@example.nl"')
    orders, _errors = read(csv_bytes(row))
    assert orders[0].buyer.email == "ZOE@example.nl"


@pytest.mark.parametrize("cell", ['"zoe@example,nl"', "zoe @example.nl"])
def test_a_mistyped_address_is_passed_on_whole_for_the_contact_to_mend(cell):
    """Cut at the comma, 'zoe@example,nl' would be 'zoe@example': no address at all."""
    orders, _errors = read(csv_bytes(ROW_A1.replace("zoe@example.nl", cell)))
    assert orders[0].buyer.email == cell.strip('"')


@pytest.mark.parametrize(
    ("cell", "phone"),
    [
        ("06-12345678 / 020-1234567", "06-12345678"),
        ("+31 6 12345678; +31 20 1234567", "+31 6 12345678"),
        ("06-12345678 of 020-1234567", "06-12345678"),
        ("+31 (0)6 1234 5678", "+31 (0)6 1234 5678"),
        ("020 - 123 45 67", "020 - 123 45 67"),
    ],
)
def test_the_first_of_two_phone_numbers_is_the_buyers(cell, phone):
    columns = {**COLUMNS, "phone": "Telefoon"}
    row = ROW_A1 + f';"{cell}"'
    orders, _errors = read(csv_bytes(row, header=HEADER + ";Telefoon"), columns=columns)
    assert orders[0].buyer.phone == phone


@pytest.mark.parametrize(
    ("cell", "code"),
    [("België", "BE"), ("Belgique", "BE"), ("NLD", "NL"), ("Pays-Bas", "NL"), ("nl", "NL")],
)
def test_country_names_and_codes_become_iso_codes(cell, code):
    orders, _errors = read(csv_bytes(ROW_A1.replace(";Nederland;", f";{cell};")))
    assert orders[0].buyer.country_code == code


def test_unknown_country_gives_no_country_rather_than_a_wrong_one():
    orders, errors = read(csv_bytes(ROW_A1.replace(";Nederland;", ";Atlantis;")))
    assert (orders[0].buyer.country_code, errors) == (None, [])


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Betaald (iDEAL)", "paid"),
        ("Geannuleerd door organisator", "canceled"),
        ("Deels terugbetaald", "paid"),
        ("Gecrediteerd", "refunded"),
        ("Wacht op betaling", "pending"),
    ],
)
def test_status_words_with_more_words_after_them(status, state):
    orders, errors = read(csv_bytes(ROW_A1.replace(";Betaald;", f";{status};")))
    assert (orders[0].state, errors) == (state, [])


def test_company_without_a_person_name_is_the_buyers_name():
    columns = {**COLUMNS, "company": "Bedrijf"}
    header = HEADER + ";Bedrijf"
    row = ROW_A1.replace(";Zoë;van der Meer;", ";;;") + ";Stichting Cultuurfonds"
    orders, _errors = read(csv_bytes(row, header=header), columns=columns)
    assert (orders[0].buyer.name, orders[0].buyer.company) == (
        "Stichting Cultuurfonds",
        "Stichting Cultuurfonds",
    )


def test_consent_answer_that_is_neither_yes_nor_no_is_a_warning_not_a_consent():
    row = ROW_A1.replace(";ja", ";misschien later")
    orders, errors = read(csv_bytes(row), consent_questions={"Nieuwsbrief": "newsletter"})
    assert (orders[0].consents, errors) == ((), [])
    warning = message_text(orders[0].warnings[0])
    assert "misschien later" in warning and "Nieuwsbrief" in warning
    # The same file read again gives the same order, warning and all.
    again, _errors = read(csv_bytes(row), consent_questions={"Nieuwsbrief": "newsletter"})
    assert again == orders


# --- bad rows ---------------------------------------------------------------------------
def test_bad_price_makes_its_order_an_error_naming_the_row():
    bad = ROW_A2.replace(";15,00;", ";vijftien;")
    orders, errors = read(csv_bytes(ROW_A1, bad, ROW_B1))
    assert [order.external_id for order in orders] == ["B-2"]
    assert [error.external_id for error in errors] == ["B-1"]
    assert "row 3" in str(errors[0]) and "Prijs" in str(errors[0])
    assert [row["row"] for row in errors[0].payload["rows"]] == [2, 3]


def test_bad_date_makes_its_order_an_error_naming_the_row():
    bad = ROW_B1.replace("13-03-2026 10:00", "13e maart")
    _orders, errors = read(csv_bytes(ROW_A1, bad))
    assert "row 3" in str(errors[0]) and "Besteldatum" in str(errors[0])


def test_row_with_more_cells_than_columns_is_an_error_naming_it():
    shifted = ROW_A2.replace("zoe@example.nl", "zoe@example.nl;zoe.werk@example.nl")
    orders, errors = read(csv_bytes(ROW_A1, shifted, ROW_B1))
    assert [order.external_id for order in orders] == ["B-2"]
    assert "row 3" in str(errors[0]) and "16 cells under 15 columns" in str(errors[0])


def test_unknown_status_makes_its_order_an_error():
    _orders, errors = read(csv_bytes(ROW_A1.replace(";Betaald;", ";Zoek;")))
    assert "unknown status 'Zoek'" in str(errors[0])


def test_row_without_order_number_is_an_error_of_its_own():
    orders, errors = read(csv_bytes(ROW_A1, ";" + ROW_B1.split(";", 1)[1]))
    assert [order.external_id for order in orders] == ["B-1"]
    assert "row 3" in str(errors[0]) and errors[0].external_id is None


def test_fixed_order_error_maps_again_from_its_stored_rows():
    bad = ROW_A1.replace(";27,50;", ";27,5O;")
    _orders, errors = read(csv_bytes(bad))
    fixed = errors[0].payload
    fixed["rows"][0]["cells"][9] = "27,50"
    order = CsvFileAdapter(b"", None, COLUMNS).map_order(fixed)
    assert (order.external_id, order.total) == ("B-1", Decimal("27.50"))


def test_missing_mapped_column_makes_the_file_unreadable_and_lists_its_headers():
    header = HEADER.replace("E-mail", "Email adres")
    with pytest.raises(UnreadableFile, match="'E-mail'.*'Email adres'"):
        read(csv_bytes(ROW_A1, header=header))


def test_mapping_without_order_number_is_refused():
    columns = {field: header for field, header in COLUMNS.items() if field != "order_id"}
    with pytest.raises(UnreadableFile, match="order number"):
        read(csv_bytes(ROW_A1), columns=columns)


def test_headers_match_regardless_of_case_and_spaces():
    header = HEADER.replace("E-mail", " e-MAIL ").replace("Prijssoort", "PRIJSSOORT")
    orders, errors = read(csv_bytes(ROW_A1, header=header))
    assert (orders[0].buyer.email, orders[0].tickets[0].ticket_type, errors) == (
        "zoe@example.nl",
        "Regulier",
        [],
    )


# --- file shapes --------------------------------------------------------------------------
def test_comma_separated_file_with_quoted_decimal_commas_reads_the_same():
    rows = [row.replace("27,50", '"27,50"').replace("15,00", '"15,00"') for row in (ROW_A1,)]
    rows = [row.replace("Toneel, Klassiek", '"Toneel, Klassiek"') for row in rows]
    content = csv_bytes(*rows, delimiter=",")
    assert read(content) == read(csv_bytes(ROW_A1))


def test_windows_1252_file_reads_the_same_as_utf8():
    assert read(csv_bytes(ROW_A1, encoding="cp1252")) == read(csv_bytes(ROW_A1))


def test_utf16_tab_separated_file_reads_the_same():
    content = csv_bytes(ROW_A1, delimiter="\t", encoding="utf-16")
    assert read(content, "export.txt") == read(csv_bytes(ROW_A1))


def test_xlsx_with_real_dates_and_numbers_reads_like_the_csv():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    cells = ROW_A1.split(";")
    cells[2] = dt.datetime(2026, 3, 12, 19, 5)
    cells[6] = "28-03-2026 20:15"
    cells[9] = 27.5
    sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    orders, errors = read(buffer.getvalue(), "export.xlsx")
    expected, _errors = read(csv_bytes(ROW_A1))
    assert errors == []
    assert orders[0].placed_at == expected[0].placed_at
    assert orders[0].tickets == expected[0].tickets


def test_totals_row_under_the_orders_is_neither_an_order_nor_an_error():
    totals = "Totaal;;;;;;;;;42,50;;;;;"
    orders, errors = read(csv_bytes(ROW_A1, ROW_A2, ROW_B1, totals))
    assert (sorted(order.external_id for order in orders), errors) == (["B-1", "B-2"], [])


def test_totals_cell_in_a_later_column_is_no_order_either():
    totals = ";;;;;;;;Totaal:;70,00;;;;;"
    orders, errors = read(csv_bytes(ROW_A1, ROW_B1, totals))
    assert (len(orders), errors) == (2, [])


def test_repeated_header_row_is_no_order():
    orders, errors = read(csv_bytes(ROW_A1, HEADER, ROW_B1))
    assert (sorted(order.external_id for order in orders), errors) == (["B-1", "B-2"], [])


def test_report_title_and_date_above_the_header_are_skipped():
    content = b"Verkooprapport Schouwburg De Kade\r\nGemaakt op 01-04-2026\r\n\r\n"
    orders, errors = read(content + csv_bytes(ROW_A1, ROW_B1, encoding="utf-8"))
    assert (len(orders), errors) == (2, [])
    assert orders[0].buyer.email == "zoe@example.nl"


def test_excel_separator_line_names_the_delimiter():
    content = csv_bytes(ROW_A1, header="sep=;\r\n" + HEADER)
    assert read(content) == read(csv_bytes(ROW_A1))


def test_utf16_file_without_byte_order_mark_reads_the_same():
    content = csv_bytes(ROW_A1, delimiter="\t", encoding="utf-16-le")
    assert read(content, "export.txt") == read(csv_bytes(ROW_A1))


def test_headers_match_without_accents_and_punctuation():
    header = HEADER.replace("E-mail", "Email").replace("Voorstelling", "Vóórstelling")
    orders, errors = read(csv_bytes(ROW_A1, header=header))
    assert errors == []
    assert orders[0].buyer.email == "zoe@example.nl"
    assert orders[0].tickets[0].performance_external_id == "HAM-1"


def test_xlsx_with_a_title_row_and_unformatted_date_numbers_reads_like_the_csv():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Verkopen maart 2026"])
    sheet.append([])
    sheet.append(HEADER.split(";"))
    cells = ROW_A1.split(";")
    cells[0] = "B-1"
    cells[2] = 46093.79513888889  # 12-03-2026 19:05 as a bare Excel day number
    cells[9] = 27.5
    sheet.append(cells)
    sheet.append(["Totaal", None, None, None, None, None, None, None, None, 27.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    orders, errors = read(buffer.getvalue(), "export.xlsx")
    expected, _errors = read(csv_bytes(ROW_A1))
    assert (len(orders), errors) == (1, [])
    assert orders[0].placed_at == expected[0].placed_at
    assert orders[0].tickets == expected[0].tickets


def test_empty_file_is_unreadable():
    with pytest.raises(UnreadableFile, match="empty"):
        read(b"")


# --- pages ------------------------------------------------------------------------------------
def test_pages_hold_page_size_orders_and_their_cursor_skips_them():
    content = DEMO_EXPORT.read_bytes()
    adapter = CsvFileAdapter(content, DEMO_EXPORT.name, PRESETS["schouwburg_demo"], page_size=120)
    pages = list(adapter.iter_pages(None))
    assert [len(page.orders) for page in pages] == [120, 120, 60]
    resumed = list(adapter.iter_pages(pages[0].next_cursor))
    assert [o.external_id for p in resumed for o in p.orders] == [
        o.external_id for p in pages[1:] for o in p.orders
    ]


# --- values ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("27,50", "27.50"),
        ("€ 27,50", "27.50"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("27.50", "27.50"),
        ("1.250", "1250"),
        ("-5,00", "-5.00"),
        (12.5, "12.5"),
        ("12,50 EUR", "12.50"),
        ("EUR12,50", "12.50"),
        ("€\u00a012,50", "12.50"),
        ("€ 12,-", "12"),
        ("12,50-", "-12.50"),
        ("\u221212,50", "-12.50"),
        ("(12,50)", "-12.50"),
        ("'12,50", "12.50"),
        ("1,000,000", "1000000"),
        ("1.234.567,89", "1234567.89"),
        ("gratis", "0"),
    ],
)
def test_amounts_as_exports_write_them(text, amount):
    assert parse_decimal(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    ["28-03-2026 20:15", "28/03/2026 20:15", "28.03.2026 20:15", "2026-03-28T20:15:00"],
)
def test_dates_as_exports_write_them(text):
    assert parse_datetime(text, AMSTERDAM) == dt.datetime(2026, 3, 28, 19, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "28-03-26 20:15",
        "28/03/26 20:15",
        "28-03-2026 20.15",
        "28-03-2026 20u15",
        "28 mrt. 2026 20:15",
        "za 28 maart 2026 20:15 uur",
        "zaterdag 28 maart 2026, 20:15",
        "Sat, Mar 28, 2026 20:15",
        "28 mars 2026 à 20h15",
        "2026-03-28 20:15:00.000",
        "2026-03-28T20:15:00+01:00",
        "2026-03-28T19:15:00Z",
        46109.84375,
        "46109,84375",
    ],
)
def test_written_and_excel_dates_as_exports_write_them(text):
    assert parse_datetime(text, AMSTERDAM) == dt.datetime(2026, 3, 28, 19, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "text",
    [
        "28-03-2026 8:15 PM",
        "28/03/2026 08:15:00 pm",
        "28-03-2026 8.15pm",
        "Sat, Mar 28, 2026 at 8:15 PM",
        "March 28, 2026 8:15 p.m.",
    ],
)
def test_twelve_hour_times_as_english_exports_write_them(text):
    assert parse_datetime(text, AMSTERDAM) == dt.datetime(2026, 3, 28, 19, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("28-03-2026 12:05 AM", dt.datetime(2026, 3, 28, 0, 5)),
        ("28-03-2026 12:05 PM", dt.datetime(2026, 3, 28, 12, 5)),
        ("28-03-2026 11 am", dt.datetime(2026, 3, 28, 11, 0)),
    ],
)
def test_midnight_and_noon_on_a_twelve_hour_clock(text, local):
    expected = local.replace(tzinfo=AMSTERDAM).astimezone(dt.UTC)
    assert parse_datetime(text, AMSTERDAM) == expected


@pytest.mark.parametrize(
    "text",
    ["28 martober 2026", "13e maart", "12345", "32-03-2026", "28-03-2026 13:15 pm", "2026 pm"],
)
def test_what_is_no_date_is_an_error(text):
    with pytest.raises(ValueError, match="is not a date"):
        parse_datetime(text, AMSTERDAM)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Ja, graag", True),
        ("Nee, liever niet", False),
        ("niet akkoord", False),
        ("opt-in", True),
        ("Opt-out", False),
        ("\u2713", True),
        ("misschien", None),
        ("", None),
    ],
)
def test_consent_cells_in_the_words_exports_use(text, answer):
    assert parse_bool(text) is answer


@pytest.mark.parametrize("text", ["vijftien", "27,5O", "nan", "1e5"])
def test_what_is_no_amount_is_an_error(text):
    with pytest.raises(ValueError, match="is not an amount"):
        parse_decimal(text)


def test_date_without_time_is_midnight_local_time():
    assert parse_datetime("28-03-2026", AMSTERDAM) == dt.datetime(2026, 3, 27, 23, 0, tzinfo=dt.UTC)


SPLIT_HEADER = (
    "Ordernummer;Voornaam;Tussenvoegsel;Achternaam;Straat;Huisnummer;Toevoeging;Postcode;"
    "Plaats;Telefoon;Mobiel;Voorstelling;Prijs"
)
SPLIT_COLUMNS = {
    "order_id": "Ordernummer",
    "given_name": "Voornaam",
    "name_prefix": "Tussenvoegsel",
    "family_name": "Achternaam",
    "street": "Straat",
    "house_number": "Huisnummer",
    "house_number_suffix": "Toevoeging",
    "zip": "Postcode",
    "city": "Plaats",
    "phone": "Telefoon",
    "mobile": "Mobiel",
    "performance_name": "Voorstelling",
    "price": "Prijs",
}


@pytest.mark.parametrize(
    ("cells", "name", "family", "street"),
    [
        ("Jan;van der;Berg;Kerkstraat;12;a", "Jan van der Berg", "van der Berg", "Kerkstraat 12a"),
        ("Els;;Peeters;Meir;12;bus 3", "Els Peeters", "Peeters", "Meir 12 bus 3"),
        ("Piet;de;Wit;Keizersgracht;123;-II", "Piet de Wit", "de Wit", "Keizersgracht 123-II"),
        ("Ria;;Smit;Dorpsweg;7;", "Ria Smit", "Smit", "Dorpsweg 7"),
        # The street cell holds the number already: not twice.
        ("Tom;;Kok;Markt 7;7;", "Tom Kok", "Kok", "Markt 7"),
        ("Bas;;Dijk;Hoofdstraat 112;12;", "Bas Dijk", "Dijk", "Hoofdstraat 112 12"),
    ],
)
def test_names_and_addresses_split_over_columns_are_joined(cells, name, family, street):
    row = f"O-1;{cells};3511 AB;Utrecht;030 123 45 67;06 12345678;Hamlet;25,00"
    orders, errors = read(csv_bytes(row, header=SPLIT_HEADER), columns=SPLIT_COLUMNS)
    assert not errors
    buyer = orders[0].buyer
    assert (buyer.name, buyer.family_name, buyer.street) == (name, family, street)
    assert (buyer.phone, buyer.mobile) == ("030 123 45 67", "06 12345678")


def test_the_split_columns_can_be_mapped_in_odoo():
    from ..models.culture_ticketing_csv_column import CSV_FIELDS

    assert {"name_prefix", "house_number", "house_number_suffix", "mobile"} <= set(FIELDS)
    assert [field for field, _label in CSV_FIELDS] == list(FIELDS)
