# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged


class TestTargetGroupMailing(TransactionCase):
    """A mailing made from a target group reaches the members who consent to its
    purpose by email, and never a blacklisted address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="culture_mailer",
            email="communicatie@lindenhof.example.nl",
            groups="culture_crm.group_culture_user,mass_mailing.group_mass_mailing_user",
        )
        # Mails wait in the outgoing queue, as they do for any mailing above this limit,
        # so the test sees what would be sent instead of an attempt to reach a server.
        cls.env["ir.config_parameter"].sudo().set_param("mail.mail.force.send.limit", 0)
        cls.env = cls.env(user=cls.user)
        cls.tag = cls.env["res.partner.category"].sudo().create({"name": "Nieuwsbrieftest"})
        Partner = cls.env["res.partner"]

        def member(name):
            email = f"{name.lower().replace(' ', '.')}@example.nl"
            return Partner.create({"name": name, "email": email, "category_id": cls.tag.ids})

        cls.consenting = member("Eva de Graaf")
        cls.blacklisted = member("Tom Visser")
        cls.never_asked = member("Lotte Mulder")
        cls.withdrawn = member("Bram Kok")
        cls.fundraising_only = member("Noor Peters")
        cls.outsider = Partner.create({"name": "Daan Vos", "email": "daan.vos@example.nl"})

        yesterday = fields.Datetime.now() - timedelta(days=1)
        (cls.consenting | cls.blacklisted | cls.withdrawn | cls.outsider)._record_consent(
            "newsletter", "email", True, date=yesterday
        )
        cls.withdrawn._record_consent("newsletter", "email", False)
        cls.fundraising_only._record_consent("fundraising", "email", True)
        cls.env["mail.blacklist"].sudo()._add(cls.blacklisted.email)

        cls.newsletter = cls._purpose("newsletter")
        cls.group = cls.env["culture.target.group"].create(
            {
                "name": "Nieuwsbrief testgroep",
                "partner_domain": repr([("category_id", "in", cls.tag.ids)]),
                "consent_purpose_id": cls.newsletter.id,
            }
        )

    @classmethod
    def _purpose(cls, code):
        return cls.env["culture.consent.purpose"].search([("code", "=", code)])

    def _mailing_from_group(self, purpose=None):
        action = self.group.action_new_mailing()
        with Form(self.env["mailing.mailing"].with_context(**action["context"])) as form:
            form.subject = "Nieuw seizoen bij De Lindenhof"
            if purpose:
                form.culture_consent_purpose_id = purpose
        return form.record

    def _mailed_partners(self, mailing):
        """Contacts the mailing was sent to: their trace is not cancelled (mass_mailing
        cancels the mail of a blacklisted address, for one)."""
        traces = mailing.sudo().mailing_trace_ids.filtered(
            lambda trace: trace.trace_status != "cancel"
        )
        return self.env["res.partner"].browse(traces.mapped("res_id"))

    def test_mailing_from_group_targets_contacts_with_the_groups_filter(self):
        mailing = self._mailing_from_group()
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        self.assertEqual(mailing.culture_target_group_id, self.group)
        self.assertEqual(mailing.culture_consent_purpose_id, self.newsletter)
        self.assertIn(str(self.tag.id), mailing.mailing_domain)

    def test_mailing_reaches_only_consenting_members(self):
        mailing = self._mailing_from_group()
        self.assertEqual(mailing.total, 1)
        mailing.action_send_mail()
        self.assertEqual(self._mailed_partners(mailing), self.consenting)

    def test_blacklisted_member_gets_no_mail_despite_consent(self):
        mailing = self._mailing_from_group()
        mailing.action_send_mail()
        self.assertNotIn(self.blacklisted, self._mailed_partners(mailing))
        self.assertNotIn(self.blacklisted.id, mailing._get_recipients())

    def test_member_blacklisted_after_drafting_gets_no_mail(self):
        mailing = self._mailing_from_group()
        self.env["mail.blacklist"].sudo()._add(self.consenting.email)
        self.assertFalse(mailing._get_recipients())

    def test_member_who_withdrew_consent_gets_no_mail(self):
        mailing = self._mailing_from_group()
        self.assertNotIn(self.withdrawn.id, mailing._get_recipients())

    def test_withdrawal_after_drafting_is_respected_at_sending(self):
        mailing = self._mailing_from_group()
        self.consenting._record_consent("newsletter", "email", False)
        self.assertFalse(mailing._get_recipients())

    def test_consent_still_applies_when_staff_edit_the_filter_by_hand(self):
        mailing = self._mailing_from_group()
        mailing.mailing_domain = repr([("category_id", "in", self.tag.ids)])
        recipients = self.env["res.partner"].browse(mailing._get_recipients())
        self.assertEqual(recipients, self.consenting | self.blacklisted)

    def test_blacklist_applies_at_sending_even_without_its_filter_condition(self):
        mailing = self._mailing_from_group()
        mailing.mailing_domain = repr([("category_id", "in", self.tag.ids)])
        mailing.action_send_mail()
        self.assertEqual(self._mailed_partners(mailing), self.consenting)
        trace = mailing.sudo().mailing_trace_ids.filtered(
            lambda trace: trace.res_id == self.blacklisted.id
        )
        self.assertEqual((trace.trace_status, trace.failure_type), ("cancel", "mail_bl"))

    def test_mailing_purpose_decides_who_is_reached(self):
        mailing = self._mailing_from_group(purpose=self._purpose("fundraising"))
        self.assertEqual(mailing._get_recipients(), self.fundraising_only.ids)

    def test_group_shows_how_many_members_a_mailing_can_reach(self):
        self.assertEqual(self.group.member_count, 5)
        self.assertEqual(self.group.reachable_count, 1)

    def test_group_lists_the_mailings_made_from_it(self):
        mailing = self._mailing_from_group()
        self.assertEqual(self.group.mailing_count, 1)
        action = self.group.action_open_mailings()
        self.assertEqual(self.env["mailing.mailing"].search(action["domain"]), mailing)


@tagged("post_install", "-at_install")
class TestTargetGroupMailingTour(HttpCase):
    def test_staff_build_a_target_group_and_open_a_mailing_from_it(self):
        new_test_user(
            self.env,
            login="culture_tour_mailer",
            email="pers@lindenhof.example.nl",
            groups="culture_crm.group_culture_user,mass_mailing.group_mass_mailing_user",
        )
        self.env["res.partner"].create({"name": "Redactie Stadsblad Oost", "city": "Leiden"})
        self.start_tour("/odoo", "culture_crm_target_group_mailing", login="culture_tour_mailer")

        group = self.env["culture.target.group"].search([("name", "=", "Pers Leiden")])
        self.assertIn("Leiden", group.partner_domain)
        self.assertEqual(group.consent_purpose_id.code, "newsletter")
        self.assertEqual(group.user_id.login, "culture_tour_mailer")
        mailing = group.mailing_ids
        self.assertEqual(mailing.subject, "Nieuw seizoen")
        self.assertIn("Leiden", mailing.mailing_domain)
        self.assertIn("culture_consent_ids", mailing.mailing_domain)
