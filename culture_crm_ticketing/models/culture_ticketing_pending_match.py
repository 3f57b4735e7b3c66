# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..pipeline.identity import Verdict


class CultureTicketingPendingMatch(models.Model):
    """The contact a buyer or attendee of an order was matched to, waiting for the order.

    A sync batch goes in as two transactions: first its people (identity resolution, new
    contacts: committed), then its orders and tickets, which read their matches here and
    delete them in their own transaction. While one batch's orders are written, the next
    batch's people are matched on another connection.

    A sync killed between the two leaves the matches here, and the next run takes them
    over: each order gets the contact made for it, with the method and confidence of the
    first match, and no buyer becomes a second contact.
    """

    _name = "culture.ticketing.pending.match"
    _description = "Ticketing Match Awaiting Its Order"
    _log_access = False

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", readonly=True
    )
    order_external_id = fields.Char(string="Order ID in the Source", required=True, readonly=True)
    ticket_external_id = fields.Char(
        string="Ticket ID in the Source",
        readonly=True,
        help="Empty for the order's buyer; the ticket of an attendee.",
    )
    partner_id = fields.Many2one("res.partner", string="Contact", ondelete="cascade", readonly=True)
    method = fields.Char(string="Match Method", readonly=True)
    confidence = fields.Float(readonly=True)
    review = fields.Boolean(string="To Review", readonly=True)
    candidate_ids = fields.Char(
        string="Other Candidates",
        readonly=True,
        help="Technical: the ids of the candidate contacts, comma-separated.",
    )
    matched_at = fields.Datetime(readonly=True, default=fields.Datetime.now)

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS culture_ticketing_pending_match_person "
            "ON culture_ticketing_pending_match "
            "(backend_id, order_external_id, COALESCE(ticket_external_id, ''))"
        )

    @api.model
    def _keep(self, backend_id, matches):
        """Keep ``matches``: ``[(order external id, ticket external id or None, Verdict or
        None)]``, in one statement. A person who could not be matched (nothing to match
        on) is kept as such, so the orders step does not match them again."""
        if not matches:
            return
        rows = [
            (
                backend_id,
                order_id,
                ticket_id,
                verdict.partner_id if verdict else None,
                verdict.method if verdict else None,
                verdict.confidence if verdict else 0.0,
                bool(verdict and verdict.review),
                ",".join(map(str, verdict.candidate_ids)) if verdict else None,
            )
            for order_id, ticket_id, verdict in matches
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO culture_ticketing_pending_match
                       (backend_id, order_external_id, ticket_external_id, partner_id, method,
                        confidence, review, candidate_ids, matched_at)
                SELECT r.*, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::int[], %s::varchar[],
                              %s::float8[], %s::bool[], %s::varchar[]) AS r
                ON CONFLICT DO NOTHING
                """,
                *(list(column) for column in zip(*rows, strict=True)),
            )
        )

    @api.model
    def _kept(self, backend_id, order_external_ids):
        """``{(order external id, ticket external id or None): Verdict or None}`` kept for
        these orders (a contact deleted since takes its matches with it)."""
        if not order_external_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT order_external_id, ticket_external_id, partner_id, method, confidence,
                       review, candidate_ids
                  FROM culture_ticketing_pending_match
                 WHERE backend_id = %s AND order_external_id = ANY(%s)
                """,
                backend_id,
                list(order_external_ids),
            )
        )
        found = {}
        for (
            order_id,
            ticket_id,
            partner_id,
            method,
            confidence,
            review,
            candidates,
        ) in self.env.cr.fetchall():
            verdict = None
            if method:
                verdict = Verdict(
                    partner_id,
                    method,
                    confidence,
                    review=review,
                    candidate_ids=tuple(int(c) for c in (candidates or "").split(",") if c),
                )
            found[order_id, ticket_id] = verdict
        return found

    @api.model
    def _forget(self, backend_id, order_external_ids):
        """Delete the matches of these orders (their orders are written)."""
        if not order_external_ids:
            return
        self.env.cr.execute(
            SQL(
                "DELETE FROM culture_ticketing_pending_match "
                "WHERE backend_id = %s AND order_external_id = ANY(%s)",
                backend_id,
                list(order_external_ids),
            )
        )

    @api.model
    def _forget_older_than(self, backend_id, days):
        """Matches no run took over: an order that left the source before it came in."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM culture_ticketing_pending_match WHERE backend_id = %s "
                "AND matched_at < (now() AT TIME ZONE 'UTC') - make_interval(days => %s)",
                backend_id,
                days,
            )
        )
