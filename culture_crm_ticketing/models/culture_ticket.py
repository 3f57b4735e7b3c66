# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

TICKET_STATES = [("pending", "Pending"), ("valid", "Valid"), ("canceled", "Canceled")]


class CultureTicket(models.Model):
    """One admission to a performance: a pretix order position, an export's ticket row.

    Bound by (backend, external id). ``partner_id`` is the visitor: the attendee's own
    contact when the backend matches attendees, otherwise the buyer. Only valid tickets
    (of paid orders, not canceled) count as visits, revenue and audience roles.
    """

    _name = "culture.ticket"
    _description = "Ticket"
    _order = "event_begin desc, id desc"
    _rec_name = "external_id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", readonly=True
    )
    external_id = fields.Char(string="Ticket ID", required=True, readonly=True)
    order_id = fields.Many2one(
        "culture.ticket.order", required=True, ondelete="cascade", readonly=True, index=True
    )
    event_id = fields.Many2one(
        "event.event", string="Performance", readonly=True, index=True, ondelete="restrict"
    )
    event_begin = fields.Datetime(
        related="event_id.date_begin", string="Performance Date", store=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Visitor", index=True, readonly=True, ondelete="restrict"
    )
    buyer_id = fields.Many2one(related="order_id.partner_id", string="Buyer")
    state = fields.Selection(TICKET_STATES, required=True, readonly=True)
    ticket_type = fields.Char(readonly=True)
    price = fields.Monetary(readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    attendee_name = fields.Char(readonly=True)
    attendee_email = fields.Char(readonly=True)

    # (backend_id, external_id) is unique, so its index also serves "tickets of a backend";
    # no index on state: three values, always read with the order, visitor or performance.
    _sql_constraints = [
        (
            "external_id_unique",
            "unique(backend_id, external_id)",
            "A ticket of a ticketing backend is imported once.",
        ),
    ]

    @api.depends("external_id", "event_id")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = " - ".join(
                part for part in (ticket.event_id.name, ticket.external_id) if part
            )
