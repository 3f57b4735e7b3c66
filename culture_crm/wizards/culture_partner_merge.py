# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# The fields a steward compares before a merge, in the order a contact form shows them.
COMPARED_FIELDS = [
    "name",
    "is_company",
    "parent_id",
    "function",
    "title",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "lang",
    "website",
    "vat",
    "ref",
    "user_id",
]


class CulturePartnerMerge(models.TransientModel):
    """The comparison step before Odoo's merge: two contacts field by field.

    The steward picks the contact that survives and, per differing field, whose value
    to keep; the merge itself is Odoo's ``base.partner.merge.automatic.wizard``,
    preloaded with the pair.
    """

    _name = "culture.partner.merge"
    _description = "Compare and Merge Two Contacts"

    candidate_id = fields.Many2one("culture.duplicate.candidate", readonly=True)
    partner_a_id = fields.Many2one("res.partner", string="Contact A", required=True)
    partner_b_id = fields.Many2one("res.partner", string="Contact B", required=True)
    survivor = fields.Selection(
        [("a", "Contact A"), ("b", "Contact B")],
        string="Keep Contact",
        required=True,
        default="a",
        help="The contact that stays; the other one is merged into it and deleted.",
    )
    line_ids = fields.One2many("culture.partner.merge.line", "wizard_id", string="Differences")
    score = fields.Integer(related="candidate_id.score")
    reasons_html = fields.Html(related="candidate_id.reasons_html")
    role_count_a = fields.Integer(compute="_compute_counts", string="Roles A")
    role_count_b = fields.Integer(compute="_compute_counts", string="Roles B")
    message_count_a = fields.Integer(compute="_compute_counts", string="Messages A")
    message_count_b = fields.Integer(compute="_compute_counts", string="Messages B")

    @api.model_create_multi
    def create(self, vals_list):
        Candidate = self.env["culture.duplicate.candidate"]
        for vals in vals_list:
            candidate = Candidate.browse(vals.get("candidate_id"))
            if candidate:
                vals.setdefault("partner_a_id", candidate.partner_a_id.id)
                vals.setdefault("partner_b_id", candidate.partner_b_id.id)
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._fill_lines()
        return wizards

    @api.depends("partner_a_id", "partner_b_id")
    def _compute_counts(self):
        Message = self.env["mail.message"].sudo()
        for wizard in self:
            wizard.role_count_a = len(wizard.partner_a_id.culture_role_ids)
            wizard.role_count_b = len(wizard.partner_b_id.culture_role_ids)
            for side in ("a", "b"):
                partner = wizard[f"partner_{side}_id"]
                wizard[f"message_count_{side}"] = (
                    Message.search_count(
                        [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
                    )
                    if partner
                    else 0
                )

    def _default_survivor(self):
        """The contact with the longest history stays: the oldest one."""
        self.ensure_one()
        a, b = self.partner_a_id, self.partner_b_id
        if a.user_ids and not b.user_ids:
            return "a"
        if b.user_ids and not a.user_ids:
            return "b"
        return "a" if (a.create_date or a.id) <= (b.create_date or b.id) else "b"

    def _fill_lines(self):
        self.ensure_one()
        if self.partner_a_id == self.partner_b_id:
            raise UserError(self.env._("Choose two different contacts to merge."))
        self.survivor = self._default_survivor()
        Partner = self.env["res.partner"]
        labels = Partner.fields_get(COMPARED_FIELDS, ["string"])
        lines = []
        for sequence, fname in enumerate(COMPARED_FIELDS):
            if fname not in Partner._fields:
                continue
            value_a = _shown(self.partner_a_id, fname)
            value_b = _shown(self.partner_b_id, fname)
            if value_a == value_b:
                continue
            survivor_value = value_a if self.survivor == "a" else value_b
            keep = self.survivor if survivor_value else ("b" if self.survivor == "a" else "a")
            lines.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "field_name": fname,
                        "field_label": labels[fname]["string"],
                        "value_a": value_a,
                        "value_b": value_b,
                        "keep": keep,
                    }
                )
            )
        self.line_ids = [Command.clear(), *lines]

    @api.onchange("survivor")
    def _onchange_survivor(self):
        # Switching survivor keeps the new survivor's values unless it has none.
        for line in self.line_ids:
            own = line.value_a if self.survivor == "a" else line.value_b
            line.keep = self.survivor if own else ("b" if self.survivor == "a" else "a")

    def _open_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compare and Merge"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": dict(self.env.context),
        }

    def action_merge(self):
        """Merge the other contact into the survivor through Odoo's merge wizard."""
        self.ensure_one()
        survivor = self.partner_a_id if self.survivor == "a" else self.partner_b_id
        other = self.partner_b_id if self.survivor == "a" else self.partner_a_id
        if self.candidate_id and self.candidate_id.state != "open":
            raise UserError(self.env._("This pair was already decided on."))
        # Fail before anything moves when the user may not change both contacts.
        (survivor | other).check_access("write")
        other.check_access("unlink")
        # The values the steward chose from the other contact, read before it is gone.
        chosen = {}
        for line in self.line_ids.filtered(lambda line: line.keep != self.survivor):
            field = other._fields[line.field_name]
            chosen[line.field_name] = field.convert_to_write(other[line.field_name], other)
        merge_wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(
                active_test=False,
                culture_reviewed_merge=True,
                culture_duplicate_candidate_id=self.candidate_id.id,
            )
            .create(
                {
                    "state": "selection",
                    "partner_ids": [Command.set([survivor.id, other.id])],
                    "dst_partner_id": survivor.id,
                }
            )
        )
        merge_wizard.action_merge()
        if chosen:
            survivor.write(chosen)
        if self.env.context.get("culture_review_next") and self.candidate_id:
            return self.candidate_id._next_review_action()
        return survivor._get_records_action(context={})


class CulturePartnerMergeLine(models.TransientModel):
    _name = "culture.partner.merge.line"
    _description = "Difference Between Two Contacts"
    _order = "sequence"

    wizard_id = fields.Many2one("culture.partner.merge", required=True, ondelete="cascade")
    sequence = fields.Integer()
    field_name = fields.Char(required=True)
    field_label = fields.Char(string="Field", readonly=True)
    value_a = fields.Char(string="Contact A", readonly=True)
    value_b = fields.Char(string="Contact B", readonly=True)
    keep = fields.Selection([("a", "A"), ("b", "B")], required=True, default="a")


def _shown(partner, fname):
    value = partner[fname]
    field = partner._fields[fname]
    if field.type == "many2one":
        return value.display_name or ""
    if field.type == "selection":
        return dict(field._description_selection(partner.env)).get(value, "") if value else ""
    if field.type == "boolean":
        return partner.env._("Yes") if value else partner.env._("No")
    return value or ""
