# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class CultureDataDomain(models.Model):
    """A part of the relation data with one accountable owner and stewards.

    The scope is a set of relation types (a parent type includes its sub-types). A
    contact falls in every domain one of its current types belongs to, so domains may
    overlap. Membership is stored on the contact (``data_domain_ids``) so record rules
    and lists can use it through an index.
    """

    _name = "culture.data.domain"
    _description = "Data Domain"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    description = fields.Text(help="What this part of the data is for, and who uses it.")
    owner_id = fields.Many2one(
        "res.users",
        string="Data Owner",
        required=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="Accountable for this data: decides on its rules, stewards and retention.",
    )
    steward_ids = fields.Many2many(
        "res.users",
        "culture_data_domain_steward_rel",
        "data_domain_id",
        "user_id",
        string="Stewards",
        domain=[("share", "=", False)],
        help="Keep the data of this domain right, and review it.",
    )
    relation_type_ids = fields.Many2many(
        "culture.relation.type",
        "culture_data_domain_relation_type_rel",
        "data_domain_id",
        "relation_type_id",
        string="Relation Types in Scope",
        help="Contacts with a current role of one of these types (or of a sub-type) fall in "
        "this domain.",
    )
    scope_type_ids = fields.Many2many(
        "culture.relation.type",
        string="Types in Scope (with Sub-types)",
        compute="_compute_scope_type_ids",
    )
    review_interval_months = fields.Integer(
        string="Review Every (Months)",
        default=12,
        required=True,
        tracking=True,
        help="A contact of this domain is reviewed at least this often. A contact in several "
        "domains follows the shortest interval.",
    )
    retention_months = fields.Integer(
        string="Retention (Months of Inactivity)",
        default=36,
        required=True,
        tracking=True,
        help="A contact inactive for longer than this becomes due for a retention decision: "
        "keep, archive or anonymise.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "culture_data_domain_res_partner_rel",
        "data_domain_id",
        "partner_id",
        string="Contacts",
        readonly=True,
    )
    partner_count = fields.Integer(string="Number of Contacts", compute="_compute_partner_count")

    _sql_constraints = [
        (
            "review_interval_positive",
            "CHECK(review_interval_months > 0)",
            "The review interval must be at least one month.",
        ),
        (
            "retention_positive",
            "CHECK(retention_months > 0)",
            "The retention period must be at least one month.",
        ),
    ]

    @api.depends("relation_type_ids", "relation_type_ids.child_ids")
    def _compute_scope_type_ids(self):
        for domain in self:
            domain.scope_type_ids = domain.relation_type_ids | domain.relation_type_ids.child_ids

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("data_domain_ids", "in", self.ids)], ["data_domain_ids"], ["__count"]
            )
        )
        for domain in self:
            domain.partner_count = counts.get(domain, 0)

    @api.model
    def _domain_ids_by_relation_type(self):
        """Map relation type id -> ids of the active domains whose scope holds it."""
        mapping = defaultdict(set)
        for domain in self.sudo().with_context(active_test=True).search([]):
            for relation_type in domain.scope_type_ids:
                mapping[relation_type.id].add(domain.id)
        return mapping

    @api.model
    def _refresh_membership(self, relation_type_ids):
        """Recompute the domains of the contacts holding one of these types, in one batch."""
        if not relation_type_ids:
            return
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("relation_type_ids", "in", list(relation_type_ids))])
        )
        # As if their types had changed: marks data_domain_ids and everything computed from
        # it (owned flag, editors, review dates) for one batched recompute.
        partners.modified(["relation_type_ids"])

    def _scope_type_id_set(self):
        return set(self.with_context(active_test=False).scope_type_ids.ids)

    @api.model_create_multi
    def create(self, vals_list):
        domains = super().create(vals_list)
        self._refresh_membership(domains._scope_type_id_set())
        return domains

    def write(self, vals):
        scope_changes = {"relation_type_ids", "active"} & set(vals)
        before = self._scope_type_id_set() if scope_changes else set()
        result = super().write(vals)
        if scope_changes:
            self._refresh_membership(before | self._scope_type_id_set())
        return result

    def unlink(self):
        scope = self._scope_type_id_set()
        result = super().unlink()
        self._refresh_membership(scope)
        return result

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("contacts.action_contacts")
        action.update(
            domain=[("data_domain_ids", "in", self.ids)],
            context={},
            display_name=self.name,
        )
        return action
