# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..pipeline.audience import LAPSED, LOST, LOYAL, NEW, RETURNING
from ..sync.audience import AudienceCalculator
from ..sync.identity import DefaultsOnce

AUDIENCE_FIELDS = [
    "audience_first_visit",
    "audience_last_visit",
    "audience_next_visit",
    "audience_last_activity",
    "audience_visits_12m",
    "audience_visits_total",
    "audience_order_count",
    "audience_revenue",
    "audience_ticket_count",
    "audience_avg_ticket_price",
    "audience_genre_ids",
    "audience_top_genre_id",
    "audience_recency_score",
    "audience_frequency_score",
    "audience_monetary_score",
    "audience_rfm",
    "audience_segment",
]
SEGMENTS = [
    (NEW, "New"),
    (RETURNING, "Returning"),
    (LOYAL, "Loyal"),
    (LAPSED, "Lapsed"),
    (LOST, "Lost"),
]


class ResPartner(models.Model):
    """Audience knowledge on the contact, from the tickets they bought and used.

    The figures are stored (so target groups can filter and group on them) and written
    by ``sync.audience.AudienceCalculator`` in a few queries for many contacts at once:
    the sync refreshes the contacts its batches touched once they are done (through
    ``culture.ticketing.pending.refresh``), a nightly action everyone's
    (recency moves with the calendar, and the RFM quintiles with the whole audience).
    They are not ORM-computed on purpose: one order would otherwise recompute its buyer
    on every write, every new contact would be computed at its creation for nothing,
    and each refresh would touch the contact's write date (which the duplicate scan
    reads as 'this contact changed').
    """

    _inherit = "res.partner"

    culture_ticket_order_ids = fields.One2many(
        "culture.ticket.order", "partner_id", string="Ticket Orders"
    )
    culture_ticket_ids = fields.One2many("culture.ticket", "partner_id", string="Tickets")
    culture_ticket_order_count = fields.Integer(
        string="Ticket Order Count", compute="_compute_culture_ticket_counts"
    )
    culture_ticket_count = fields.Integer(
        string="Ticket Count", compute="_compute_culture_ticket_counts"
    )
    zip_area = fields.Char(
        string="Postcode Area",
        compute="_compute_zip_area",
        store=True,
        index=True,
        help="The first two digits of the postcode.",
    )

    audience_first_visit = fields.Date(string="First Visit", readonly=True, copy=False)
    audience_last_visit = fields.Date(string="Last Visit", readonly=True, copy=False)
    audience_next_visit = fields.Date(
        string="Next Visit",
        readonly=True,
        copy=False,
        help="The next performance this contact holds a valid ticket for.",
    )
    audience_last_activity = fields.Date(
        string="Last Ticket Activity",
        readonly=True,
        copy=False,
        help="The latest of the last visit, the next visit and the last paid order.",
    )
    audience_visits_12m = fields.Integer(
        string="Visits (12 Months)",
        readonly=True,
        copy=False,
        aggregator="sum",
        help="Performances attended in the last 12 months.",
    )
    audience_visits_total = fields.Integer(
        string="Visits (Lifetime)", readonly=True, copy=False, aggregator="sum"
    )
    audience_order_count = fields.Integer(
        string="Paid Orders", readonly=True, copy=False, aggregator="sum"
    )
    audience_revenue = fields.Float(
        string="Ticket Revenue",
        readonly=True,
        copy=False,
        aggregator="sum",
        digits="Product Price",
    )
    audience_ticket_count = fields.Integer(
        string="Valid Tickets Bought", readonly=True, copy=False, aggregator="sum"
    )
    audience_avg_ticket_price = fields.Float(
        string="Average Ticket Price",
        readonly=True,
        copy=False,
        aggregator="avg",
        digits="Product Price",
    )
    audience_genre_ids = fields.Many2many(
        "event.tag",
        "res_partner_audience_genre_rel",
        "partner_id",
        "tag_id",
        string="Favourite Genres",
        readonly=True,
        copy=False,
        help="The genres of the performances this contact attended, most recent weighing "
        "most (the weight halves every year).",
    )
    audience_top_genre_id = fields.Many2one(
        "event.tag",
        string="Favourite Genre",
        readonly=True,
        copy=False,
    )
    audience_recency_score = fields.Integer(
        string="Recency Score", readonly=True, copy=False, aggregator="avg"
    )
    audience_frequency_score = fields.Integer(
        string="Frequency Score", readonly=True, copy=False, aggregator="avg"
    )
    audience_monetary_score = fields.Integer(
        string="Monetary Score", readonly=True, copy=False, aggregator="avg"
    )
    audience_rfm = fields.Char(
        string="RFM",
        readonly=True,
        copy=False,
        help="Recency, frequency and monetary scores, 1 to 5 each (555 is the best).",
    )
    audience_segment = fields.Selection(
        SEGMENTS,
        readonly=True,
        copy=False,
        help="New: first visit less than 12 months ago. Loyal: 3 or more visits in the last "
        "12 months. Returning: came back, less often. Lapsed: no visit for 18 months. "
        "Lost: no visit for 36 months.",
    )

    @api.depends("zip")
    def _compute_zip_area(self):
        for partner in self:
            digits = "".join(ch for ch in (partner.zip or "") if ch.isdigit())
            partner.zip_area = digits[:2] if len(digits) >= 2 else False

    def _add_missing_default_values(self, values):
        # The sync's new contacts of one batch share their defaults (sync/identity.py).
        once = self.env.context.get(DefaultsOnce.CONTEXT_KEY)
        if once is None:
            return super()._add_missing_default_values(values)
        return once.complete(values, super()._add_missing_default_values)

    def _compute_culture_ticket_counts(self):
        orders = dict(
            self.env["culture.ticket.order"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        tickets = dict(
            self.env["culture.ticket"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.culture_ticket_order_count = orders.get(partner, 0)
            partner.culture_ticket_count = tickets.get(partner, 0)

    def _refresh_audience(self):
        """Recompute the figures and the ticketing roles of these contacts now."""
        partners = self.exists()
        if not partners:
            return
        AudienceCalculator(self.env).refresh(partners.ids)
        partners.invalidate_recordset(AUDIENCE_FIELDS)
        self.env["culture.role.rule"].sudo()._apply_ticketing_rules(partners.ids)

    @api.model
    def _cron_refresh_audience(self, chunk=5000):
        """Nightly: measure the audience's quintiles, then rescore everyone who has a
        ticket history (or had one)."""
        calculator = AudienceCalculator(self.env)
        calculator.store_cuts(calculator.measure_cuts())
        self.env.cr.execute(
            """
            SELECT id FROM res_partner WHERE audience_segment IS NOT NULL
            UNION SELECT partner_id FROM culture_ticket_order WHERE partner_id IS NOT NULL
            UNION SELECT partner_id FROM culture_ticket WHERE partner_id IS NOT NULL
            ORDER BY 1
            """
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), chunk):
            self.browse(ids[start : start + chunk])._refresh_audience()
            if self.env.context.get("cron_id"):
                # A night's work on a large audience: keep each chunk once it is done.
                self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.invalidate_all(flush=True)
        return len(ids)

    def action_open_culture_ticket_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ticket Orders"),
            "res_model": "culture.ticket.order",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False, "active_test": False},
        }

    def action_open_culture_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets"),
            "res_model": "culture.ticket",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False},
        }
