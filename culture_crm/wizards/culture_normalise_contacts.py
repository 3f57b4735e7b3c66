# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading

from odoo import Command, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PARAM_CURSOR = "culture_crm.normalise_cursor"
BATCH_SIZE = 1000
BATCHES_PER_CALL = 10
# Up to this many contacts to examine, the wizard does the work at once; beyond it the
# scheduled action does it in committed batches.
INLINE_LIMIT = 2000
PREVIEW_SIZE = 20

# Rows whose phone, email or postcode may change. International phones look like
# '+31 6 12345678'; trimmed emails equal their btrim; formatted postcodes are '1234 AB' or
# all digits (BE, DE).
_PHONES_TO_EXAMINE = SQL(
    r"""
    (p.phone IS NOT NULL AND p.phone <> '' AND p.phone !~ '^\+[0-9]+( [0-9]+)+$')
    OR (p.mobile IS NOT NULL AND p.mobile <> '' AND p.mobile !~ '^\+[0-9]+( [0-9]+)+$')
    """
)
_TO_EXAMINE = SQL(
    r"""
    %s
    OR (p.email IS NOT NULL AND p.email <> btrim(p.email))
    OR (p.zip IS NOT NULL AND p.zip <> '' AND p.zip !~ '^([1-9][0-9]{3} [A-Z]{2}|[0-9]{4,5})$')
    """,
    _PHONES_TO_EXAMINE,
)


def _auto_commit():
    return not getattr(threading.current_thread(), "testing", False)


