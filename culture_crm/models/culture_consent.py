# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

CONSENT_CHANNELS = [
    ("email", "Email"),
    ("post", "Post"),
    ("phone", "Phone"),
    ("sms", "SMS"),
]
CONSENT_SOURCES = [
    ("manual", "Manual"),
    ("web_form", "Web Form"),
    ("ticketing", "Ticketing Order"),
    ("import", "Import"),
]
# What a consent says happened; changing any of it would rewrite history.
IMMUTABLE_FIELDS = frozenset(
    {"partner_id", "purpose_id", "channel", "state", "date", "source", "source_reference"}
)


class CultureConsent(models.Model):
    """One answer of a contact: purpose x channel, granted or withdrawn, when and how.

    Consents are history. A withdrawal is a new record; nobody edits what a contact said
    (only the proof text may be completed by a manager). The current consent of a contact
    for a purpose and channel is its latest record by date (then by id); ``is_current`` is
    computed from the table every time, so it stays right whatever order records arrive in
    and whatever merges move them between contacts.
    """

    _name = "culture.consent"
    _description = "Consent"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )
    purpose_id = fields.Many2one("culture.consent.purpose", required=True, ondelete="restrict")
    channel = fields.Selection(CONSENT_CHANNELS, required=True, default="email")
    state = fields.Selection(
        [("granted", "Granted"), ("withdrawn", "Withdrawn")], required=True, default="granted"
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="When the contact gave or withdrew this consent.",
    )
    source = fields.Selection(CONSENT_SOURCES, required=True, default="manual")
    source_reference = fields.Char(
        string="Reference", help="The order number, form submission or file it came from."
    )
    proof = fields.Text(
        help="What the contact saw and answered: the text of the checkbox, the letter, the "
        "phone note."
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="The latest answer of this contact for this purpose and channel.",
    )

    def init(self):
        # Finding the latest answer per contact, purpose and channel reads this index only.
        tools.create_index(
            self.env.cr,
            "culture_consent_latest_index",
            self._table,
            ["partner_id", "purpose_id", "channel", "date DESC", "id DESC"],
        )

    @api.depends("partner_id", "purpose_id", "channel", "date")
    def _compute_display_name(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for consent in self:
            consent.display_name = (
                f"{consent.purpose_id.name} ({channels.get(consent.channel, '')}): "
                f"{states.get(consent.state, '')}"
            )

    @api.model
    def _latest_ids_sql(self, partner_ids=None):
        """Ids of the consents no later answer of the same contact, purpose and channel
        follows. An anti-join on the (contact, purpose, channel, date) index: it stays a
        lookup per row whatever the planner guesses about the table."""
        table = SQL.identifier(self._table)
        where = SQL("consent.partner_id IN %s", tuple(partner_ids)) if partner_ids else SQL("TRUE")
        return SQL(
            "SELECT consent.id FROM %(table)s AS consent WHERE %(where)s AND NOT EXISTS ("
            " SELECT 1 FROM %(table)s AS later"
            " WHERE later.partner_id = consent.partner_id"
            " AND later.purpose_id = consent.purpose_id"
            " AND later.channel = consent.channel"
            " AND (later.date, later.id) > (consent.date, consent.id))",
            table=table,
            where=where,
        )

    def _compute_is_current(self):
        stored = self.filtered("id")
        latest = set()
        if stored:
            self.flush_model(["partner_id", "purpose_id", "channel", "date"])
            self.env.cr.execute(self._latest_ids_sql(stored.partner_id.ids))
            latest = {row[0] for row in self.env.cr.fetchall()}
        for consent in self:
            consent.is_current = consent.id in latest

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Search 'Current' with 'is set' or 'is not set' only."))
        self.flush_model(["partner_id", "purpose_id", "channel", "date"])
        wanted = bool(value) == (operator == "=")
        return [("id", "in" if wanted else "not in", SQL("(%s)", self._latest_ids_sql()))]

    @api.constrains("source", "source_reference")
    def _check_ticketing_reference(self):
        for consent in self:
            if consent.source == "ticketing" and not consent.source_reference:
                raise ValidationError(
                    self.env._("A consent from a ticketing order needs the order's reference.")
                )

    def write(self, vals):
        changed = IMMUTABLE_FIELDS.intersection(vals)
        if changed:
            raise UserError(
                self.env._(
                    "A consent is history and cannot be changed (%(fields)s). Record a new "
                    "consent instead, for example a withdrawal.",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in changed)
                    ),
                )
            )
        return super().write(vals)

    @api.model
    def _consenting_partner_domain(self, purpose, channel="email"):
        """Contacts whose current answer for ``purpose`` on ``channel`` is 'granted'.

        A literal domain (mass_mailing stores it as text). Odoo's blacklist is not part of
        it: mass_mailing applies the blacklist on top, and a blacklisted address receives
        no mail whatever the consent says.

        :param purpose: a culture.consent.purpose record, or its code
        """
        if isinstance(purpose, str):
            purpose = self.env["culture.consent.purpose"].search([("code", "=", purpose)], limit=1)
        return [
            (
                "culture_consent_ids",
                "any",
                [
                    ("is_current", "=", True),
                    ("purpose_id", "=", purpose.id),
                    ("channel", "=", channel),
                    ("state", "=", "granted"),
                ],
            )
        ]
