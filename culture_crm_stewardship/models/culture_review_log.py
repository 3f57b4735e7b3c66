# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .culture_reviewable_mixin import REVIEW_OUTCOMES


class CultureReviewLog(models.Model):
    """One review or retention decision: who, when, on what, with which outcome.

    Lines are written by ``_mark_reviewed`` and the retention decisions only, and never
    changed afterwards: they are the evidence that the data was looked after.
    """

    _name = "culture.review.log"
    _description = "Review Log"
    _order = "date desc, id desc"
    _rec_name = "record_display_name"

    res_model = fields.Char(string="Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        compute="_compute_partner_id",
        store=True,
        index=True,
        ondelete="cascade",
    )
    record_display_name = fields.Char(string="Record", compute="_compute_record_display_name")
    reviewer_id = fields.Many2one(
        "res.users", string="Reviewed By", required=True, readonly=True, index=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    outcome = fields.Selection(REVIEW_OUTCOMES, required=True, readonly=True)
    note = fields.Text(readonly=True)
    due_date = fields.Date(
        string="Was Due On", readonly=True, help="The next review date before this review."
    )
    on_time = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="Reviewed on or before the date it was due.",
    )
    data_domain_ids = fields.Many2many(
        "culture.data.domain",
        "culture_review_log_data_domain_rel",
        "review_log_id",
        "data_domain_id",
        string="Data Domains",
        readonly=True,
        help="The domains the record was in when it was reviewed.",
    )

    @api.depends("res_model", "res_id")
    def _compute_partner_id(self):
        for log in self:
            log.partner_id = (
                self.env["res.partner"].browse(log.res_id)
                if log.res_model == "res.partner"
                else False
            )

    @api.depends("date", "due_date")
    def _compute_on_time(self):
        for log in self:
            log.on_time = bool(log.due_date) and (
                fields.Date.context_today(log, log.date) <= log.due_date
            )

    @api.depends("res_model", "res_id")
    def _compute_record_display_name(self):
        for log in self:
            record = self.env[log.res_model].sudo().browse(log.res_id).exists()
            log.record_display_name = record.display_name if record else f"#{log.res_id}"
