# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.osv import expression


class MailingMailing(models.Model):
    """A mass mailing made from a target group selects the group's contacts with the
    consent of its purpose; that consent is checked again when it is sent, so a
    withdrawal between drafting and sending counts, and editing the filter by hand
    cannot drop it. The blacklist stays mass_mailing's own business."""

    _inherit = "mailing.mailing"

    culture_target_group_id = fields.Many2one(
        "culture.target.group",
        string="Target Group",
        ondelete="set null",
        index="btree_not_null",
    )
    culture_consent_purpose_id = fields.Many2one(
        "culture.consent.purpose",
        string="Consent Purpose",
        compute="_compute_culture_consent_purpose_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        help="Only contacts who currently consent to this purpose on this mailing's "
        "channel receive it; checked again at sending.",
    )

    @api.depends("culture_target_group_id")
    def _compute_culture_consent_purpose_id(self):
        for mailing in self:
            mailing.culture_consent_purpose_id = (
                mailing.culture_target_group_id.consent_purpose_id
                or mailing.culture_consent_purpose_id
            )

    # The dependencies of mass_mailing's compute, plus ours.
    @api.depends(
        "mailing_model_id",
        "contact_list_ids",
        "mailing_type",
        "mailing_filter_id",
        "culture_target_group_id",
        "culture_consent_purpose_id",
    )
    def _compute_mailing_domain(self):
        result = super()._compute_mailing_domain()
        for mailing in self:
            if (
                mailing.culture_target_group_id
                and mailing.mailing_model_real == "res.partner"
                and not mailing.mailing_filter_id
            ):
                mailing.mailing_domain = repr(
                    mailing.culture_target_group_id._mailing_domain(
                        mailing.culture_consent_purpose_id, channel=mailing._culture_channel()
                    )
                )
        return result

    def _culture_channel(self):
        self.ensure_one()
        return "sms" if self.mailing_type == "sms" else "email"

    def _get_recipients_domain(self):
        domain = super()._get_recipients_domain()
        if self.culture_consent_purpose_id and self.mailing_model_real == "res.partner":
            domain = expression.AND(
                [
                    domain,
                    self.env["culture.target.group"]._consent_domain(
                        self.culture_consent_purpose_id, channel=self._culture_channel()
                    ),
                ]
            )
        return domain
