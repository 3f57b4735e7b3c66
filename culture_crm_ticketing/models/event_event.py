# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class EventEvent(models.Model):
    """A performance is an event; the ticketing backend it came from binds it."""

    _inherit = "event.event"

    ticketing_backend_id = fields.Many2one(
        "culture.ticketing.backend",
        readonly=True,
        ondelete="set null",
        index=True,
        copy=False,
    )
    ticketing_external_id = fields.Char(
        string="Ticketing ID",
        readonly=True,
        copy=False,
        help="The performance's id in the ticketing system (pretix: event or date).",
    )
    ticketing_venue = fields.Char(
        string="Venue (Ticketing)", readonly=True, help="The hall the ticketing system names."
    )
    culture_ticket_ids = fields.One2many("culture.ticket", "event_id", string="Ticketing Tickets")
    culture_ticket_count = fields.Integer(
        string="Tickets Sold", compute="_compute_culture_ticket_count"
    )

    _sql_constraints = [
        (
            "ticketing_external_id_unique",
            "unique(ticketing_backend_id, ticketing_external_id)",
            "A performance of a ticketing backend is imported once.",
        ),
    ]

    def _compute_culture_ticket_count(self):
        counts = dict(
            self.env["culture.ticket"]._read_group(
                [("event_id", "in", self.ids), ("state", "=", "valid")], ["event_id"], ["__count"]
            )
        )
        for event in self:
            event.culture_ticket_count = counts.get(event, 0)

    def action_open_culture_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets Sold"),
            "res_model": "culture.ticket",
            "view_mode": "list,form",
            "domain": [("event_id", "=", self.id)],
            "context": {"create": False},
        }