class CultureNormaliseContacts(models.TransientModel):
    """'Normalise existing contacts': what would change, then change it in batches.

    New and edited contacts are normalised on every write; this brings the contacts
    that were there before up to the same form. The counts come from PostgreSQL
    (contacts whose phone, email or postcode is not yet in normal form), the preview
    from the normaliser itself on the first of them.
    """

    _name = "culture.normalise.contacts"
    _description = "Normalise Existing Contacts"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Selected Contacts",
        help="Only these contacts; empty means all contacts.",
    )
    contact_count = fields.Integer(string="Contacts", readonly=True)
    phone_count = fields.Integer(string="Phones Not in International Form", readonly=True)
    email_count = fields.Integer(string="Emails With Spaces", readonly=True)
    zip_count = fields.Integer(string="Postcodes Not in Standard Form", readonly=True)
    examine_count = fields.Integer(string="Contacts to Examine", readonly=True)
    flagged_count = fields.Integer(
        string="Contacts Flagged for Checking",
        readonly=True,
        help="Contacts with a phone, email or postcode that could not be read; their "
        "values stay as typed.",
    )
    preview_ids = fields.One2many("culture.normalise.contacts.line", "wizard_id", readonly=True)
    state = fields.Selection(
        [("preview", "Preview"), ("done", "Done"), ("scheduled", "Scheduled")],
        default="preview",
        readonly=True,
    )
    changed_count = fields.Integer(string="Contacts Changed", readonly=True)
    running_left = fields.Integer(
        string="Contacts Left in the Running Batch Job",
        compute="_compute_running_left",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get(
            "active_ids"
        ):
            values["partner_ids"] = [Command.set(self.env.context["active_ids"])]
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._fill_preview()
        return wizards

    def _compute_running_left(self):
        cursor = self.env["ir.config_parameter"].sudo().get_param(PARAM_CURSOR)
        left = self._count_to_examine(int(cursor)) if cursor else 0
        for wizard in self:
            wizard.running_left = left

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _scope(self):
        return SQL("p.id = ANY(%s)", self.partner_ids.ids) if self.partner_ids else SQL("TRUE")

    def _fill_preview(self):
        self.ensure_one()
        Partner = self.env["res.partner"]
        Partner.flush_model()
        self.env.cr.execute(
            SQL(
                r"""
                SELECT count(*),
                       count(*) FILTER (WHERE %(phones)s),
                       count(*) FILTER (WHERE p.email IS NOT NULL AND p.email <> btrim(p.email)),
                       count(*) FILTER (WHERE p.zip IS NOT NULL AND p.zip <> ''
                         AND p.zip !~ '^([1-9][0-9]{3} [A-Z]{2}|[0-9]{4,5})$'),
                       count(*) FILTER (WHERE %(examine)s),
                       count(*) FILTER (WHERE p.phone_needs_check OR p.zip_needs_check
                                          OR p.email_needs_check)
                  FROM res_partner p
                 WHERE %(scope)s
                """,
                phones=_PHONES_TO_EXAMINE,
                examine=_TO_EXAMINE,
                scope=self._scope(),
            )
        )
        total, phones, emails, zips, examine, flagged = self.env.cr.fetchone()
        lines = []
        for partner in self._partners_to_examine(0, PREVIEW_SIZE * 5):
            region = partner._culture_region()
            current = {
                fname: partner[fname]
                for fname in ("phone", "mobile", "email", "zip")
                if partner[fname]
            }
            new = Partner._culture_normalised_vals(current, region)
            labels = Partner.fields_get(list(current), ["string"])
            for fname, value in new.items():
                if value != current[fname]:
                    lines.append(
                        Command.create(
                            {
                                "partner_id": partner.id,
                                "field_label": labels[fname]["string"],
                                "value_before": current[fname],
                                "value_after": value,
                            }
                        )
                    )
            if len(lines) >= PREVIEW_SIZE:
                break
        self.write(
            {
                "contact_count": total,
                "phone_count": phones,
                "email_count": emails,
                "zip_count": zips,
                "examine_count": examine,
                "flagged_count": flagged,
                "preview_ids": [Command.clear(), *lines],
            }
        )

    def _partners_to_examine(self, after_id, limit):
        self.env.cr.execute(
            SQL(
                "SELECT p.id FROM res_partner p WHERE p.id > %s AND (%s) AND (%s) "
                "ORDER BY p.id LIMIT %s",
                after_id,
                self._scope(),
                _TO_EXAMINE,
                limit,
            )
        )
        return self.env["res.partner"].browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _count_to_examine(self, after_id=0):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM res_partner p WHERE p.id > %s AND (%s)",
                after_id,
                _TO_EXAMINE,
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    def action_run(self):
        """Normalise now when the set is small, else in batches by the scheduled action."""
        self.ensure_one()
        if self.partner_ids or self.examine_count <= INLINE_LIMIT:
            changed = 0
            after_id = 0
            while partners := self._partners_to_examine(after_id, BATCH_SIZE):
                changed += len(partners._culture_normalise_stored())
                after_id = partners[-1].id
            self.write({"state": "done", "changed_count": changed})
        else:
            self.env["ir.config_parameter"].sudo().set_param(PARAM_CURSOR, "0")
            self.env.ref("culture_crm.ir_cron_normalise_contacts").sudo()._trigger()
            self.state = "scheduled"
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _cron_normalise(self, batch_size=BATCH_SIZE, max_batches=BATCHES_PER_CALL):
        """Scheduled: normalise all contacts, one committed batch at a time."""
        params = self.env["ir.config_parameter"].sudo()
        cursor = params.get_param(PARAM_CURSOR)
        if not cursor:
            return 0
        after_id = int(cursor)
        done = changed = 0
        for _batch in range(max_batches):
            partners = self.browse()._partners_to_examine(after_id, batch_size)
            if not partners:
                params.set_param(PARAM_CURSOR, False)
                break
            changed += len(partners._culture_normalise_stored())
            after_id = partners[-1].id
            params.set_param(PARAM_CURSOR, str(after_id))
            done += len(partners)
            if _auto_commit():
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=self._count_to_examine(after_id)
                )
                # Committed progress is the point: a crash resumes at the last batch.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        left = self._count_to_examine(after_id) if params.get_param(PARAM_CURSOR) else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=left)
        _logger.info("Normalised %s of %s examined contacts; %s left", changed, done, left)
        return changed


class CultureNormaliseContactsLine(models.TransientModel):
    _name = "culture.normalise.contacts.line"
    _description = "Normalisation Preview Line"

    wizard_id = fields.Many2one("culture.normalise.contacts", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    field_label = fields.Char(string="Field", readonly=True)
    value_before = fields.Char(string="Now", readonly=True)
    value_after = fields.Char(string="After", readonly=True)
