# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CultureTicketingPendingRefresh(models.Model):
    """A contact whose audience figures and ticketing roles wait for the end of a sync run.

    A sync batch notes the contacts it touched here, in its own transaction, and the run
    refreshes them once when its batches are done: a buyer whose orders fall in twenty
    batches of a first import is refreshed once, not twenty times (every refresh rewrites
    the contact's row in all of res_partner's indexes). The refresh deletes the rows it
    handled in its own transaction, so a run that is killed, or stopped by its time
    budget, leaves the rest for the next run: no contact misses its figures.
    """

    _name = "culture.ticketing.pending.refresh"
    _description = "Contact Awaiting Audience Refresh"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", readonly=True
    )

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)", "A contact waits for its refresh once."),
    ]

    @api.model
    def _note(self, partner_ids):
        """Queue these contacts (one statement; contacts already waiting stay as they are)."""
        ids = sorted({pid for pid in partner_ids if pid})
        if not ids:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO culture_ticketing_pending_refresh (partner_id) "
                "SELECT unnest(%s::int[]) ON CONFLICT (partner_id) DO NOTHING",
                ids,
            )
        )

    @api.model
    def _refresh_next(self, limit):
        """Refresh up to ``limit`` waiting contacts and take them off the queue.

        :return: how many contacts were refreshed (0 when nothing waits)
        """
        self.env.cr.execute(
            SQL(
                "DELETE FROM culture_ticketing_pending_refresh WHERE partner_id IN ("
                " SELECT partner_id FROM culture_ticketing_pending_refresh"
                " ORDER BY partner_id LIMIT %s FOR UPDATE SKIP LOCKED"
                ") RETURNING partner_id",
                limit,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.env["res.partner"].browse(sorted(ids))._refresh_audience()
        return len(ids)
