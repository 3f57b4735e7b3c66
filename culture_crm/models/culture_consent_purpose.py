# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CultureConsentPurpose(models.Model):
    """What a contact may allow us to do: receive the newsletter, be asked for a gift..."""

    _name = "culture.consent.purpose"
    _description = "Consent Purpose"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical name used by web forms, connectors and other modules.",
    )
    description = fields.Text(
        translate=True,
        help="What the contact agrees to, in the words a web form or order shows them.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    consent_ids = fields.One2many("culture.consent", "purpose_id", string="Consents")

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another consent purpose already uses this code."),
    ]
