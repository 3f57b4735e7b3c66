# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast

from odoo import api, fields, models
from odoo.exceptions import UserError


class CultureRetentionWizard(models.TransientModel):
    """The steward's retention decision for one or many contacts."""

    _name = "culture.retention.wizard"
    _description = "Retention Decision"

    partner_ids = fields.Many2many("res.partner", string="Contacts", required=True)
    partner_count = fields.Integer(compute="_compute_partner_count")
    decision = fields.Selection(
        [
            ("keep", "Keep: there is a reason to keep the data"),
            ("archive", "Archive: hide the contacts, keep their data"),
            ("anonymise", "Anonymise: remove the personal data for good"),
        ],
        required=True,
        default="keep",
    )
    reason = fields.Text(
        help="Why: the legal ground to keep, or the reason to archive or anonymise."
    )
    hold_until = fields.Date(string="Keep Until")
    confirm_irreversible = fields.Boolean(
        string="I understand this cannot be undone",
        help="Anonymisation deletes names, addresses, messages and attachments for good.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "partner_ids" in fields_list and not values.get("partner_ids"):
            active_ids = self.env.context.get("active_ids") or []
            if isinstance(active_ids, str):
                active_ids = ast.literal_eval(active_ids)
            values["partner_ids"] = [fields.Command.set(active_ids)]
        return values

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for wizard in self:
            wizard.partner_count = len(wizard.partner_ids)

    def action_confirm(self):
        self.ensure_one()
        partners = self.partner_ids
        if self.decision == "keep":
            partners._retention_keep(self.reason, self.hold_until)
            message = self.env._(
                "%(count)s kept until %(day)s.", count=len(partners), day=self.hold_until
            )
        elif self.decision == "archive":
            partners._retention_archive(self.reason)
            message = self.env._("%(count)s archived.", count=len(partners))
        else:
            if not self.confirm_irreversible:
                raise UserError(
                    self.env._("Tick 'I understand this cannot be undone' to anonymise.")
                )
            partners._retention_anonymise(self.reason)
            message = self.env._("%(count)s anonymised.", count=len(partners))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
