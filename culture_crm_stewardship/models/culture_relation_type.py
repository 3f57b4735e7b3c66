# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CultureRelationType(models.Model):
    _inherit = "culture.relation.type"

    def write(self, vals):
        # Moving a type under another parent moves its contacts in or out of the domains
        # that name that parent.
        moved = self if "parent_id" in vals else self.browse()
        result = super().write(vals)
        if moved:
            self.env["culture.data.domain"]._refresh_membership(set(moved.ids))
        return result
