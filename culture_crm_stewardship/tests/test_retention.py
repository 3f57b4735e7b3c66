# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import StewardshipCase


class RetentionCase(StewardshipCase):
    """'Pers test' keeps data 12 months after the last sign of life."""

    def _journalist(self, name, started_months_ago=20, **values):
        contact = self.env["res.partner"].create(dict({"name": name}, **values))
        self.env["culture.partner.role"].create(
            {
                "partner_id": contact.id,
                "relation_type_id": self.press.id,
                "date_start": self.today - relativedelta(months=started_months_ago),
            }
        )
        contact._refresh_last_activity_date()
        return contact

    def _decide(self, contacts, user, **values):
        wizard = (
            self.env["culture.retention.wizard"]
            .with_user(user)
            .with_context(active_ids=contacts.ids)
            .create(values)
        )
        return wizard.action_confirm()


class TestRetentionDue(RetentionCase):
    def test_contact_inactive_longer_than_its_retention_is_due(self):
        quiet = self._journalist("Stille Pers", started_months_ago=20)
        self.assertEqual(quiet.last_activity_date, self.today - relativedelta(months=20))
        self.assertEqual(quiet.retention_state, "due")
        found = self.env["res.partner"].search(
            [("retention_state", "=", "due"), ("id", "=", quiet.id)]
        )
        self.assertEqual(found, quiet)

    def test_recently_started_role_keeps_a_contact_active(self):
        fresh = self._journalist("Nieuwe Pers", started_months_ago=2)
        self.assertEqual(fresh.retention_state, "ok")

    def test_message_from_the_contact_counts_as_activity(self):
        quiet = self._journalist("Schrijvende Pers")
        quiet.message_post(body="Graag een persticket", author_id=quiet.id, message_type="email")
        quiet._refresh_last_activity_date()
        self.assertEqual(quiet.last_activity_date, self.today)
        self.assertEqual(quiet.retention_state, "ok")

    def test_review_that_changed_data_counts_as_activity_a_confirmation_does_not(self):
        confirmed = self._journalist("Bevestigd")
        updated = self._journalist("Bijgewerkt")
        confirmed.with_user(self.press_steward)._mark_reviewed("confirmed")
        updated.with_user(self.press_steward)._mark_reviewed("updated")
        (confirmed | updated)._refresh_last_activity_date()
        self.assertEqual(confirmed.retention_state, "due")
        self.assertEqual(updated.retention_state, "ok")

    def test_daily_refresh_walks_the_contacts_in_batches(self):
        contacts = self._journalist("Een") | self._journalist("Twee") | self._journalist("Drie")
        contacts.sudo().write({"last_activity_date": False})
        Partner = self.env["res.partner"]
        outcomes = [Partner._cron_refresh_retention(batch_size=50)]
        while outcomes[-1]["remaining"]:
            outcomes.append(Partner._cron_refresh_retention(batch_size=50))
        self.assertTrue(all(o["refreshed"] <= 50 for o in outcomes))
        self.assertEqual(contacts.mapped("retention_state"), ["due"] * 3)


class TestRetentionDecisions(RetentionCase):
    def test_keep_needs_a_reason_and_a_date_and_holds_until_then(self):
        quiet = self._journalist("Bewaard")
        with self.assertRaises(UserError):
            quiet.with_user(self.press_steward)._retention_keep("", False)
        hold = self.today + relativedelta(years=2)
        self._decide(
            quiet, self.press_steward, decision="keep", reason="Lopende procedure", hold_until=hold
        )
        self.assertEqual(quiet.retention_state, "hold")
        self.assertEqual(quiet.retention_hold_until, hold)
        log = quiet.review_log_ids
        self.assertEqual((log.outcome, log.reviewer_id), ("kept", self.press_steward))
        self.assertIn("Lopende procedure", log.note)

    def test_archive_hides_the_contact_and_records_who_decided(self):
        quiet = self._journalist("Gearchiveerd")
        self._decide(quiet, self.press_steward, decision="archive", reason="Met pensioen")
        self.assertFalse(quiet.active)
        log = quiet.with_context(active_test=False).review_log_ids
        self.assertEqual((log.outcome, log.reviewer_id), ("archived", self.press_steward))

    def test_only_a_steward_of_the_contacts_domain_decides(self):
        quiet = self._journalist("Niet Van Jou")
        with self.assertRaises(AccessError):
            self._decide(quiet, self.steward, decision="archive")
        self.assertTrue(quiet.active)

    def test_anonymise_needs_an_explicit_confirmation(self):
        quiet = self._journalist("Bijna Anoniem")
        with self.assertRaises(UserError):
            self._decide(quiet, self.press_steward, decision="anonymise")
        self.assertEqual(quiet.name, "Bijna Anoniem")


