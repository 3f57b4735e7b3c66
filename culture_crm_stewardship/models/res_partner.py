# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.osv import expression


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "culture.reviewable.mixin"]
    _review_cron_xmlid = "culture_crm_stewardship.ir_cron_request_partner_reviews"

    data_domain_ids = fields.Many2many(
        "culture.data.domain",
        "culture_data_domain_res_partner_rel",
        "partner_id",
        "data_domain_id",
        string="Data Domains",
        compute="_compute_data_domain_ids",
        store=True,
        copy=False,
        help="Every domain one of the contact's current relation types belongs to.",
    )
    data_owner_ids = fields.Many2many(
        "res.users", string="Data Owners", compute="_compute_data_stewardship"
    )
    data_steward_ids = fields.Many2many(
        "res.users", string="Stewards", compute="_compute_data_stewardship"
    )
    culture_can_edit = fields.Boolean(
        string="Editable by Me",
        compute="_compute_culture_edit_lock",
        search="_search_culture_can_edit",
    )
    culture_edit_lock_reason = fields.Char(
        string="Why Read-only", compute="_compute_culture_edit_lock"
    )

    @api.depends("relation_type_ids")
    def _compute_data_domain_ids(self):
        domain_ids_by_type = self.env["culture.data.domain"]._domain_ids_by_relation_type()
        Domain = self.env["culture.data.domain"]
        for partner in self:
            domain_ids = set()
            for relation_type_id in partner.relation_type_ids.ids:
                domain_ids |= domain_ids_by_type.get(relation_type_id, set())
            partner.data_domain_ids = Domain.browse(sorted(domain_ids))

    @api.depends("data_domain_ids.owner_id", "data_domain_ids.steward_ids")
    def _compute_data_stewardship(self):
        for partner in self:
            domains = partner.sudo().data_domain_ids
            partner.data_owner_ids = domains.owner_id
            partner.data_steward_ids = domains.steward_ids

    @api.depends("data_domain_ids")
    @api.depends_context("uid")
    def _compute_culture_edit_lock(self):
        stored = self.filtered("id")
        editable = stored._filtered_access("write") if stored else stored
        for partner in self:
            locked = partner.id and partner not in editable
            partner.culture_can_edit = not locked
            partner.culture_edit_lock_reason = (
                partner._culture_lock_reason() if locked and partner.data_domain_ids else False
            )

    def _culture_lock_reason(self):
        """Why the current user may read but not change this contact, in their words."""
        self.ensure_one()
        domains = self.sudo().data_domain_ids
        owned_by = ", ".join(
            self.env._("%(domain)s (owner %(owner)s)", domain=d.name, owner=d.owner_id.name)
            for d in domains
        )
        stewards = domains.steward_ids or domains.owner_id
        return self.env._(
            "Owned by the data domain %(domains)s: you may read this contact but not change "
            "it. Ask a steward: %(stewards)s.",
            domains=owned_by,
            stewards=", ".join(stewards.mapped("name")),
        )

    def _search_culture_can_edit(self, operator, value):
        if operator not in ("=", "!="):
            return expression.FALSE_DOMAIN
        rule_domain = self.env["ir.rule"]._compute_domain(self._name, "write")
        if not rule_domain:
            rule_domain = expression.TRUE_DOMAIN
        if (operator == "=") == bool(value):
            return rule_domain
        return ["!", *expression.normalize_domain(rule_domain)]

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Like culture_crm does for relation_type_ids: the pending recompute of a stored
        # computed many2many is not run before a search on it, and record rules search on
        # data_domain_ids. Compute it first.
        if "data_domain_ids" in str(domain):
            self.flush_model(["data_domain_ids"])
        return super()._search(domain, *args, **kwargs)

    def _children_sync(self, values):
        # An address change of a company flows down to its contacts as if those were
        # related fields (Odoo already does the commercial fields as superuser). A
        # contact owned by a domain the editor does not steward must not block that.
        return super(ResPartner, self.sudo())._children_sync(values)
