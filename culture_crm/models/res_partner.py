# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    culture_role_ids = fields.One2many(
        "culture.partner.role", "partner_id", string="Roles", copy=False
    )
    current_role_ids = fields.One2many(
        "culture.partner.role",
        "partner_id",
        string="Current Roles",
        domain=[("state", "!=", "ended")],
    )
    ended_role_ids = fields.One2many(
        "culture.partner.role",
        "partner_id",
        string="Role History",
        domain=[("state", "=", "ended")],
        readonly=True,
    )
    relation_type_ids = fields.Many2many(
        "culture.relation.type",
        "res_partner_culture_relation_type_rel",
        "partner_id",
        "relation_type_id",
        string="Relation Types",
        compute="_compute_relation_type_ids",
        store=True,
        tracking=True,
        help="The types of the contact's current roles.",
    )

    @api.depends("culture_role_ids.state", "culture_role_ids.relation_type_id")
    def _compute_relation_type_ids(self):
        # Many2many values are written as they are assigned: once per distinct value,
        # so a batch of contacts given the same role costs one write, not one each.
        # (Ids are collected in lists: growing a recordset by '|=' copies it each time.)
        partners_by_types = defaultdict(list)
        for partner in self:
            relation_types = partner.culture_role_ids.filtered(
                lambda role: role.state == "current"
            ).relation_type_id
            partners_by_types[relation_types].append(partner.id)
        for relation_types, partner_ids in partners_by_types.items():
            self.browse(partner_ids).relation_type_ids = relation_types

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Odoo 18 flushes a many2many condition's relation table but does not run the
        # pending recompute of a stored computed many2many first: a role created in this
        # transaction would be invisible to "relation type is ...". Compute it now (the
        # same holds for consented purposes and missing fields).
        pending = {
            str(leaf[0]).split(".", 1)[0]
            for leaf in domain or []
            if isinstance(leaf, list | tuple) and leaf
        }
        computed_many2many = [
            name
            for name in pending
            if name in self._fields
            and self._fields[name].type == "many2many"
            and self._fields[name].compute
            and self._fields[name].store
        ]
        if computed_many2many:
            self.flush_model(computed_many2many)
        return super()._search(domain, *args, **kwargs)

    def _add_role(self, relation_type, **values):
        """Give these contacts a current role of this type, unless they hold one."""
        holders = self.culture_role_ids.filtered(
            lambda role: role.relation_type_id == relation_type and role.state != "ended"
        ).partner_id
        return self.env["culture.partner.role"].create(
            [
                dict({"partner_id": partner.id, "relation_type_id": relation_type.id}, **values)
                for partner in self - holders
            ]
        )
