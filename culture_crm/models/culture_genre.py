# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CultureGenre(models.Model):
    """An artistic genre a contact likes: theatre, dance, jazz, youth and family..."""

    _name = "culture.genre"
    _description = "Genre"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Stable technical name used by connectors and audience analytics.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another genre already uses this code."),
    ]
