# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from pathlib import Path

from ..connectors.csv_file import PRESETS
from .common import TicketingCase
from .test_csv_connector import SPLIT_COLUMNS, SPLIT_HEADER

HEADER = "Bestelnummer;Ticketnummer;Besteldatum;Status;Voorstelling;Aanvang;Prijs;Naam;E-mail"
ROWS = [
    "K-1;T1;01-09-2025 10:00;Betaald;Hamlet;01-10-2025 20:00;25,00;Els Smit;els@example.nl",
    "K-1;T2;01-09-2025 10:00;Betaald;Hamlet;01-10-2025 20:00;25,00;Els Smit;els@example.nl",
    "K-2;T3;02-09-2025 11:00;Betaald;Hamlet;01-10-2025 20:00;tien euro;Kim Bos;kim@example.nl",
]
COLUMNS = {
    "order_id": "Bestelnummer",
    "ticket_id": "Ticketnummer",
    "order_date": "Besteldatum",
    "order_status": "Status",
    "performance_name": "Voorstelling",
    "performance_date": "Aanvang",
    "price": "Prijs",
    "buyer_name": "Naam",
    "email": "E-mail",
}


class TestCsvImport(TicketingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.csv_backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Export oude kassa",
                "provider": "csv",
                "csv_column_ids": [
                    (0, 0, {"field": field, "column": column}) for field, column in COLUMNS.items()
                ],
            }
        )

    def import_rows(self, rows):
        content = "\n".join([HEADER, *rows]).encode()
        outcome = self.csv_backend.import_file(content=content, filename="export.csv")
        self.env.invalidate_all()
        return outcome

    def orders(self):
        return self.Order.search([("backend_id", "=", self.csv_backend.id)])

    def test_an_export_becomes_orders_tickets_and_contacts(self):
        self.import_rows(ROWS[:2])
        order = self.orders()
        self.assertEqual(order.external_id, "K-1")
        self.assertEqual(len(order.ticket_ids), 2)
        self.assertEqual(order.partner_id.email, "els@example.nl")
        self.assertEqual(order.ticket_ids.event_id.name, "Hamlet")

    def test_importing_the_same_export_again_changes_nothing(self):
        self.import_rows(ROWS[:2])
        stamp = self.orders().write_date
        outcome = self.import_rows(ROWS[:2])
        self.assertEqual((outcome.totals.created, outcome.totals.updated), (0, 0))
        self.assertEqual(self.orders().write_date, stamp)

    def test_a_bad_row_is_an_issue_and_the_rest_goes_in(self):
        self.import_rows(ROWS)
        self.assertEqual(self.orders().mapped("external_id"), ["K-1"])
        issue = self.Issue.search([("backend_id", "=", self.csv_backend.id)])
        self.assertEqual(issue.external_id, "K-2")
        self.assertIn("tien euro", issue.error)

    def test_replay_maps_the_stored_rows_again_after_the_mapping_is_fixed(self):
        self.import_rows(ROWS)
        issue = self.Issue.search([("backend_id", "=", self.csv_backend.id)])
        # The price column held text: leave the price out, the order total stays.
        self.csv_backend.csv_column_ids.filtered(lambda line: line.field == "price").unlink()

        issue.action_replay()
        self.env.invalidate_all()

        self.assertEqual(issue.state, "resolved")
        self.assertEqual(sorted(self.orders().mapped("external_id")), ["K-1", "K-2"])

    def test_the_demo_export_fills_the_audience(self):
        backend = self.env.ref("culture_crm_ticketing.demo_backend_csv")
        self.assertEqual(backend.order_count, 300)
        segments = self.env["res.partner"].search_count([("audience_segment", "!=", False)])
        self.assertGreater(segments, 50)


class TestSplitNameAndAddressColumns(TicketingCase):
    """An Active Tickets-style export that gives the tussenvoegsel, the house number and
    its addition, and the mobile each a column of their own."""

    ROW = (
        "A-1;Jan;van der;Berg;Kerkstraat;12;a;3511 ab;Utrecht;030 123 45 67;06 12345678;"
        "Hamlet;25,00;jan.vdberg@example.nl"
    )

    def test_the_contact_gets_the_whole_name_address_and_both_numbers(self):
        columns = {**SPLIT_COLUMNS, "email": "E-mail"}
        backend = self.env["culture.ticketing.backend"].create(
            {
                "name": "Active Tickets export",
                "provider": "csv",
                "csv_column_ids": [(0, 0, {"field": f, "column": c}) for f, c in columns.items()],
            }
        )
        content = f"{SPLIT_HEADER};E-mail\n{self.ROW}".encode()
        backend.import_file(content=content, filename="a.csv")
        self.env.invalidate_all()
        jan = self.contact("jan.vdberg@example.nl")
        self.assertEqual(
            (jan.name, jan.street, jan.zip, jan.phone, jan.mobile),
            ("Jan van der Berg", "Kerkstraat 12a", "3511 AB", "+31 30 123 4567", "+31 6 12345678"),
        )


