# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# A required field counts this many times more than a recommended one in completeness.
REQUIRED_FIELD_WEIGHT = 3


class CultureRelationType(models.Model):
    """Who a contact is to the organisation: Publiek, Sponsor, Schoolbestuurder...

    Types may have one parent level (Onderwijs > Schoolbestuurder) so that a target group
    or a data domain can name the parent and mean all its children.
    """

    _name = "culture.relation.type"
    _description = "Relation Type"
    _order = "sequence, name"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["name", "parent_id.name"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical name used by rules, imports and connectors.",
    )
    # Not stored: it follows the reader's language ("Onderwijs / Schoolbestuurder").
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True)
    parent_id = fields.Many2one(
        "culture.relation.type", string="Parent Type", ondelete="restrict", index=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("culture.relation.type", "parent_id", string="Sub-types")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(default=0)
    definition = fields.Html(
        translate=True,
        help="What this relation type means in this organisation, in plain words: "
        "the text staff agree on.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        "culture_relation_type_required_field_rel",
        "relation_type_id",
        "field_id",
        string="Required Fields",
        domain=[("model", "=", "res.partner"), ("store", "=", True)],
        help="Contact fields that must be recorded for a contact of this type.",
    )
    recommended_field_ids = fields.Many2many(
        "ir.model.fields",
        "culture_relation_type_recommended_field_rel",
        "relation_type_id",
        "field_id",
        string="Recommended Fields",
        domain=[("model", "=", "res.partner"), ("store", "=", True)],
        help="Contact fields that should be recorded for a contact of this type; they "
        "weigh less in completeness and are never enforced.",
    )
    enforcement = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        required=True,
        default="warn",
        help="Warn: a contact missing a required field shows a banner. Block: saving such "
        "a contact in the form or list is refused with a message naming the fields. "
        "Imports, synchronisations and other programs never fail: they record the gap "
        "in the contact's completeness.",
    )
    role_ids = fields.One2many("culture.partner.role", "relation_type_id", string="Roles")
    current_partner_count = fields.Integer(
        string="Current Contacts", compute="_compute_current_partner_count"
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another relation type already uses this code."),
    ]

    @api.depends("name", "parent_id.complete_name")
    @api.depends_context("lang")
    def _compute_complete_name(self):
        for relation_type in self:
            if relation_type.parent_id:
                relation_type.complete_name = (
                    f"{relation_type.parent_id.complete_name} / {relation_type.name}"
                )
            else:
                relation_type.complete_name = relation_type.name

    @api.constrains("parent_id")
    def _check_one_parent_level(self):
        for relation_type in self:
            if relation_type.parent_id.parent_id or (
                relation_type.parent_id and relation_type.child_ids
            ):
                raise ValidationError(
                    self.env._(
                        "Relation type '%(type)s' would nest more than one level deep: "
                        "a type may have a parent or sub-types, not both.",
                        type=relation_type.name,
                    )
                )

    @api.constrains("required_field_ids", "recommended_field_ids")
    def _check_definable_fields(self):
        definable = set(self.env["res.partner"]._culture_definable_field_names())
        for relation_type in self:
            chosen = relation_type.required_field_ids | relation_type.recommended_field_ids
            wrong = chosen.filtered(
                lambda field: field.model != "res.partner" or field.name not in definable
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Relation type '%(type)s' cannot define %(fields)s: only stored contact "
                        "fields that anyone may read, and that are not yes/no, file or "
                        "technical fields, can be required or recommended.",
                        type=relation_type.name,
                        fields=", ".join(wrong.mapped("field_description")),
                    )
                )
            both = relation_type.required_field_ids & relation_type.recommended_field_ids
            if both:
                raise ValidationError(
                    self.env._(
                        "Relation type '%(type)s' lists %(fields)s as both required and "
                        "recommended; choose one.",
                        type=relation_type.name,
                        fields=", ".join(both.mapped("field_description")),
                    )
                )

    def _compute_current_partner_count(self):
        counts = dict(
            self.env["culture.partner.role"]._read_group(
                [("relation_type_id", "in", self.ids), ("state", "=", "current")],
                ["relation_type_id"],
                ["partner_id:count_distinct"],
            )
        )
        for relation_type in self:
            relation_type.current_partner_count = counts.get(relation_type, 0)

    def action_open_current_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("contacts.action_contacts")
        action["domain"] = [("relation_type_ids", "child_of", self.id)]
        action["context"] = {}
        action["display_name"] = self.complete_name
        return action

    def action_print_data_model(self):
        """The printable data model: the selected types, or every active type."""
        relation_types = self or self.search([])
        return self.env.ref("culture_crm.action_report_data_model").report_action(relation_types)
