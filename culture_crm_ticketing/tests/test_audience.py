# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast
import datetime as dt

from ..sync.audience import CUTS_PARAMETER
from .common import (
    NOW,
    TicketingCase,
    days,
    local_day,
    order,
    page,
    performance,
    person,
    ticket,
)


class TestAudienceFigures(TicketingCase):
    def visit(self, code, when, genre="Toneel", price="30.00", buyer=None):
        show = performance(f"show-{code}", f"Voorstelling {code}", NOW - days(when), (genre,))
        return (
            order(
                code,
                buyer=buyer or person(),
                tickets=[ticket(show.external_id, price)],
                placed=NOW - days(when + 20),
            ),
            show,
        )

    def sync_visits(self, *visits):
        orders = [v[0] for v in visits]
        shows = [v[1] for v in visits]
        self.sync(page(*orders, performances=shows))
        return self.contact("anna@example.nl")

    def test_visits_orders_and_revenue_are_counted(self):
        anna = self.sync_visits(
            self.visit("V1", 400, price="20.00"), self.visit("V2", 100), self.visit("V3", 10)
        )
        self.assertEqual(anna.audience_visits_total, 3)
        self.assertEqual(anna.audience_visits_12m, 2)
        self.assertEqual(anna.audience_first_visit, local_day(self.env, NOW - days(400)))
        self.assertEqual(anna.audience_last_visit, local_day(self.env, NOW - days(10)))
        self.assertEqual(anna.audience_order_count, 3)
        self.assertEqual(anna.audience_revenue, 80)
        self.assertEqual(anna.audience_avg_ticket_price, 26.67)

    def test_a_night_show_is_a_visit_on_its_local_day(self):
        # 23:30 UTC is 00:30 or 01:30 in Amsterdam: the visit is on the next day there.
        day = (NOW - days(30)).date()
        night = dt.datetime.combine(day, dt.time(23, 30), dt.UTC)
        show = performance("night", "Nachtvoorstelling", night)
        self.sync(page(order("N1", tickets=[ticket("night")]), performances=[show]))
        anna = self.contact("anna@example.nl")
        self.assertEqual(anna.audience_first_visit, day + days(1))
        self.assertEqual(anna.audience_last_visit, day + days(1))

    def test_an_order_counts_on_the_day_where_the_syncing_user_lives(self):
        # Paid at 03:30 UTC: that day in Amsterdam, the evening before in New York.
        day = (NOW - days(10)).date()
        paid = dt.datetime.combine(day, dt.time(3, 30), dt.UTC)
        for code, tz, expected in (
            ("Z1", "Europe/Amsterdam", day),
            ("Z2", "America/New_York", day - days(1)),
        ):
            email = f"{code.lower()}@example.nl"
            # A gift voucher: no performance, so the order is the last sign of life.
            voucher = order(code, buyer=person("Zoë Tijd", email), tickets=(), placed=paid)
            self.sync(page(voucher), backend=self.backend.with_context(tz=tz))
            with self.subTest(tz=tz):
                self.assertEqual(self.contact(email).audience_last_activity, expected)

    def test_two_tickets_for_one_show_are_one_visit(self):
        self.sync(page(order("V4", tickets=[ticket(), ticket()])))
        self.assertEqual(self.contact("anna@example.nl").audience_visits_total, 1)

    def test_a_first_visit_this_year_is_new_audience(self):
        anna = self.sync_visits(self.visit("V5", 60))
        self.assertEqual(anna.audience_segment, "new")

    def test_three_visits_in_a_year_after_an_earlier_one_is_loyal(self):
        anna = self.sync_visits(
            self.visit("V6", 500),
            self.visit("V7", 200),
            self.visit("V8", 100),
            self.visit("V9", 20),
        )
        self.assertEqual(anna.audience_segment, "loyal")

    def test_an_occasional_visitor_who_came_back_is_returning(self):
        anna = self.sync_visits(self.visit("V10", 500), self.visit("V11", 100))
        self.assertEqual(anna.audience_segment, "returning")

    def test_no_visit_for_eighteen_months_is_lapsed(self):
        anna = self.sync_visits(self.visit("V12", 900), self.visit("V13", 600))
        self.assertEqual(anna.audience_segment, "lapsed")

    def test_no_visit_for_three_years_is_lost(self):
        anna = self.sync_visits(self.visit("V14", 1200))
        self.assertEqual(anna.audience_segment, "lost")

    def test_genres_weigh_by_recency(self):
        anna = self.sync_visits(
            self.visit("V15", 700, "Opera"),
            self.visit("V16", 690, "Opera"),
            self.visit("V17", 20, "Dans"),
        )
        self.assertEqual(anna.audience_top_genre_id.name, "Dans")
        self.assertEqual(anna.audience_genre_ids.mapped("name"), ["Dans", "Opera"])

    def test_a_canceled_order_takes_its_genre_from_the_favourites(self):
        dance, opera = self.visit("V18", 30, "Dans"), self.visit("V19", 40, "Opera")
        self.sync_visits(dance, opera)
        canceled = order(
            "V19",
            tickets=opera[0].tickets,
            state="canceled",
            placed=opera[0].placed_at,
            modified=NOW,
        )
        self.sync(page(canceled, performances=[opera[1]]))
        anna = self.contact("anna@example.nl")
        self.assertEqual(anna.audience_genre_ids.mapped("name"), ["Dans"])

    def test_recent_frequent_big_spender_scores_high(self):
        visits = [self.visit(f"R{n}", 10 + n * 30, price="150.00") for n in range(9)]
        anna = self.sync_visits(*visits)
        self.assertEqual(anna.audience_rfm, "555")

    def test_the_nightly_run_measures_the_audience_and_rescores_it(self):
        self.sync_visits(self.visit("N1", 1, price="10.00"))
        for n, when in enumerate((100, 200, 300, 2000)):
            buyer = person(f"Bezoeker {n}", f"bezoeker{n}@example.nl")
            order_record, show = self.visit(f"N{n + 2}", when, buyer=buyer)
            self.sync(page(order_record, performances=[show]))
        self.env["ir.config_parameter"].set_param(CUTS_PARAMETER, "")

        self.env["res.partner"]._cron_refresh_audience()
        self.env.invalidate_all()

        self.assertTrue(self.env["ir.config_parameter"].get_param(CUTS_PARAMETER))
        recent = self.contact("anna@example.nl").audience_recency_score
        older = self.contact("bezoeker3@example.nl").audience_recency_score
        self.assertGreater(recent, older)

    def test_audience_figures_can_select_a_target_group(self):
        self.sync_visits(self.visit("T1", 60, genre="Klezmer"))
        found = self.env["res.partner"].search(
            [("audience_segment", "=", "new"), ("audience_top_genre_id.name", "=", "Klezmer")]
        )
        self.assertEqual(found, self.contact("anna@example.nl"))

    def test_the_postcode_area_is_the_first_two_digits(self):
        self.sync(page(order("Z1", buyer=person(zip="3511 AB"))))
        self.assertEqual(self.contact("anna@example.nl").zip_area, "35")


class TestAudienceDashboard(TicketingCase):
    def test_the_dashboard_groups_contacts_by_segment_genre_and_postcode_area(self):
        show = performance("fado", "Fado", NOW - days(20), ("Fado",))
        self.sync(
            page(
                order("D1", buyer=person(zip="3511 AB"), tickets=[ticket("fado")]),
                performances=[show],
            )
        )
        action = self.env.ref("culture_crm_ticketing.res_partner_action_audience_dashboard")
        views = self.env["res.partner"].get_views([(False, "graph"), (False, "pivot")])
        self.assertIn("audience_segment", views["views"]["graph"]["arch"])
        groups = self.env["res.partner"].read_group(
            ast.literal_eval(action.domain),
            ["audience_revenue:sum"],
            ["audience_segment", "audience_top_genre_id", "zip_area"],
            lazy=False,
        )
        fado = [
            g
            for g in groups
            if g["audience_top_genre_id"] and g["audience_top_genre_id"][1] == "Fado"
        ]
        self.assertEqual(len(fado), 1)
        self.assertEqual((fado[0]["audience_segment"], fado[0]["zip_area"]), ("new", "35"))
        self.assertEqual(fado[0]["__count"], 1)
