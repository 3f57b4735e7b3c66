# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # A team with stages of its own (the fundraising pipeline) shows only those, not
        # crm's general New / Qualified / Won columns as well.
        team_id = self.env.context.get("default_team_id")
        if team_id and self.env["crm.stage"].sudo().search_count(
            [("team_id", "=", team_id)], limit=1
        ):
            stage_ids = stages.sudo()._search(
                ["|", ("id", "in", stages.ids), ("team_id", "=", team_id)],
                order=stages._order,
            )
            return stages.browse(stage_ids)
        return super()._read_group_stage_ids(stages, domain)
