# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """A contact's duplicates: the form banner and the history of merges into it.

    The banner reads 'Possible duplicate of X (92%)'.

    It is computed from the stored match keys: the contacts that share a key are fetched
    through the key indexes and scored by the engine, so it shows while a contact is
    being typed in (the form's onchange recomputes it) and after saving. Pairs a
    steward marked 'not a duplicate' never show.
    """

    _inherit = "res.partner"

    culture_merge_log_ids = fields.One2many(
        "culture.partner.merge.log", "partner_id", string="Merge History", readonly=True
    )
    duplicate_partner_id = fields.Many2one(
        "res.partner",
        string="Possible Duplicate",
        compute="_compute_duplicate_warning",
        compute_sudo=False,
    )
    duplicate_score = fields.Integer(compute="_compute_duplicate_warning", compute_sudo=False)
    duplicate_warning = fields.Char(compute="_compute_duplicate_warning", compute_sudo=False)

    @api.depends(
        "match_blocking_keys",
        "name",
        "email",
        "phone",
        "mobile",
        "street",
        "zip",
        "city",
        "parent_id",
        "is_company",
    )
    def _compute_duplicate_warning(self):
        for partner in self:
            other, match = partner._culture_best_duplicate()
            partner.duplicate_partner_id = other
            partner.duplicate_score = match.score if match else 0
            partner.duplicate_warning = (
                self.env._(
                    "Possible duplicate of %(name)s (%(score)s%%)",
                    name=other.display_name,
                    score=round(match.score),
                )
                if other
                else False
            )

    def _culture_best_duplicate(self):
        """(contact, engine match) of the closest likely duplicate, or (empty, None)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        if not (self.name or self.email or self.phone or self.mobile) or (
            self._origin and not self._origin.active
        ):
            return Partner, None
        keys = self._culture_blocking_key_list()
        own_id = self._origin.id
        Candidate = self.env["culture.duplicate.candidate"]
        match_engine = Candidate._engine()
        # While a form waits, oversized blocks (a common surname in one city) are left to
        # the scheduled scan: a name alone never reaches 'likely', and parsing hundreds
        # of namesakes would make every keystroke slow. Their sizes still count, so a
        # switchboard number is recognised as one.
        counts = self._culture_key_counts(keys)
        small = [key for key in keys if counts.get(key, 0) <= match_engine.max_block]
        holder_ids = set(Partner._culture_key_holders(small)) - {own_id}
        if not holder_ids:
            return Partner, None
        contacts = Partner._culture_engine_contacts(holder_ids)
        me = self._culture_engine_contact()
        # As the scan counts a saved contact among those sharing its number, count a new
        # one too.
        extra = 0 if own_id else 1
        matches = match_engine.match_against(
            me, list(contacts.values()), counts=lambda _kind, key: counts.get(key, 0) + extra
        )
        if not matches:
            return Partner, None
        decided = Candidate._decided_pairs([own_id]) if own_id else set()
        family = set((self._origin | self._origin.parent_id | self._origin.child_ids).ids)
        family.add(self.parent_id._origin.id or self.parent_id.id)
        # The user's own access rules decide which contacts they may be pointed to.
        visible = set(Partner.search([("id", "in", [match.id_b for match in matches])]).ids)
        for match in matches:
            other_id = match.id_b
            if (
                other_id in visible
                and other_id not in family
                and (min(own_id, other_id), max(own_id, other_id)) not in decided
            ):
                return Partner.browse(other_id), match
        return Partner, None

    def action_culture_compare_duplicate(self):
        """Open the comparison of this contact and its possible duplicate."""
        self.ensure_one()
        other = self.duplicate_partner_id
        if not other:
            return True
        candidate = self.env["culture.duplicate.candidate"]._get_or_create_pair(
            self, other, self.duplicate_score
        )
        return candidate.with_context(culture_review_next=False).action_merge()

    def action_culture_not_duplicate(self):
        """Remember that this contact and its possible duplicate are different."""
        self.ensure_one()
        other = self.duplicate_partner_id
        if other:
            candidate = self.env["culture.duplicate.candidate"]._get_or_create_pair(
                self, other, self.duplicate_score
            )
            candidate.action_not_duplicate()
        return True
