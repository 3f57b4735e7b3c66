# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user


class TestConsent(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env, login="culture_consent_user", groups="culture_crm.group_culture_user"
        )
        cls.manager = new_test_user(
            cls.env, login="culture_consent_manager", groups="culture_crm.group_culture_manager"
        )
        cls.mailer = new_test_user(
            cls.env,
            login="culture_consent_mailer",
            groups="mass_mailing.group_mass_mailing_user,culture_crm.group_culture_user",
        )
        cls.env = cls.env(user=cls.user)
        cls.newsletter = cls.env.ref("culture_crm.consent_purpose_newsletter")
        cls.fundraising = cls.env.ref("culture_crm.consent_purpose_fundraising")
        cls.partner = cls.env["res.partner"].create(
            {"name": "Femke de Boer", "email": "femke@example.nl"}
        )
        cls.other = cls.env["res.partner"].create({"name": "Daan Smit", "email": "daan@example.nl"})
        cls.now = datetime.now().replace(microsecond=0)

    def _consenting(self, purpose, channel="email"):
        domain = self.env["culture.consent"]._consenting_partner_domain(purpose, channel=channel)
        return self.env["res.partner"].search(
            [*domain, ("id", "in", (self.partner | self.other).ids)]
        )

    def test_seeded_purposes_exist(self):
        codes = set(self.env["culture.consent.purpose"].search([]).mapped("code"))
        self.assertLessEqual({"newsletter", "fundraising", "education_offers", "surveys"}, codes)

    def test_withdrawal_is_a_new_record_and_history_stays(self):
        granted = self.partner._record_consent("newsletter", "email", True, date=self.now)
        withdrawn = self.partner._record_consent(
            "newsletter", "email", False, date=self.now + timedelta(minutes=5)
        )
        self.assertEqual(self.partner.culture_consent_ids, granted | withdrawn)
        self.assertEqual(granted.state, "granted")
        self.assertEqual(self.partner.culture_current_consent_ids, withdrawn)
        self.assertEqual(self.partner._culture_consent_state("newsletter", "email"), "withdrawn")

    def test_current_consent_is_kept_per_purpose_and_channel(self):
        self.partner._record_consent("newsletter", ["email", "post"], True, date=self.now)
        self.partner._record_consent(
            "newsletter", "email", False, date=self.now + timedelta(minutes=1)
        )
        self.partner._record_consent("fundraising", "phone", True, date=self.now)
        current = {
            (consent.purpose_id.code, consent.channel): consent.state
            for consent in self.partner.culture_current_consent_ids
        }
        self.assertEqual(
            current,
            {
                ("newsletter", "email"): "withdrawn",
                ("newsletter", "post"): "granted",
                ("fundraising", "phone"): "granted",
            },
        )
        self.assertEqual(
            self.partner.culture_granted_purpose_ids, self.newsletter | self.fundraising
        )

    def test_backdated_answer_does_not_override_a_newer_one(self):
        self.partner._record_consent("newsletter", "email", False, date=self.now)
        # An old web form answer imported later in time.
        self.partner._record_consent(
            "newsletter", "email", True, source="import", date=self.now - timedelta(days=365)
        )
        self.assertEqual(self.partner._culture_consent_state("newsletter", "email"), "withdrawn")
        self.assertFalse(self._consenting(self.newsletter))

    def test_consenting_domain_finds_only_contacts_who_currently_consent(self):
        (self.partner | self.other)._record_consent("newsletter", "email", True, date=self.now)
        self.other._record_consent(
            "newsletter", "email", False, date=self.now + timedelta(minutes=1)
        )
        self.assertEqual(self._consenting(self.newsletter), self.partner)
        self.assertFalse(self._consenting(self.newsletter, channel="sms"))
        self.assertFalse(self._consenting(self.fundraising))

    def test_consented_purposes_are_searchable_on_the_contact(self):
        self.other._record_consent("fundraising", "post", True)
        found = self.env["res.partner"].search(
            [("culture_granted_purpose_ids.code", "=", "fundraising"), ("id", "in", self.other.ids)]
        )
        self.assertEqual(found, self.other)

    def test_consent_cannot_be_changed_in_place_even_by_a_manager(self):
        consent = self.partner._record_consent("newsletter", "email", True)
        with self.assertRaisesRegex(UserError, "record a new consent|Record a new consent"):
            consent.with_user(self.manager).state = "withdrawn"
        self.assertEqual(consent.state, "granted")

    def test_staff_cannot_delete_consent(self):
        consent = self.partner._record_consent("newsletter", "email", True)
        with self.assertRaises(AccessError):
            consent.unlink()

    def test_manager_may_complete_the_proof(self):
        consent = self.partner._record_consent("newsletter", "email", True)
        consent.with_user(self.manager).proof = "Checkbox 'Ja, stuur mij de nieuwsbrief'"
        self.assertIn("nieuwsbrief", consent.proof)

    def test_recording_from_orders_is_batched_and_replay_safe(self):
        contacts = self.partner | self.other
        first = contacts._record_consent(
            "newsletter", "email", True, source="ticketing", reference="ORDER-2041"
        )
        replay = contacts._record_consent(
            "newsletter", "email", True, source="ticketing", reference="ORDER-2041"
        )
        self.assertEqual(len(first), 2)
        self.assertFalse(replay)
        self.assertEqual(set(first.mapped("source_reference")), {"ORDER-2041"})

    def test_ticketing_consent_needs_its_order_reference(self):
        with self.assertRaisesRegex(ValidationError, "reference"):
            self.partner._record_consent("newsletter", "email", True, source="ticketing")

    def test_unknown_purpose_is_refused(self):
        with self.assertRaisesRegex(UserError, "no consent purpose"):
            self.partner._record_consent("telepathy", "email", True)

    def test_consent_change_is_tracked_on_the_contact(self):
        # Odoo tracks no changes on a record created in the same transaction: end that
        # transaction's tracking as a commit would, then record the consent.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.partner._record_consent("newsletter", "email", True)
        self.env.flush_all()
        self.env.cr.precommit.run()
        # Reading tracking values is an admin right; staff see them in the chatter.
        tracked = self.partner.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "culture_granted_purpose_ids"
        )
        self.assertEqual(tracked.new_value_char, "Newsletter")

    def test_blacklisted_address_gets_no_mailing_despite_consent(self):
        self.env["mail.blacklist"].sudo()._add("femke@example.nl")
        (self.partner | self.other)._record_consent("newsletter", "email", True)
        self.assertTrue(self.partner.is_blacklisted)
        domain = self.env["culture.consent"]._consenting_partner_domain(self.newsletter)
        mailing = (
            self.env["mailing.mailing"]
            .with_user(self.mailer)
            .create(
                {
                    "subject": "Nieuwsbrief",
                    "body_html": "<p>Hallo</p>",
                    "mailing_model_id": self.env.ref("base.model_res_partner").id,
                    "mailing_domain": repr(
                        [*domain, ("id", "in", (self.partner | self.other).ids)]
                    ),
                }
            )
        )
        # Queue the mails instead of sending them at once: no SMTP server here.
        self.env["ir.config_parameter"].sudo().set_param("mail.mail.force.send.limit", 0)
        mailing.action_send_mail()
        status = {
            trace.res_id: (trace.trace_status, trace.failure_type)
            for trace in mailing.sudo().mailing_trace_ids
        }
        self.assertEqual(status[self.partner.id], ("cancel", "mail_bl"))
        self.assertEqual(status[self.other.id], ("outgoing", False))
