# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, new_test_user

from .common import StewardshipCase


class TestReviewRequests(StewardshipCase):
    def _overdue(self, name, *relation_types):
        contact = self._contact(name, *(relation_types or (self.teacher,)))
        contact.sudo().last_review_date = self.today - relativedelta(months=13)
        return contact

    def _review_activities(self, contacts):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", contacts.ids),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    def setUp(self):
        super().setUp()
        self.review_type = self.env.ref("culture_crm_stewardship.mail_activity_type_review_data")

    def _run_until_done(self, batch_size=None):
        batches = []
        while True:
            outcome = self.env["res.partner"]._cron_request_reviews(batch_size=batch_size)
            batches.append(outcome)
            if not outcome["remaining"] or not outcome["requested"]:
                return batches

    def test_steward_of_the_domain_gets_a_review_activity_for_a_due_contact(self):
        contact = self._overdue("Wim de Leraar")
        self._run_until_done()
        activity = self._review_activities(contact)
        self.assertEqual(activity.user_id, self.steward)
        self.assertEqual(activity.activity_type_id.name, "Review data")
        self.assertEqual(activity.date_deadline, contact.next_review_date)
        self.assertIn("Educatie test", activity.summary)

    def test_up_to_date_contacts_get_no_activity(self):
        fresh = self._contact("Net Gecontroleerd", self.teacher)
        self._run_until_done()
        self.assertFalse(self._review_activities(fresh))

    def test_second_run_gives_no_second_activity(self):
        contacts = self._overdue("Een") | self._overdue("Twee")
        first = self._run_until_done()
        second = self._run_until_done()
        self.assertEqual(sum(o["requested"] for o in first), 2)
        self.assertEqual(sum(o["requested"] for o in second), 0)
        self.assertEqual(len(self._review_activities(contacts)), 2)

    def test_contact_with_an_open_review_activity_is_not_asked_again(self):
        contact = self._overdue("Al Gevraagd")
        contact.activity_schedule(
            "culture_crm_stewardship.mail_activity_type_review_data", user_id=self.owner.id
        )
        self._run_until_done()
        self.assertEqual(self._review_activities(contact).user_id, self.owner)

    def test_runs_in_batches_reporting_what_remains(self):
        contacts = self.env["res.partner"].browse()
        for number in range(5):
            contacts |= self._overdue(f"Leraar {number}")
        batches = self._run_until_done(batch_size=2)
        self.assertEqual([o["requested"] for o in batches], [2, 2, 1])
        self.assertEqual([o["remaining"] for o in batches], [3, 1, 0])
        self.assertEqual(len(self._review_activities(contacts)), 5)

    def test_contacts_are_spread_over_the_least_loaded_stewards(self):
        second_steward = new_test_user(
            self.env,
            login="stw_second_steward",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        self.domain_education.steward_ids |= second_steward
        busy = self._overdue("Eerder Gevraagd")
        busy.activity_schedule(
            "culture_crm_stewardship.mail_activity_type_review_data", user_id=self.steward.id
        )
        contacts = self.env["res.partner"].browse()
        for number in range(5):
            contacts |= self._overdue(f"Leraar {number}")
        self._run_until_done(batch_size=2)
        per_steward = {
            user: len(activities)
            for user, activities in self._review_activities(contacts).grouped("user_id").items()
        }
        # The steward already had one open review: the second steward takes one more.
        self.assertEqual(per_steward, {self.steward: 2, second_steward: 3})

    def test_domain_without_stewards_asks_its_owner(self):
        self.domain_education.steward_ids = False
        contact = self._overdue("Wim de Leraar")
        self._run_until_done()
        self.assertEqual(self._review_activities(contact).user_id, self.owner)

    def test_contact_reviewed_after_the_request_is_asked_again_next_cycle_only(self):
        contact = self._overdue("Wim de Leraar")
        self._run_until_done()
        contact.with_user(self.steward)._mark_reviewed("confirmed")
        self._run_until_done()
        self.assertFalse(self._review_activities(contact))


class TestReviewRequestsTwoWorkers(TransactionCase):
    """Two workers at once, for real: a second database connection runs the scheduled
    action on the committed demo data and keeps its transaction open (as a worker in the
    middle of a batch does) while this test's cursor runs it too."""

    def test_second_worker_at_the_same_time_gives_no_double_activities(self):
        Partner = self.env["res.partner"]
        due = Partner.search([("review_state", "in", ("due", "overdue"))])
        self.assertTrue(due, "the demo data has contacts due for review")
        review_type = self.env.ref("culture_crm_stewardship.mail_activity_type_review_data")

        def activity_count(env):
            env.flush_all()
            env.cr.execute(
                "SELECT res_id, count(*) FROM mail_activity WHERE res_model = 'res.partner' "
                "AND activity_type_id = %s AND active AND res_id = ANY(%s) GROUP BY res_id",
                (review_type.id, due.ids),
            )
            return dict(env.cr.fetchall())

        before = activity_count(self.env)
        self.env.cr.execute("SET LOCAL lock_timeout = '10s'")
        other_cr = self.registry.cursor()
        try:
            other_env = api.Environment(other_cr, SUPERUSER_ID, {})
            other = other_env["res.partner"]._cron_request_reviews(batch_size=1000)
            self.assertGreater(other["requested"], 0)
            # The other worker is mid-batch: its lock and its claimed rows are held.
            mine = Partner._cron_request_reviews(batch_size=1000)
            self.assertTrue(mine["skipped"])
            # Even past the lock, rows the other worker holds are skipped, not waited for.
            due_limit = fields.Date.context_today(Partner) + timedelta(
                days=Partner._review_due_days()
            )
            self.env.cr.execute(Partner._review_candidates_sql(due_limit, review_type, 1000))
            self.assertFalse({row[0] for row in self.env.cr.fetchall()} & set(due.ids))
        finally:
            other_cr.rollback()
            other_cr.close()
        self.assertEqual(activity_count(self.env), before)
        # The other worker gave up (rolled back): this one now does the work, once, and a
        # second run adds nothing.
        self.assertGreater(Partner._cron_request_reviews(batch_size=1000)["requested"], 0)
        self.assertEqual(Partner._cron_request_reviews(batch_size=1000)["requested"], 0)
        counts = activity_count(self.env)
        self.assertEqual(set(counts), set(due.ids))
        self.assertEqual(set(counts.values()), {1})
