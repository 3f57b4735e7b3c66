# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CultureTicketingCsvColumn(models.Model):
    """Which column of another system's export holds which piece of an order."""

    _name = "culture.ticketing.csv.column"
    _description = "Ticketing Export Column"
    _order = "backend_id, sequence, id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    field = fields.Char(
        string="Order Field",
        required=True,
        help="What the column holds, as the CSV connector names it (e.g. order_id, email).",
    )
    column = fields.Char(
        string="Column Header", help="The header of that column in the export file."
    )

    _sql_constraints = [
        ("field_unique", "unique(backend_id, field)", "Each field is read from one column."),
    ]
