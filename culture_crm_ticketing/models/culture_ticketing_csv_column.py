# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..connectors.csv_file import FIELDS

# The CSV connector's fields (connectors/csv_file.FIELDS), with short labels to translate.
CSV_FIELDS = [
    ("order_id", "Order Number"),
    ("ticket_id", "Ticket Number"),
    ("order_date", "Order Date"),
    ("payment_date", "Payment Date"),
    ("order_status", "Order Status"),
    ("ticket_status", "Ticket Status"),
    ("order_total", "Order Total"),
    ("currency", "Currency"),
    ("performance_id", "Performance Code"),
    ("performance_name", "Performance"),
    ("performance_date", "Performance Date"),
    ("venue", "Venue"),
    ("genre", "Genre"),
    ("ticket_type", "Ticket Type"),
    ("price", "Ticket Price"),
    ("buyer_name", "Buyer Name"),
    ("given_name", "First Name"),
    ("family_name", "Last Name"),
    ("name_prefix", "Name Prefix"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("mobile", "Mobile"),
    ("company", "Company"),
    ("street", "Street"),
    ("house_number", "House Number"),
    ("house_number_suffix", "House Number Addition"),
    ("zip", "Postcode"),
    ("city", "City"),
    ("country", "Country"),
    ("language", "Language"),
    ("attendee_name", "Attendee Name"),
    ("attendee_email", "Attendee Email"),
    ("testmode", "Test Order"),
]


class CultureTicketingCsvColumn(models.Model):
    """Which column of another system's export holds which piece of an order."""

    _name = "culture.ticketing.csv.column"
    _description = "Ticketing Export Column"
    _order = "backend_id, sequence, id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    field = fields.Selection(
        CSV_FIELDS,
        string="Order Field",
        required=True,
        help="What the column holds. Only the order number is required: the rows of one "
        "order share it.",
    )
    column = fields.Char(
        string="Column Header", help="The header of that column in the export file."
    )

    _sql_constraints = [
        ("field_unique", "unique(backend_id, field)", "Each field is read from one column."),
    ]

    @api.constrains("field")
    def _check_field_known_to_connector(self):
        for line in self:
            if line.field not in FIELDS:
                raise ValidationError(
                    self.env._("The CSV connector does not read %(field)s.", field=line.field)
                )
