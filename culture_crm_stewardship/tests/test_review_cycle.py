# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import StewardshipCase


class TestReviewDates(StewardshipCase):
    def _reviewed_on(self, partner, day):
        partner.sudo().last_review_date = day

    def test_contact_is_first_due_one_interval_after_it_was_created(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        self.assertEqual(
            teacher.next_review_date,
            fields.Date.context_today(teacher, teacher.create_date) + relativedelta(months=12),
        )
        self.assertEqual(teacher.review_state, "ok")

    def test_contact_without_a_domain_has_no_review_date(self):
        artist = self._contact("Ali Artiest", self.artist)
        self.assertFalse(artist.next_review_date)
        self.assertEqual(artist.review_state, "none")

    def test_contact_in_two_domains_follows_the_shortest_interval(self):
        both = self._contact("Els Beide", self.board, self.press)
        self._reviewed_on(both, self.today)
        self.assertEqual(both.next_review_date, self.today + relativedelta(months=6))

    def test_joining_a_domain_with_a_shorter_interval_brings_the_review_forward(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        self._reviewed_on(teacher, self.today - relativedelta(months=8))
        self.assertEqual(teacher.review_state, "ok")
        teacher._add_role(self.press, date_start=self.today)
        self.assertEqual(teacher.next_review_date, self.today - relativedelta(months=2))
        self.assertEqual(teacher.review_state, "overdue")

    def test_leaving_the_domain_with_the_shorter_interval_moves_the_review_back(self):
        both = self._contact("Els Beide", self.teacher, self.press)
        self._reviewed_on(both, self.today - relativedelta(months=8))
        press_role = both.culture_role_ids.filtered(lambda r: r.relation_type_id == self.press)
        press_role.date_start = self.today - timedelta(days=10)
        press_role.action_end_today()
        press_role.date_end = self.today - timedelta(days=1)
        self.assertEqual(both.data_domain_ids, self.domain_education)
        self.assertEqual(both.next_review_date, self.today + relativedelta(months=4))

    def test_shorter_domain_interval_brings_its_contacts_reviews_forward(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        self._reviewed_on(teacher, self.today)
        self.domain_education.review_interval_months = 3
        self.assertEqual(teacher.next_review_date, self.today + relativedelta(months=3))

    def test_review_is_due_within_the_configured_days_and_overdue_after(self):
        self.env["ir.config_parameter"].set_param("culture_crm_stewardship.review_due_days", 10)
        due = self._contact("Binnenkort", self.press)
        overdue = self._contact("Te laat", self.press)
        ok = self._contact("Prima", self.press)
        # Month arithmetic may shift a date by a day or two at month ends: stay clear of
        # the 10-day border.
        for contact, days in ((due, 5), (overdue, -3), (ok, 15)):
            self._reviewed_on(contact, self.today + timedelta(days=days) - relativedelta(months=6))
        self.assertEqual(
            [due.review_state, overdue.review_state, ok.review_state], ["due", "overdue", "ok"]
        )
        Partner = self.env["res.partner"]
        scope = [("id", "in", (due | overdue | ok).ids)]
        self.assertEqual(Partner.search([*scope, ("review_state", "=", "due")]), due)
        self.assertEqual(Partner.search([*scope, ("review_state", "=", "overdue")]), overdue)
        self.assertEqual(Partner.search([*scope, ("review_state", "!=", "ok")]), due | overdue)


class TestMarkReviewed(StewardshipCase):
    def setUp(self):
        super().setUp()
        self.teacher_contact = self._contact("Wim de Leraar", self.teacher)
        self.teacher_contact.sudo().last_review_date = self.today - relativedelta(months=13)

    def test_mark_reviewed_restarts_the_cycle_from_today(self):
        self.teacher_contact.with_user(self.steward)._mark_reviewed("confirmed")
        self.assertEqual(self.teacher_contact.last_review_date, self.today)
        self.assertEqual(
            self.teacher_contact.next_review_date, self.today + relativedelta(months=12)
        )
        self.assertEqual(self.teacher_contact.review_state, "ok")

    def test_mark_reviewed_writes_who_when_outcome_and_note(self):
        self.teacher_contact.with_user(self.steward)._mark_reviewed("updated", "Nieuw e-mailadres")
        log = self.teacher_contact.review_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(log.reviewer_id, self.steward)
        self.assertEqual(log.outcome, "updated")
        self.assertEqual(log.note, "Nieuw e-mailadres")
        self.assertEqual(fields.Datetime.context_timestamp(log, log.date).date(), self.today)
        self.assertEqual(log.data_domain_ids, self.domain_education)
        self.assertFalse(log.on_time, "it was a month overdue")

    def test_mark_reviewed_closes_the_open_review_activity(self):
        self.env["res.partner"]._cron_request_reviews()
        activity = self.teacher_contact.activity_ids
        self.assertEqual(activity.activity_type_id.name, "Review data")
        self.teacher_contact.with_user(self.steward)._mark_reviewed("confirmed")
        self.assertFalse(self.teacher_contact.activity_ids)
        self.assertFalse(activity.exists())

    def test_marking_the_review_activity_done_counts_as_a_review(self):
        self.env["res.partner"]._cron_request_reviews()
        activity = self.teacher_contact.activity_ids.with_user(self.steward)
        activity.action_feedback(feedback="Gebeld, klopt")
        self.assertEqual(self.teacher_contact.last_review_date, self.today)
        log = self.teacher_contact.review_log_ids
        self.assertEqual((log.outcome, log.reviewer_id), ("confirmed", self.steward))
        self.assertIn("Gebeld, klopt", log.note)

    def test_editing_a_contact_does_not_count_as_a_review(self):
        self.teacher_contact.with_user(self.steward).write(
            {"email": "wim@school.example", "phone": "+31 71 000 0000"}
        )
        self.assertEqual(self.teacher_contact.review_state, "overdue")
        self.assertFalse(self.teacher_contact.review_log_ids)

    def test_review_date_cannot_be_written_directly(self):
        with self.assertRaises(UserError):
            self.teacher_contact.with_user(self.steward).write({"last_review_date": self.today})

    def test_only_someone_who_may_change_the_contact_may_review_it(self):
        with self.assertRaises(AccessError):
            self.teacher_contact.with_user(self.press_steward)._mark_reviewed("confirmed")
        self.assertFalse(self.teacher_contact.review_log_ids)

    def test_bulk_review_from_the_list_marks_every_selected_contact(self):
        second = self._contact("Ria de Lerares", self.teacher)
        selected = (self.teacher_contact | second).with_user(self.steward)
        action = selected.action_mark_reviewed()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.steward)
            .with_context(**action["context"])
            .create({"note": "Schoollijst gecontroleerd"})
        )
        self.assertEqual(wizard.record_count, 2)
        wizard.action_confirm()
        self.assertEqual(
            (self.teacher_contact | second).mapped("last_review_date"), [self.today] * 2
        )
        self.assertEqual(len((self.teacher_contact | second).review_log_ids), 2)
