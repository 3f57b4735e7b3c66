# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast

from odoo import api, fields, models


class CultureReviewWizard(models.TransientModel):
    """Mark one or many records reviewed, with an outcome and a note."""

    _name = "culture.review.wizard"
    _description = "Mark Reviewed"

    res_model = fields.Char(required=True)
    res_ids = fields.Char(required=True, help="The ids of the records, as a list.")
    record_count = fields.Integer(compute="_compute_record_count")
    outcome = fields.Selection(
        [("confirmed", "Confirmed: the data is right"), ("updated", "Updated: I corrected it")],
        required=True,
        default="confirmed",
    )
    note = fields.Text()

    def _records(self):
        return self.env[self.res_model].browse(ast.literal_eval(self.res_ids or "[]"))

    @api.depends("res_ids")
    def _compute_record_count(self):
        for wizard in self:
            wizard.record_count = len(wizard._records()) if wizard.res_model else 0

    def action_confirm(self):
        self.ensure_one()
        records = self._records()
        records._mark_reviewed(self.outcome, self.note)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s marked reviewed.", count=len(records)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
