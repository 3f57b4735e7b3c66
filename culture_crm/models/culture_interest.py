# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CultureInterest(models.Model):
    """Something besides a genre a contact cares about: talks, backstage tours, education."""

    _name = "culture.interest"
    _description = "Interest"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)
