# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

TICKET_RULE_KIND = "recent_ticket"


class CultureRoleRule(models.Model):
    """Adds the rule kind 'a paid ticket in the last N months' (the Publiek role).

    A contact qualifies when, in the last N months, it paid an order or came to a
    performance with a valid ticket, or when it holds a valid ticket for a performance
    still to come.
    """

    _inherit = "culture.role.rule"

    kind = fields.Selection(
        selection_add=[(TICKET_RULE_KIND, "Paid ticket in the last N months")],
        ondelete={TICKET_RULE_KIND: "cascade"},
    )
    ticket_months = fields.Integer(
        string="Months",
        default=24,
        help="How long a paid ticket keeps its buyer and visitor in this role.",
    )

    def _qualifying_partner_ids_recent_ticket(self, scope_partner_ids=None):
        # The contact's audience figures already hold the latest day it bought, came or
        # holds a ticket for (refreshed just before the ticketing rules run), so the
        # rule reads one stored date instead of the ticket history again.
        since = fields.Date.subtract(
            fields.Date.context_today(self), months=max(self.ticket_months, 0)
        )
        self.env["res.partner"].flush_model(["audience_last_activity"])
        scope = SQL()
        if scope_partner_ids is not None:
            scope = SQL("AND id = ANY(%s)", list(scope_partner_ids))
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE audience_last_activity >= %s %s",
                since,
                scope,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _role_start_dates_recent_ticket(self, partner_ids):
        # The audience role starts with the contact's first visit (a first import of
        # years of orders gives long-standing visitors their real 'since'), or today
        # for a buyer whose first performance is still to come.
        self.env["res.partner"].flush_model(["audience_first_visit"])
        self.env.cr.execute(
            "SELECT id, audience_first_visit FROM res_partner "
            "WHERE id = ANY(%s) AND audience_first_visit IS NOT NULL",
            [list(partner_ids)],
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _apply_ticketing_rules(self, partner_ids=None):
        """Run the ticket rules for these contacts (a sync batch), or everyone."""
        rules = self.search([("kind", "=", TICKET_RULE_KIND)])
        if rules:
            rules.with_context(
                tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            ).apply(scope_partner_ids=partner_ids)
        return rules
