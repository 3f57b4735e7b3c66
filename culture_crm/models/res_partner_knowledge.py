# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    """What we know about a contact to serve them well (klantkennis).

    The preferred language is Odoo's own ``lang``. Hospitality notes (dietary wishes, the
    table a sponsor prefers) are for front-of-house and hospitality staff only: the field's
    ``groups`` keeps them out of every view, read and RPC answer for anyone else.
    """

    _inherit = "res.partner"

    culture_genre_ids = fields.Many2many(
        "culture.genre",
        "res_partner_culture_genre_rel",
        "partner_id",
        "genre_id",
        string="Genres",
        help="The genres the contact likes.",
    )
    culture_interest_ids = fields.Many2many(
        "culture.interest",
        "res_partner_culture_interest_rel",
        "partner_id",
        "interest_id",
        string="Interests",
    )
    culture_accessibility_needs = fields.Text(
        string="Accessibility Needs",
        groups="culture_crm.group_culture_user",
        help="What the contact needs to visit us comfortably: a wheelchair space, a "
        "hearing loop, a companion seat.",
    )
    culture_hospitality_notes = fields.Text(
        string="Hospitality Notes",
        groups="culture_crm.group_culture_hospitality",
        help="For front-of-house and hospitality staff only: dietary wishes, preferences, "
        "how to welcome this contact.",
    )
