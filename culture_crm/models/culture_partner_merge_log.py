# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import html2plaintext

# Columns that say nothing about the person, only about the row.
UNLOGGED_FIELDS = {
    "id",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
    "display_name",
    "parent_path",
    "message_main_attachment_id",
    "avatar_128",
    "avatar_256",
    "avatar_512",
    "avatar_1024",
    "avatar_1920",
    "image_128",
    "image_256",
    "image_512",
    "image_1024",
    "image_1920",
    "commercial_partner_id",
    "complete_name",
    "phone_sanitized",
    "email_normalized",
    "partner_share",
}
UNLOGGED_PREFIXES = ("match_", "message_", "activity_", "website_message")


class CulturePartnerMergeLog(models.Model):
    """What a merge took away: the merged contact's values, kept on the survivor.

    Odoo's merge fills the survivor's empty fields from the other contact and drops the
    rest. This log keeps every value the merged-away contact had, next to what the
    survivor had before, and the related rows that could not move (a unique constraint
    said the survivor already had one), so nothing disappears silently.
    """

    _name = "culture.partner.merge.log"
    _description = "Contact Merge Log"
    _order = "merge_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Surviving Contact",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    merged_partner_ref = fields.Integer(
        string="Merged Contact ID", readonly=True, help="The id the merged contact had."
    )
    merged_partner_name = fields.Char(string="Merged Contact", readonly=True)
    merge_date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Merged By", default=lambda self: self.env.user, readonly=True
    )
    score = fields.Integer(readonly=True, help="The duplicate score when the pair was merged.")
    reasons = fields.Text(readonly=True)
    merged_values = fields.Json(readonly=True, help="Field name to value of the merged contact.")
    survivor_values = fields.Json(readonly=True, help="The survivor's values before the merge.")
    dropped_records = fields.Json(
        readonly=True,
        help="Related rows of the merged contact that could not move to the survivor.",
    )
    comparison_html = fields.Html(
        string="Values", compute="_compute_comparison_html", sanitize=True
    )

    @api.depends("merged_values", "survivor_values", "dropped_records")
    def _compute_comparison_html(self):
        for log in self:
            log.comparison_html = log._render_comparison()

    def _render_comparison(self):
        self.ensure_one()
        merged = self.merged_values or {}
        survivor = self.survivor_values or {}
        labels = self.env["res.partner"].fields_get(list(merged), ["string"])
        rows = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                labels.get(fname, {}).get("string", fname),
                _plain(merged.get(fname)),
                _plain(survivor.get(fname)),
            )
            for fname in sorted(merged, key=lambda f: labels.get(f, {}).get("string", f))
        )
        table = Markup(
            '<table class="table table-sm o_culture_merge_log"><thead><tr>'
            "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("Field"),
            self.env._("Merged contact"),
            self.env._("Survivor before the merge"),
            rows,
        )
        if self.dropped_records:
            items = Markup().join(
                Markup("<li>%s: %s</li>") % (row.get("model"), _plain(row.get("values")))
                for row in self.dropped_records
            )
            table += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Related records that could not move and were removed:"),
                items,
            )
        return table

    @api.depends("merged_partner_name", "partner_id")
    def _compute_display_name(self):
        for log in self:
            log.display_name = self.env._(
                "%(merged)s merged into %(survivor)s",
                merged=log.merged_partner_name,
                survivor=log.partner_id.display_name,
            )

    @api.model
    def _snapshot(self, partner):
        """The partner's stored values a person typed or chose, as plain JSON."""
        values = {}
        # Odoo's merge copies only the fields the user may read (fields_get); the log
        # keeps the same ones, so it never shows a value the user could not see.
        readable = partner.fields_get(attributes=["type"])
        for fname, field in partner._fields.items():
            if (
                fname not in readable
                or fname in UNLOGGED_FIELDS
                or fname.startswith(UNLOGGED_PREFIXES)
                or not field.store
                or field.type in ("binary", "one2many", "json", "properties")
                or (field.compute and field.readonly)
            ):
                continue
            value = partner[fname]
            if field.type in ("many2one",):
                value = value.display_name if value else False
            elif field.type == "many2many":
                value = ", ".join(value.mapped("display_name")) if value else False
            elif field.type in ("date", "datetime"):
                value = fields.Datetime.to_string(value) if value else False
            elif field.type == "html":
                value = html2plaintext(value) if value else False
            if value not in (False, None, ""):
                values[fname] = value
        return values


def _plain(value):
    if value in (None, False, ""):
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{key}: {val}" for key, val in value.items() if val not in (None, ""))
    return str(value)
