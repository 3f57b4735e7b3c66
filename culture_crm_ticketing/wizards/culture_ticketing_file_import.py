# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import fields, models


class CultureTicketingFileImport(models.TransientModel):
    """Upload another ticketing system's export into a CSV backend."""

    _name = "culture.ticketing.file.import"
    _description = "Import a Ticketing Export"

    backend_id = fields.Many2one(
        "culture.ticketing.backend",
        required=True,
        domain=[("provider", "=", "csv")],
        ondelete="cascade",
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        outcome = self.backend_id.import_file(
            content=base64.b64decode(self.file), filename=self.filename
        )
        message = outcome.summary(self.env)
        if outcome.error:
            message = self.env._("Import stopped: %(error)s", error=outcome.error)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if outcome.error else "success",
                "message": message,
                "sticky": bool(outcome.error),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
