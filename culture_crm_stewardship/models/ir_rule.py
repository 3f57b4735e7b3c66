# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import AccessError


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """Say which data domain owns a contact the user may not change, and whom to ask."""
        error = super()._make_access_error(operation, records)
        if operation == "read" or records._name not in ("res.partner", "culture.partner.role"):
            return error
        partners = records.partner_id if records._name == "culture.partner.role" else records
        reasons = [
            partner._culture_lock_reason()
            for partner in partners[:3]
            if partner.sudo().data_domain_ids
        ]
        if not reasons:
            return error
        explained = AccessError("\n".join([*reasons, "", error.args[0]]))
        if hasattr(error, "context"):
            explained.context = error.context
        return explained