# A Ticketmatic-style export as a box office saves it from Excel (Windows-1252, CRLF): a
# report title above the header, the header repeated for the second event, a credit row
# for a refunded seat, a consent answer in words, one that is neither yes nor no, and a
# totals line at the end.
TICKETMATIC_EXPORT = Path(__file__).parent / "exports" / "ticketmatic_verkoop.csv"
HEADER_LINE = TICKETMATIC_EXPORT.read_bytes().decode("cp1252").splitlines()[1]


class TestTicketmaticExport(TicketingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.export_backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Ticketmatic export",
                "provider": "csv",
                "csv_column_ids": [
                    (0, 0, {"field": field, "column": column})
                    for field, column in PRESETS["ticketmatic"].items()
                    if column in HEADER_LINE.split(";")
                ],
                "consent_map_ids": [
                    (0, 0, {"question": "Nieuwsbrief", "purpose_code": "newsletter"})
                ],
            }
        )

    def import_export(self):
        outcome = self.export_backend.import_file(
            content=TICKETMATIC_EXPORT.read_bytes(), filename=TICKETMATIC_EXPORT.name
        )
        self.env.invalidate_all()
        return outcome

    def orders(self):
        return self.Order.search([("backend_id", "=", self.export_backend.id)])

    def test_every_order_arrives_and_no_bogus_one(self):
        self.import_export()
        self.assertEqual(sorted(self.orders().mapped("external_id")), ["5001", "5002"])

    def test_the_refunded_seat_is_no_visit_and_its_money_is_refunded(self):
        self.import_export()
        order = self.orders().filtered(lambda o: o.external_id == "5001")
        self.assertEqual((order.state, order.total, order.refunded_amount), ("paid", 42.5, 15.0))
        self.assertEqual(
            sorted(order.ticket_ids.mapped(lambda t: (t.external_id, t.state))),
            [("90011", "valid"), ("90012", "canceled")],
        )
        self.assertEqual(order.partner_id.email_normalized, "zoe@example.nl")

    def test_dates_and_amounts_are_read_as_written(self):
        self.import_export()
        carmen = self.orders().filtered(lambda o: o.external_id == "5002")
        self.assertEqual(carmen.total, 1234.5)
        self.assertEqual(str(carmen.ticket_ids.event_id.date_begin), "2026-12-12 18:30:00")

    def test_unreadable_consent_waits_as_an_issue_and_the_clear_one_is_recorded(self):
        self.import_export()
        issues = self.Issue.search([("backend_id", "=", self.export_backend.id)])
        self.assertEqual(issues.mapped("external_id"), ["5002"])
        self.assertIn("weet ik niet", issues.error)
        zoe = self.contact("zoe@example.nl")
        self.assertEqual(zoe.culture_consent_ids.mapped("state"), ["granted"])

    def test_importing_the_export_again_changes_nothing_and_keeps_the_issue(self):
        self.import_export()
        outcome = self.import_export()
        self.assertEqual((outcome.totals.created, outcome.totals.updated), (0, 0))
        issues = self.Issue.search([("backend_id", "=", self.export_backend.id)])
        self.assertEqual(issues.mapped("state"), ["open"])


class TestCsvImportInDutch(TicketingCase):
    """What stops an import is said in the language of whoever imports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["culture_crm_ticketing"], ["nl_NL"])
        cls.csv_backend = cls.env["culture.ticketing.backend"].create(
            {
                "name": "Export oude kassa",
                "provider": "csv",
                "csv_column_ids": [
                    (0, 0, {"field": field, "column": column}) for field, column in COLUMNS.items()
                ],
            }
        )

    def import_in(self, lang, content):
        wizard = (
            self.env["culture.ticketing.file.import"]
            .with_context(lang=lang)
            .create(
                {
                    "backend_id": self.csv_backend.id,
                    "file": base64.b64encode(content),
                    "filename": "export.csv",
                }
            )
        )
        return wizard.action_import()["params"]

    def test_a_file_without_the_mapped_columns_is_refused_in_dutch(self):
        shown = self.import_in("nl_NL", b"Kolom A;Kolom B\n1;2\n")
        self.assertEqual(shown["type"], "danger")
        self.assertIn("het bestand mist de ingedeelde kolom(men) 'Bestelnummer'", shown["message"])
        self.assertIn("het heeft: 'Kolom A', 'Kolom B'", shown["message"])
        self.csv_backend.invalidate_recordset()
        self.assertIn("het bestand mist", self.csv_backend.last_error)

    def test_a_row_that_cannot_be_read_is_an_issue_in_dutch(self):
        content = "\n".join([HEADER, *ROWS]).encode()
        shown = self.import_in("nl_NL", content)
        self.assertEqual(shown["type"], "success")
        issue = self.env["culture.ticketing.sync.issue"].search(
            [("backend_id", "=", self.csv_backend.id), ("external_id", "=", "K-2")]
        )
        self.assertEqual(issue.error, "regel 4: Prijs: 'tien euro' is geen bedrag")

    def test_a_file_of_blank_lines_is_refused_in_english_for_an_english_user(self):
        shown = self.import_in("en_US", b"\n\n")
        self.assertEqual(shown["type"], "danger")
        self.assertIn("the file has no header row", shown["message"])
