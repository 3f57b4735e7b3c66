# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import api, fields, models
from odoo.tools import SQL

ISSUE_STATES = [("open", "Open"), ("resolved", "Resolved")]


class CultureTicketingSyncIssue(models.Model):
    """A record the sync could not import: its payload, the error, and a way to retry.

    One open issue per (backend, external id): a record that keeps failing updates its
    issue instead of piling up copies, and the same failure replayed changes nothing. An
    issue resolves itself when a later sync imports the record; 'Replay' retries it at
    once, after a fix.
    """

    _name = "culture.ticketing.sync.issue"
    _description = "Ticketing Sync Issue"
    _order = "state, last_seen desc, id desc"
    _rec_name = "external_id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", readonly=True, index=True
    )
    external_id = fields.Char(
        string="Record", readonly=True, help="The failing order's id, or the file row."
    )
    kind = fields.Selection(
        [("order", "Order"), ("performance", "Performance")],
        default="order",
        required=True,
        readonly=True,
    )
    error = fields.Text(readonly=True)
    payload = fields.Json(string="Raw Payload", readonly=True)
    payload_text = fields.Text(string="Payload", compute="_compute_payload_text")
    state = fields.Selection(ISSUE_STATES, default="open", required=True, readonly=True, index=True)
    first_seen = fields.Datetime(string="First Failed", default=fields.Datetime.now, readonly=True)
    last_seen = fields.Datetime(
        string="Last Changed",
        default=fields.Datetime.now,
        readonly=True,
        help="When the record last failed with another error or payload.",
    )
    resolved_at = fields.Datetime(readonly=True)

    def init(self):
        # One open issue per record; resolved ones are history and may repeat.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS culture_ticketing_sync_issue_open_unique "
                "ON %s (backend_id, external_id) WHERE state = 'open'",
                SQL.identifier(self._table),
            )
        )

    @api.depends("payload")
    def _compute_payload_text(self):
        for issue in self:
            issue.payload_text = (
                json.dumps(issue.payload, indent=2, ensure_ascii=False, sort_keys=True)
                if issue.payload
                else False
            )

    def action_resolve(self):
        self.check_access("write")
        self.filtered(lambda issue: issue.state == "open").write(
            {"state": "resolved", "resolved_at": fields.Datetime.now()}
        )

    def action_replay(self):
        """Retry these records now, through the same pipeline as a sync."""
        self.check_access("write")
        from ..sync.runner import SyncRunner

        replayed = failed = 0
        for backend in self.filtered(lambda issue: issue.state == "open").backend_id:
            issues = self.filtered(lambda issue, b=backend: issue.backend_id == b)
            outcome = SyncRunner(backend.sudo()).replay_issues(issues.sudo())
            replayed += outcome.orders_seen
            failed += outcome.failed
        self.invalidate_recordset()
        resolved = len(self.filtered(lambda issue: issue.state == "resolved"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if not failed else "warning",
                "message": self.env._(
                    "%(resolved)s of %(total)s issues resolved; %(failed)s still fail.",
                    resolved=resolved,
                    total=len(self),
                    failed=failed,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