class TestAnonymisation(RetentionCase):
    """Anonymisation checked on the database rows, not on the ORM cache."""

    NAME = "Johanna Verbeek"
    EMAIL = "j.verbeek@krant.example"

    def setUp(self):
        super().setUp()
        self.tag = self.env["res.partner.category"].create({"name": "Jazzliefhebber"})
        self.person = self._journalist(
            self.NAME,
            email="johanna.verbeek@example.nl",
            phone="+31 6 1234 5678",
            street="Lange Mare 12",
            zip="2312 GS",
            city="Leiden",
            function="Recensent",
            comment="<p>Houdt van jazz, zus van de directeur</p>",
            category_id=[Command.set(self.tag.ids)],
        )
        self.person.culture_role_ids.note = "Via Johanna Verbeek zelf aangemeld"
        # Her chatter: a note naming her, and a tracked change of her e-mail address.
        self.person.message_post(body=f"Gesprek met {self.NAME} over de recensie")
        self.person.email = self.EMAIL
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.other = self.env["res.partner"].create({"name": "Redactie Leidsch Dagblad"})
        # An opportunity of hers, one she wrote on, and one that once named her.
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Advertentie voorjaar",
                "partner_id": self.person.id,
                "expected_revenue": 1500,
            }
        )
        self.lead.message_post(
            body=f"Groet, {self.NAME} ({self.EMAIL})",
            author_id=self.person.id,
            email_from=f"{self.NAME} <{self.EMAIL}>",
            message_type="email",
        )
        self.former_lead = self.env["crm.lead"].create(
            {"name": "Persreis", "partner_id": self.person.id}
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.former_lead.partner_id = self.other
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env["res.partner.bank"].create(
            {"partner_id": self.person.id, "acc_number": "NL91ABNA0417164300"}
        )
        self._decide(
            self.person,
            self.press_steward,
            decision="anonymise",
            reason="Bewaartermijn verstreken",
            confirm_irreversible=True,
        )
        self.env.flush_all()

    def _rows(self, query, *params):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchall()

    def test_contact_row_keeps_only_aggregates(self):
        [row] = self._rows(
            "SELECT name, email, phone, street, zip, city, function, comment, active, "
            "is_anonymised FROM res_partner WHERE id = %s",
            self.person.id,
        )
        name, email, phone, street, zip_code, city, function, comment, active, anonymised = row
        self.assertNotIn("Verbeek", name)
        self.assertEqual((email, phone, street, function, comment), (None, None, None, None, None))
        self.assertEqual((zip_code, city), ("2312", "Leiden"))
        self.assertFalse(active)
        self.assertTrue(anonymised)
        self.assertFalse(
            self._rows(
                "SELECT 1 FROM res_partner_res_partner_category_rel WHERE partner_id = %s",
                self.person.id,
            )
        )

    def test_no_message_or_tracking_value_still_holds_her_name_or_email(self):
        like_name, like_mail = f"%{self.NAME}%", "%verbeek@%"
        messages = self._rows(
            "SELECT id FROM mail_message WHERE body ILIKE %s OR body ILIKE %s "
            "OR email_from ILIKE %s OR email_from ILIKE %s OR subject ILIKE %s",
            like_name,
            like_mail,
            like_name,
            like_mail,
            like_name,
        )
        self.assertFalse(messages)
        tracking = self._rows(
            "SELECT id FROM mail_tracking_value WHERE old_value_char ILIKE %s "
            "OR new_value_char ILIKE %s OR old_value_char ILIKE %s OR new_value_char ILIKE %s",
            like_name,
            like_name,
            like_mail,
            like_mail,
        )
        self.assertFalse(tracking)

    def test_her_own_chatter_is_gone(self):
        self.assertFalse(
            self._rows(
                "SELECT id FROM mail_message WHERE model = 'res.partner' AND res_id = %s "
                "AND body ILIKE %s",
                self.person.id,
                "%Gesprek%",
            )
        )

    def test_opportunity_keeps_its_figures_but_not_her_details(self):
        [(contact_name, email_from, revenue)] = self._rows(
            "SELECT contact_name, email_from, expected_revenue FROM crm_lead WHERE id = %s",
            self.lead.id,
        )
        self.assertEqual((contact_name, email_from), (None, None))
        self.assertEqual(revenue, 1500)

    def test_role_history_stays_without_names(self):
        rows = self._rows(
            "SELECT relation_type_id, date_start, note FROM culture_partner_role "
            "WHERE partner_id = %s",
            self.person.id,
        )
        self.assertEqual(rows, [(self.press.id, self.today - relativedelta(months=20), None)])

    def test_bank_account_numbers_are_gone(self):
        rows = self._rows(
            "SELECT acc_number, sanitized_acc_number, acc_holder_name FROM res_partner_bank "
            "WHERE partner_id = %s",
            self.person.id,
        )
        self.assertTrue(rows)
        for acc_number, sanitized, holder in rows:
            self.assertNotIn("NL91", acc_number + (sanitized or ""))
            self.assertIsNone(holder)

    def test_who_decided_is_logged_here_and_in_odoos_privacy_log(self):
        [(outcome, reviewer_id)] = self._rows(
            "SELECT outcome, reviewer_id FROM culture_review_log WHERE partner_id = %s",
            self.person.id,
        )
        self.assertEqual((outcome, reviewer_id), ("anonymised", self.press_steward.id))
        [(masked_name, user_id)] = self._rows(
            "SELECT anonymized_name, user_id FROM privacy_log WHERE additional_note = %s",
            "Bewaartermijn verstreken",
        )
        self.assertEqual((masked_name, user_id), ("J****** V******", self.press_steward.id))

    def test_anonymised_contact_needs_no_further_retention_decision(self):
        self.assertEqual(
            self.person.with_context(active_test=False).retention_state,
            "none",
        )

    def test_contact_that_logs_in_is_not_anonymised(self):
        user_partner = self.press_steward.partner_id
        with self.assertRaises(UserError):
            user_partner.sudo()._retention_anonymise()
        self.assertTrue(user_partner.name)


class TestRetentionDueDate(RetentionCase):
    def test_shorter_retention_of_a_second_domain_applies(self):
        both = self._journalist("Twee Domeinen", started_months_ago=18)
        self.env["culture.partner.role"].create(
            {
                "partner_id": both.id,
                "relation_type_id": self.teacher.id,
                "date_start": self.today - relativedelta(months=19),
            }
        )
        both._refresh_last_activity_date()
        self.assertEqual(
            both.retention_due_date,
            self.today - relativedelta(months=18) + relativedelta(months=12),
        )
        self.assertLess(both.retention_due_date, self.today + timedelta(days=1))
