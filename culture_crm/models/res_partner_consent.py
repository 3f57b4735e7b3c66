# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

# A consent being drafted in the form has no id yet; it is the newest one.
_UNSAVED = float("inf")


class ResPartner(models.Model):
    _inherit = "res.partner"

    culture_consent_ids = fields.One2many(
        "culture.consent", "partner_id", string="Consent History", copy=False
    )
    culture_current_consent_ids = fields.One2many(
        "culture.consent",
        string="Current Consent",
        compute="_compute_culture_current_consent_ids",
        help="The latest answer of the contact per purpose and channel.",
    )
    culture_granted_purpose_ids = fields.Many2many(
        "culture.consent.purpose",
        "res_partner_culture_granted_purpose_rel",
        "partner_id",
        "purpose_id",
        string="Consents To",
        compute="_compute_culture_granted_purpose_ids",
        store=True,
        tracking=True,
        help="Purposes the contact currently consents to on at least one channel.",
    )

    def _culture_latest_consents(self):
        """{(purpose, channel): latest consent} of this contact, unsaved ones included."""
        self.ensure_one()
        latest = {}
        for consent in self.culture_consent_ids.sorted(
            lambda consent: (consent.date, consent._origin.id or _UNSAVED)
        ):
            latest[consent.purpose_id, consent.channel] = consent
        return latest

    @api.depends(
        "culture_consent_ids.state",
        "culture_consent_ids.date",
        "culture_consent_ids.purpose_id",
        "culture_consent_ids.channel",
    )
    def _compute_culture_current_consent_ids(self):
        consents = self.env["culture.consent"]
        for partner in self:
            partner.culture_current_consent_ids = consents.union(
                *partner._culture_latest_consents().values()
            )

    @api.depends(
        "culture_consent_ids.state",
        "culture_consent_ids.date",
        "culture_consent_ids.purpose_id",
        "culture_consent_ids.channel",
    )
    def _compute_culture_granted_purpose_ids(self):
        # Many2many values are written as they are assigned: once per distinct value.
        purposes = self.env["culture.consent.purpose"]
        partners_by_value = defaultdict(list)
        for partner in self:
            granted = purposes.union(
                *(
                    purpose
                    for (purpose, _channel), consent in partner._culture_latest_consents().items()
                    if consent.state == "granted"
                )
            )
            partners_by_value[granted].append(partner.id)
        for granted, partner_ids in partners_by_value.items():
            self.browse(partner_ids).culture_granted_purpose_ids = granted

    def _culture_consent_state(self, purpose_code, channel="email"):
        """'granted', 'withdrawn', or False when the contact never answered."""
        self.ensure_one()
        for (purpose, consent_channel), consent in self._culture_latest_consents().items():
            if purpose.code == purpose_code and consent_channel == channel:
                return consent.state
        return False

    def _record_consent(
        self,
        purpose_code,
        channel="email",
        granted=True,
        source="manual",
        reference=None,
        date=None,
        proof=None,
    ):
        """Record one answer for each of these contacts; the way other modules add consent.

        A ticketing sync calls it once per batch of orders, a web form once per submission.
        Replaying the same answer with the same reference (a re-synced order) records
        nothing twice.

        :param purpose_code: code of a culture.consent.purpose, e.g. 'newsletter'
        :param channel: 'email', 'post', 'phone' or 'sms', or a list of them
        :param granted: True for consent given, False for a withdrawal
        :param source: 'manual', 'web_form', 'ticketing' or 'import'
        :param reference: the order number or submission id the answer came from;
            required with source 'ticketing'
        :param date: when the contact answered (default: now)
        :param proof: what the contact saw and answered
        :return: the culture.consent records created
        """
        purpose = (
            self.env["culture.consent.purpose"]
            .with_context(active_test=False)
            .search([("code", "=", purpose_code)], limit=1)
        )
        if not purpose:
            raise UserError(
                self.env._("There is no consent purpose with code '%(code)s'.", code=purpose_code)
            )
        channels = [channel] if isinstance(channel, str) else list(channel)
        state = "granted" if granted else "withdrawn"
        Consent = self.env["culture.consent"]
        already = set()
        if reference:
            already = {
                (consent.partner_id.id, consent.channel)
                for consent in Consent.search(
                    [
                        ("partner_id", "in", self.ids),
                        ("purpose_id", "=", purpose.id),
                        ("channel", "in", channels),
                        ("state", "=", state),
                        ("source", "=", source),
                        ("source_reference", "=", reference),
                    ]
                )
            }
        return Consent.create(
            [
                {
                    "partner_id": partner.id,
                    "purpose_id": purpose.id,
                    "channel": one_channel,
                    "state": state,
                    "source": source,
                    "source_reference": reference,
                    "date": date or fields.Datetime.now(),
                    "proof": proof,
                }
                for partner in self
                for one_channel in channels
                if (partner.id, one_channel) not in already
            ]
        )
