# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

from .common import StewardshipCase


class TestStewardshipDashboard(StewardshipCase):
    """The dashboard's figures for one domain against a count by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dance = cls.env["culture.relation.type"].create({"name": "Dansdocent", "code": "dance"})
        cls.domain = cls.env["culture.data.domain"].create(
            {
                "name": "Dans",
                "owner_id": cls.owner.id,
                "steward_ids": [(6, 0, cls.steward.ids)],
                "relation_type_ids": [(6, 0, cls.dance.ids)],
                "review_interval_months": 12,
            }
        )

    def _member(self, name, reviewed_months_ago=None, **values):
        contact = self._contact(name, self.dance, **values)
        if reviewed_months_ago is not None:
            contact.sudo().last_review_date = self.today - relativedelta(months=reviewed_months_ago)
        return contact

    def _figures(self):
        Report = self.env["culture.stewardship.report"].with_user(self.owner)
        groups = Report.read_group(
            [("data_domain_id", "=", self.domain.id)],
            [
                "partner_count:sum",
                "due_count:sum",
                "overdue_count:sum",
                "reviewed_on_time_count:sum",
                "completeness:avg",
                "open_duplicate_count:sum",
            ],
            ["data_domain_id"],
        )
        self.assertEqual(len(groups), 1)
        return groups[0]

    def test_figures_match_a_count_by_hand(self):
        on_time = self._member("Op Tijd")
        on_time.sudo().last_review_date = self.today - relativedelta(months=12) + timedelta(10)
        self.assertEqual(on_time.review_state, "due")
        on_time.with_user(self.steward)._mark_reviewed("confirmed")
        late = self._member("Te Laat", reviewed_months_ago=14)
        late.with_user(self.steward)._mark_reviewed("updated")
        overdue = self._member("Achterstallig", reviewed_months_ago=13)
        due = self._member("Bijna", reviewed_months_ago=12)
        due.sudo().last_review_date = self.today - relativedelta(months=12) + timedelta(5)
        long_ago = self._member("Lang Geleden", reviewed_months_ago=1)
        self.env["culture.review.log"].sudo().create(
            {
                "res_model": "res.partner",
                "res_id": long_ago.id,
                "reviewer_id": self.steward.id,
                "outcome": "confirmed",
                "date": fields.Datetime.now() - relativedelta(months=13),
                "due_date": self.today - relativedelta(months=12),
                "data_domain_ids": [(6, 0, self.domain.ids)],
            }
        )
        archived = self._member("Vertrokken", reviewed_months_ago=20)
        archived.action_archive()
        members = on_time | late | overdue | due | long_ago
        expected_duplicates = 0
        if "culture.duplicate.candidate" in self.env:
            Candidate = self.env["culture.duplicate.candidate"]
            pair = sorted((overdue | due).ids)
            Candidate.create(
                {"partner_a_id": pair[0], "partner_b_id": pair[1], "score": 90, "state": "open"}
            )
            expected_duplicates = sum(
                Candidate.search_count(
                    [
                        ("state", "=", "open"),
                        "|",
                        ("partner_a_id", "=", member.id),
                        ("partner_b_id", "=", member.id),
                    ]
                )
                for member in members
            )
            self.assertEqual(expected_duplicates, 2)

        figures = self._figures()

        self.assertEqual(figures["partner_count"], 5, "the archived contact does not count")
        self.assertEqual(figures["due_count"], 1)
        self.assertEqual(figures["overdue_count"], 1)
        self.assertEqual(
            figures["reviewed_on_time_count"], 1, "a late review and one of 13 months ago do not"
        )
        self.assertEqual(figures["open_duplicate_count"], expected_duplicates)
        if "culture_completeness" in self.env["res.partner"]._fields:
            by_hand = sum(members.mapped("culture_completeness")) / len(members)
            self.assertAlmostEqual(figures["completeness"], by_hand, places=2)

    def test_reviewing_an_overdue_contact_moves_it_out_of_overdue(self):
        overdue = self._member("Achterstallig", reviewed_months_ago=13)
        self.assertEqual(self._figures()["overdue_count"], 1)
        overdue.with_user(self.steward)._mark_reviewed("confirmed")
        figures = self._figures()
        self.assertEqual(figures["overdue_count"], 0)
        self.assertEqual(figures["reviewed_on_time_count"], 0, "it was late")

    def test_overdue_is_counted_on_the_readers_day_not_the_servers(self):
        """The database counts in UTC; the dashboard in its reader's time zone. Two
        readers 25 hours apart are always on different days, whatever the hour."""
        contact = self._member("Grens")
        ahead = self.owner.with_context(tz="Pacific/Kiritimati")  # UTC+14
        behind = self.owner.with_context(tz="Pacific/Pago_Pago")  # UTC-11
        yesterday_ahead = fields.Date.context_today(ahead) - timedelta(days=1)
        self.assertLess(fields.Date.context_today(behind), fields.Date.context_today(ahead))
        contact.sudo().next_review_date = yesterday_ahead
        contact.flush_recordset()

        def overdue(tz):
            Report = self.env["culture.stewardship.report"].with_user(self.owner)
            groups = Report.with_context(tz=tz).read_group(
                [("data_domain_id", "=", self.domain.id)], ["overdue_count:sum"], []
            )
            return groups[0]["overdue_count"]

        self.assertEqual(overdue("Pacific/Kiritimati"), 1, "due yesterday there: overdue")
        self.assertEqual(overdue("Pacific/Pago_Pago"), 0, "due today or tomorrow there")
