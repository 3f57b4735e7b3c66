# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CultureTicketingConsentMap(models.Model):
    """A consent question of the ticketing system, and the consent purpose its answer gives.

    pretix asks questions in the checkout ('May we send you our newsletter?'); the answer
    arrives with the order and, through this line, becomes the buyer's consent for that
    purpose, with the order as its proof.
    """

    _name = "culture.ticketing.consent.map"
    _description = "Ticketing Consent Question"
    _order = "backend_id, sequence, id"

    backend_id = fields.Many2one(
        "culture.ticketing.backend", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    question = fields.Char(
        required=True,
        help="The question's identifier in the ticketing system (pretix: the question's "
        "identifier, or QUESTION/OPTION for one option of a multiple-choice question; a CSV "
        "export: the column header).",
    )
    purpose_code = fields.Char(
        string="Consent Purpose",
        required=True,
        help="Code of the consent purpose a 'yes' grants and a 'no' withdraws, " "e.g. newsletter.",
    )

    _sql_constraints = [
        (
            "question_unique",
            "unique(backend_id, question)",
            "Each question maps to one consent purpose.",
        ),
    ]
