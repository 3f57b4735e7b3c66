# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CultureRoleRule(models.Model):
    """Gives and ends a role from data, so nobody has to type it.

    A rule names a relation type and decides which contacts qualify. Contacts that
    qualify and hold no current role of that type from this rule get one (source 'rule',
    or the source the rule kind declares); contacts that no longer qualify see the role
    this rule gave them end today. Manual roles are never touched.

    The kind 'domain' qualifies the contacts matching a saved filter. Other modules add
    kinds with ``selection_add`` and a method ``_qualifying_partner_ids_<kind>`` (the
    ticketing module adds 'a paid ticket in the last N months').
    """

    _name = "culture.role.rule"
    _description = "Derived Role Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    relation_type_id = fields.Many2one(
        "culture.relation.type", string="Gives Role", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [("domain", "Contacts matching a filter")], required=True, default="domain"
    )
    partner_domain = fields.Char(
        string="Contacts Filter",
        default="[]",
        help="Contacts matching this filter hold the role while they match.",
    )
    role_source = fields.Selection(
        selection=lambda self: self.env["culture.partner.role"]._fields["source"].selection,
        default="rule",
        required=True,
    )
    role_ids = fields.One2many("culture.partner.role", "rule_id", string="Given Roles")
    last_run = fields.Datetime(readonly=True)

    @api.constrains("partner_domain", "kind")
    def _check_partner_domain(self):
        for rule in self.filtered(lambda rule: rule.kind == "domain"):
            try:
                domain = ast.literal_eval(rule.partner_domain or "[]")
                self.env["res.partner"]._where_calc(domain)
            except (ValueError, SyntaxError, TypeError, KeyError) as error:
                raise ValidationError(
                    self.env._(
                        "The filter of rule '%(rule)s' is not a valid contact filter: " "%(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    def _qualifying_partner_ids_domain(self, scope_partner_ids=None):
        domain = ast.literal_eval(self.partner_domain or "[]")
        if scope_partner_ids is not None:
            domain = [("id", "in", list(scope_partner_ids)), *domain]
        return set(self.env["res.partner"].with_context(active_test=True)._search(domain))

    def _qualifying_partner_ids(self, scope_partner_ids=None):
        self.ensure_one()
        return getattr(self, f"_qualifying_partner_ids_{self.kind}")(scope_partner_ids)

    def _role_start_dates(self, partner_ids):
        """{contact id: the day its role from this rule starts} for contacts that
        qualify now and hold no role of the type yet. Kinds that know when a contact
        began to qualify (a first visit) override ``_role_start_dates_<kind>``; without
        it, or for a contact it does not know, the role starts today."""
        self.ensure_one()
        method = getattr(self, f"_role_start_dates_{self.kind}", None)
        return method(partner_ids) if method and partner_ids else {}

    def apply(self, scope_partner_ids=None):
        """Bring the roles of these rules in line with the data.

        :param scope_partner_ids: limit the work to these contacts (a sync batch);
            ``None`` means all contacts.
        :return: dict rule id -> (roles started, roles ended)
        """
        outcome = {}
        for rule in self:
            qualifying = rule._qualifying_partner_ids(scope_partner_ids)
            started, ended = self.env["culture.partner.role"]._sync_derived_roles(
                rule, qualifying, scope_partner_ids
            )
            rule.last_run = fields.Datetime.now()
            outcome[rule.id] = (started, ended)
        return outcome

    @api.model
    def _cron_apply_all(self):
        self.search([]).apply()

    def action_apply_now(self):
        outcome = self.apply()
        started = sum(pair[0] for pair in outcome.values())
        ended = sum(pair[1] for pair in outcome.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(started)s roles given, %(ended)s roles ended.",
                    started=started,
                    ended=ended,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
