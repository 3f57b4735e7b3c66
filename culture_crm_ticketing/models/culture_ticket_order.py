# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.culture_crm.matching import normalise
from odoo.exceptions import AccessError

ORDER_STATES = [
    ("pending", "Pending"),
    ("paid", "Paid"),
    ("canceled", "Canceled"),
    ("refunded", "Refunded"),
    ("expired", "Expired"),
    ("deleted", "Deleted"),
]
MATCH_METHODS = [
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("fuzzy", "Similar Name and Address"),
    ("new", "New Contact"),
    ("manual", "Chosen by a Steward"),
]
MATCH_STATES = [("confirmed", "Confirmed"), ("review", "To Review")]
MANAGER = "culture_crm_ticketing.group_culture_ticketing_manager"
# What a steward may change on an order: who bought it. The rest is the ticketing system's.
STEWARD_FIELDS = {"partner_id"}


class CultureTicketOrder(models.Model):
    """An order of a ticketing system, bound to it by (backend, external id).

    Its fields mirror the ticketing system and are written only by the sync; the buyer's
    contact is the CRM's own judgement (match method and confidence), which a steward may
    correct while the match is under review.
    """

    _name = "culture.ticket.order"
    _description = "Ticket Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "placed_at desc, id desc"
    _rec_name = "external_id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    external_id = fields.Char(string="Order Code", required=True, readonly=True)
    active = fields.Boolean(default=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Buyer", index=True, ondelete="restrict", tracking=True
    )
    state = fields.Selection(ORDER_STATES, required=True, readonly=True)
    placed_at = fields.Datetime(string="Placed", readonly=True)
    paid_at = fields.Datetime(string="Paid", readonly=True)
    modified_at = fields.Datetime(
        string="Modified in Ticketing", readonly=True, help="The ticketing system's version."
    )
    total = fields.Monetary(readonly=True)
    refunded_amount = fields.Monetary(
        string="Refunded", readonly=True, help="Money returned to the buyer so far."
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    testmode = fields.Boolean(string="Test Mode", readonly=True)
    ticket_ids = fields.One2many("culture.ticket", "order_id", string="Tickets", readonly=True)
    ticket_count = fields.Integer(compute="_compute_ticket_count")

    # The buyer as the ticketing system gave them: what the match was made on.
    buyer_name = fields.Char(readonly=True)
    buyer_email = fields.Char(readonly=True)
    buyer_phone = fields.Char(readonly=True)
    buyer_zip = fields.Char(string="Buyer Postcode", readonly=True)
    buyer_city = fields.Char(readonly=True)

    match_method = fields.Selection(MATCH_METHODS, readonly=True)
    match_confidence = fields.Float(
        readonly=True, digits=(3, 2), help="1.0: certain; lower: how alike the contacts were."
    )
    match_state = fields.Selection(
        MATCH_STATES,
        readonly=True,
        help="To review: the buyer could be more than one contact. The order is linked to "
        "the likeliest one until a steward confirms or corrects it.",
    )
    match_candidate_ids = fields.Many2many(
        "res.partner",
        "culture_ticket_order_match_candidate_rel",
        "order_id",
        "partner_id",
        string="Candidates",
        readonly=True,
    )
    consent_answers = fields.Json(readonly=True, help="The consent questions the buyer answered.")
    valid_ticket_count = fields.Integer(
        string="Valid Tickets", readonly=True, help="Tickets of this order that admit someone."
    )
    valid_ticket_amount = fields.Monetary(
        string="Valid Tickets Amount", readonly=True, help="What those tickets cost together."
    )
    fingerprint = fields.Char(readonly=True, copy=False)

    # The unique (backend_id, external_id) index also serves "orders of a backend".
    _sql_constraints = [
        (
            "external_id_unique",
            "unique(backend_id, external_id)",
            "An order of a ticketing backend is imported once.",
        ),
    ]

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        counts = dict(
            self.env["culture.ticket"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.ticket_count = counts.get(order, 0)

    @api.depends("external_id", "backend_id")
    def _compute_display_name(self):
        for order in self:
            order.display_name = f"{order.backend_id.name or ''} {order.external_id or ''}".strip()

    # --- steward review --------------------------------------------------------------------
    def action_confirm_match(self):
        """The steward agrees: the linked contact is the buyer."""
        self.check_access("write")
        for order in self.filtered(lambda order: order.match_state == "review"):
            order._settle_match(order.partner_id, "manual" if order.partner_id else "new")
        return True

    def action_new_contact(self):
        """The steward decides the buyer is nobody the CRM knows yet."""
        self.check_access("write")
        for order in self.filtered(lambda order: order.match_state == "review"):
            partner = self.env["res.partner"].create(order._buyer_partner_values())
            order._settle_match(partner, "new")
        return True

    def _buyer_partner_values(self):
        return {
            "name": normalise.display_person_name(self.buyer_name)
            or self.buyer_email
            or self.external_id,
            "email": self.buyer_email,
            "phone": self.buyer_phone,
            "zip": self.buyer_zip,
            "city": self.buyer_city,
        }

    def _settle_match(self, partner, method):
        # The caller checked that the user may write orders; what follows (tickets,
        # figures, roles) is the sync's bookkeeping, which users may not do by hand.
        order = self.sudo()
        previous = order.partner_id
        order.with_context(culture_ticketing_sync=True).write(
            {
                "partner_id": partner.id,
                "match_method": method,
                "match_confidence": 1.0,
                "match_state": "confirmed",
                "match_candidate_ids": [fields.Command.clear()],
            }
        )
        order.ticket_ids.filtered(lambda ticket: ticket.partner_id == previous).write(
            {"partner_id": partner.id}
        )
        order.activity_unlink(["culture_crm_ticketing.mail_activity_review_match"])
        order.env["res.partner"].browse((previous | partner).ids)._refresh_audience()

    def write(self, vals):
        sync = self.env.context.get("culture_ticketing_sync")
        # Chatter and activities keep working for everyone who may read the order.
        own_fields = {name for name in vals if not name.startswith(("message_", "activity_"))}
        if (
            not sync
            and not self.env.su
            and own_fields - STEWARD_FIELDS
            and not self.env.user.has_group(MANAGER)
        ):
            raise AccessError(
                self.env._(
                    "Orders come from the ticketing system: here only their buyer can be "
                    "corrected."
                )
            )
        # A steward linking another contact during review is the steward's choice.
        if "partner_id" in vals and not sync:
            moved = self.filtered(lambda order: order.partner_id.id != vals["partner_id"])
            previous = {order.id: order.partner_id for order in moved}
            result = super().write(vals)
            for order in moved.sudo():
                order.ticket_ids.filtered(
                    lambda ticket, old=previous[order.id]: ticket.partner_id == old
                ).write({"partner_id": order.partner_id.id})
                if order.match_state == "review":
                    order.with_context(culture_ticketing_sync=True).match_method = "manual"
            partners = self.env["res.partner"].union(*previous.values()) | moved.partner_id
            partners.sudo()._refresh_audience()
            return result
        return super().write(vals)

    def action_open_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets"),
            "res_model": "culture.ticket",
            "view_mode": "list,form",
            "domain": [("order_id", "=", self.id)],
            "context": {"create": False},
        }
