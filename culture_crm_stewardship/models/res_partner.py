# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
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
    data_domain_owned = fields.Boolean(
        string="In a Data Domain",
        compute="_compute_data_domain_owned",
        store=True,
        help="Technical: lets record rules and the 'without a domain' list filter on a "
        "column of the contact instead of a join.",
    )
    culture_editor_key = fields.Char(
        string="Editors Key",
        compute="_compute_culture_editor_key",
        store=True,
        help="Technical: the ids of the stewards and owners of the contact's domains, as "
        "'|7|12|'. Record rules test it with LIKE '%|<uid>|%', a filter on the contact's own "
        "row, so the rights cost no join, as Odoo's parent_path does for hierarchies.",
    )
    culture_in_my_domains = fields.Boolean(
        string="In My Domains",
        compute="_compute_culture_in_my_domains",
        search="_search_culture_in_my_domains",
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
        # Many2many values are written to the database as they are assigned: assign each
        # distinct set of domains once, to all the contacts that share it (a sync batch of
        # new audience members shares one), not once a contact.
        domain_ids_by_type = self.env["culture.data.domain"]._domain_ids_by_relation_type()
        Domain = self.env["culture.data.domain"]
        partners_by_domains = defaultdict(list)
        for partner in self:
            domain_ids = set()
            for relation_type_id in partner.relation_type_ids.ids:
                domain_ids |= domain_ids_by_type.get(relation_type_id, set())
            partners_by_domains[tuple(sorted(domain_ids))].append(partner.id)
        for domain_ids, partner_ids in partners_by_domains.items():
            self.browse(partner_ids).data_domain_ids = Domain.browse(domain_ids)

    @api.depends("data_domain_ids")
    def _compute_data_domain_owned(self):
        owned = self.filtered("data_domain_ids")
        owned.data_domain_owned = True
        (self - owned).data_domain_owned = False

    @api.depends(
        "data_domain_ids.steward_ids", "data_domain_ids.owner_id", "data_domain_ids.active"
    )
    def _compute_culture_editor_key(self):
        # Contacts of the same domains share their editors: one key, assigned once.
        partners_by_domains = defaultdict(list)
        for partner in self.sudo():
            partners_by_domains[partner.data_domain_ids].append(partner.id)
        for domains, partner_ids in partners_by_domains.items():
            editors = sorted((domains.steward_ids | domains.owner_id).ids)
            key = f"|{'|'.join(map(str, editors))}|" if editors else False
            self.browse(partner_ids).culture_editor_key = key

    @api.depends("culture_editor_key")
    @api.depends_context("uid")
    def _compute_culture_in_my_domains(self):
        mark = f"|{self.env.uid}|"
        for partner in self:
            partner.culture_in_my_domains = mark in (partner.culture_editor_key or "")

    def _search_culture_in_my_domains(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'In My Domains'."))
        domain = [("culture_editor_key", "like", f"|{self.env.uid}|")]
        return domain if (operator == "=") == value else ["!", *domain]

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

    def _children_sync(self, values):
        # An address change of a company flows down to its contacts as if those were
        # related fields (Odoo already does the commercial fields as superuser). A
        # contact owned by a domain the editor does not steward must not block that.
        return super(ResPartner, self.sudo())._children_sync(values)
