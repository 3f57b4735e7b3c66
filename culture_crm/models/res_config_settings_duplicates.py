# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..matching import engine

_DEFAULTS = engine.Thresholds()


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    culture_duplicate_threshold_likely = fields.Integer(
        string="Likely Duplicate From",
        config_parameter="culture_crm.duplicate_threshold_likely",
        default=_DEFAULTS.likely,
        help="Pairs scoring at least this (0-100) are proposed to stewards.",
    )
    culture_duplicate_threshold_certain = fields.Integer(
        string="Certain Duplicate From",
        config_parameter="culture_crm.duplicate_threshold_certain",
        default=_DEFAULTS.certain,
        help="Pairs scoring at least this are marked certain. They are still merged by a "
        "steward, never automatically.",
    )

    @api.constrains("culture_duplicate_threshold_likely", "culture_duplicate_threshold_certain")
    def _check_culture_duplicate_thresholds(self):
        for settings in self:
            likely = settings.culture_duplicate_threshold_likely
            certain = settings.culture_duplicate_threshold_certain
            if not 0 < likely <= certain <= 100:
                raise ValidationError(
                    self.env._(
                        "Duplicate thresholds need 0 < likely (%(likely)s) <= certain "
                        "(%(certain)s) <= 100.",
                        likely=likely,
                        certain=certain,
                    )
                )
