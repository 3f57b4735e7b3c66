# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

TICKET_RULE_KIND = "recent_ticket"


class CultureRoleRule(models.Model):
    """Adds the rule kind 'a paid ticket in the last N months' (the Publiek role).

    A contact qualifies as buyer or visitor of a valid ticket (paid order, ticket not
    canceled) whose performance, or whose payment, falls within the last N months (or
    whose performance is still to come).
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
        scope = SQL("")
        if scope_partner_ids is not None:
            scope = SQL("AND partner_id = ANY(%s)", list(scope_partner_ids))
        for model in ("culture.ticket", "culture.ticket.order", "event.event"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH recent AS (
                    SELECT t.partner_id AS visitor_id, o.partner_id AS buyer_id
                      FROM culture_ticket t
                      JOIN culture_ticket_order o ON o.id = t.order_id
                      LEFT JOIN event_event e ON e.id = t.event_id
                     WHERE t.state = 'valid'
                       AND GREATEST(e.date_begin, o.paid_at)
                           >= (now() AT TIME ZONE 'UTC') - make_interval(months => %(months)s)
                )
                SELECT partner_id FROM (
                    SELECT visitor_id AS partner_id FROM recent
                    UNION SELECT buyer_id FROM recent
                ) AS qualifying
                WHERE partner_id IS NOT NULL %(scope)s
                """,
                months=max(self.ticket_months, 0),
                scope=scope,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _apply_ticketing_rules(self, partner_ids=None):
        """Run the ticket rules for these contacts (a sync batch), or everyone."""
        rules = self.search([("kind", "=", TICKET_RULE_KIND)])
        if rules:
            rules.with_context(
                tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            ).apply(scope_partner_ids=partner_ids)
        return rules
