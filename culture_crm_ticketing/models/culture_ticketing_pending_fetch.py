# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class CultureTicketingPendingFetch(models.Model):
    """An order a webhook announced and the sync has yet to fetch.

    pretix webhooks carry no order data and arrive at least once, in any order, while
    pretix waits for the answer: the endpoint only notes (backend, event, code) here and
    wakes the backend's scheduled action, which fetches the order itself. A repeated
    webhook bumps ``requested_at`` of the same row; the sync deletes a row only if it was
    not bumped after the sync read it, so no announcement is lost.
    """

    _name = "culture.ticketing.pending.fetch"
    _description = "Ticketing Order to Fetch"
    _order = "requested_at, id"
    _rec_name = "order_code"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", readonly=True, index=True
    )
    event_slug = fields.Char(string="Event", required=True, readonly=True)
    order_code = fields.Char(required=True, readonly=True)
    action = fields.Char(readonly=True, help="The webhook's action, e.g. pretix.event.order.paid")
    requested_at = fields.Datetime(required=True, readonly=True)
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "order_unique",
            "unique(backend_id, event_slug, order_code)",
            "An order waits to be fetched once.",
        ),
    ]

    def _note(self, backend_id, event_slug, order_code, action):
        """Record (or refresh) one announcement in a single statement, race-free."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO culture_ticketing_pending_fetch
                    (backend_id, event_slug, order_code, action, requested_at, attempts,
                     create_uid, create_date, write_uid, write_date)
                VALUES (%(backend)s, %(event)s, %(code)s, %(action)s,
                        clock_timestamp() AT TIME ZONE 'UTC', 0,
                        %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (backend_id, event_slug, order_code) DO UPDATE
                   SET requested_at = EXCLUDED.requested_at, action = EXCLUDED.action,
                       write_date = EXCLUDED.write_date
                """,
                backend=backend_id,
                event=event_slug,
                code=order_code,
                action=action,
                uid=self.env.uid,
            )
        )
