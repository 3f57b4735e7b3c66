# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import create_index

from .interactive_save import save_then_check

ROLE_SOURCES = [
    ("manual", "Manual"),
    ("import", "Import"),
    ("ticketing", "Ticketing"),
    ("rule", "Rule"),
]


class CulturePartnerRole(models.Model):
    """A dated role: contact X is a Donateur from 2023-01-01 until 2025-12-31.

    The role's state (planned, current, ended) depends on today, so it is stored and
    refreshed by a daily scheduled action; that keeps 'current relation types' searchable
    and groupable on contacts.
    """

    _name = "culture.partner.role"
    _description = "Contact Role"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _rec_names_search = ["partner_id", "relation_type_id"]

    partner_id = fields.Many2one(
        "res.partner", string="Contact", required=True, ondelete="cascade", index=True
    )
    relation_type_id = fields.Many2one(
        "culture.relation.type",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    relation_type_color = fields.Integer(related="relation_type_id.color")
    date_start = fields.Date(
        string="From", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="Until", tracking=True)
    source = fields.Selection(
        ROLE_SOURCES, required=True, default="manual", tracking=True, readonly=True
    )
    rule_id = fields.Many2one(
        "culture.role.rule",
        string="Given by Rule",
        readonly=True,
        ondelete="set null",
        help="The rule that gave this role; empty for roles staff recorded.",
    )
    source_reference = fields.Char(
        readonly=True, help="Where the role came from: an import file, an order..."
    )
    note = fields.Text()
    state = fields.Selection(
        [("planned", "Planned"), ("current", "Current"), ("ended", "Ended")],
        compute="_compute_state",
        store=True,
        precompute=True,  # known before the INSERT: no read and second UPDATE per role
        index=True,
    )

    @api.depends("date_start", "date_end")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for role in self:
            role.state = self._state_on(role.date_start, role.date_end, today)

    @staticmethod
    def _state_on(date_start, date_end, day):
        if date_start and date_start > day:
            return "planned"
        if date_end and date_end < day:
            return "ended"
        return "current"

    @api.depends("partner_id", "relation_type_id", "date_start", "date_end")
    def _compute_display_name(self):
        for role in self:
            period = fields.Date.to_string(role.date_start) or ""
            if role.date_end:
                period = f"{period} - {fields.Date.to_string(role.date_end)}"
            role.display_name = (
                f"{role.partner_id.display_name}: {role.relation_type_id.complete_name}"
                f" ({period})"
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for role in self:
            if role.date_end and role.date_start and role.date_end < role.date_start:
                raise ValidationError(
                    self.env._(
                        "The role %(type)s of %(contact)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        type=role.relation_type_id.complete_name,
                        contact=role.partner_id.display_name,
                        end=role.date_end,
                        start=role.date_start,
                    )
                )

    def init(self):
        result = super().init()
        # A contact's periods of one role: the overlap check below, the derived roles'
        # sync and the contact's roles all look them up by both columns. With only the
        # single-column indexes PostgreSQL may AND them and read every role of the type
        # for each contact: a sync's thousand roles took a second to check.
        create_index(
            self.env.cr,
            "culture_partner_role_partner_type_index",
            self._table,
            ["partner_id", "relation_type_id"],
        )
        return result

    @api.constrains("partner_id", "relation_type_id", "date_start", "date_end")
    def _check_no_overlap(self):
        """Two periods of the same role for one contact would count them twice."""
        if not self.ids:
            return
        # One query for a whole batch (a sync creates a thousand roles at once).
        self.flush_model(["partner_id", "relation_type_id", "date_start", "date_end"])
        self.env.cr.execute(
            """
            SELECT other.id
              FROM culture_partner_role role
              JOIN culture_partner_role other
                ON other.partner_id = role.partner_id
               AND other.relation_type_id = role.relation_type_id
               AND other.id != role.id
             WHERE role.id = ANY(%s)
               AND (other.date_end IS NULL OR other.date_end >= role.date_start)
               AND (role.date_end IS NULL OR other.date_start <= role.date_end)
             LIMIT 1
            """,
            [self.ids],
        )
        row = self.env.cr.fetchone()
        if row:
            clash = self.sudo().browse(row[0])
            raise ValidationError(
                self.env._(
                    "%(contact)s already holds the role %(type)s in an overlapping period "
                    "(from %(start)s). End that role first, or change its dates.",
                    contact=clash.partner_id.display_name,
                    type=clash.relation_type_id.complete_name,
                    start=clash.date_start,
                )
            )

    def web_save(self, vals, specification, next_id=None):
        # A role saved from the Roles list or form is an interactive save too: a type
        # that enforces 'block' refuses it while the contact lacks a required field.
        return save_then_check(
            self,
            super().web_save,
            vals,
            specification,
            next_id,
            lambda roles: roles.partner_id._culture_check_blocking_definitions(),
        )

    def action_end_today(self):
        today = fields.Date.context_today(self)
        for role in self.filtered(lambda role: role.state != "ended"):
            role.date_end = max(today, role.date_start)

    @api.model
    def _cron_refresh_state(self):
        """Roles start and end with the calendar: recompute the ones whose day came."""
        today = fields.Date.context_today(self)
        stale = self.search(
            [
                "|",
                "&",
                ("state", "=", "planned"),
                ("date_start", "<=", today),
                "&",
                ("state", "=", "current"),
                ("date_end", "<", today),
            ]
        )
        self.env.add_to_compute(self._fields["state"], stale)
        stale._recompute_recordset(["state"])
        return len(stale)

    @api.model
    def _sync_derived_roles(self, rule, qualifying_partner_ids, scope_partner_ids=None):
        """Start and end the roles one rule gives, in two batched writes.

        Only roles with this ``rule_id`` are ended; a contact that holds the same type
        manually keeps it and gets no second, overlapping role.
        """
        today = fields.Date.context_today(self)
        domain = [
            ("relation_type_id", "=", rule.relation_type_id.id),
            ("state", "!=", "ended"),
        ]
        if scope_partner_ids is not None:
            domain.append(("partner_id", "in", list(scope_partner_ids)))
        open_roles = self.search(domain)
        holders = set(open_roles.partner_id.ids)
        to_end = open_roles.filtered(
            lambda role: role.rule_id == rule and role.partner_id.id not in qualifying_partner_ids
        )
        for role in to_end:
            role.date_end = max(today, role.date_start)
        new_partner_ids = sorted(set(qualifying_partner_ids) - holders)
        starts = rule._role_start_dates(new_partner_ids)
        if starts:
            # A role that comes back after an ended one starts after it: no overlap.
            self.flush_model(["partner_id", "relation_type_id", "date_end"])
            self.env.cr.execute(
                """
                SELECT partner_id, max(date_end) FROM culture_partner_role
                 WHERE relation_type_id = %s AND partner_id = ANY(%s)
                   AND date_end IS NOT NULL
                 GROUP BY partner_id
                """,
                [rule.relation_type_id.id, list(starts)],
            )
            for partner_id, ended in self.env.cr.fetchall():
                starts[partner_id] = max(starts[partner_id], ended + timedelta(days=1))
        self.create(
            [
                {
                    "partner_id": partner_id,
                    "relation_type_id": rule.relation_type_id.id,
                    "date_start": min(starts.get(partner_id) or today, today),
                    "source": rule.role_source,
                    "rule_id": rule.id,
                    "source_reference": rule.name,
                }
                for partner_id in new_partner_ids
            ]
        )
        return len(new_partner_ids), len(to_end)
