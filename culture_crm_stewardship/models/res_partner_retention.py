# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Retention (AVG/GDPR): when a contact has been inactive longer than its domains keep
data, a steward decides to keep it (with a reason and a legal hold date), archive it or
anonymise it."""

import re
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.culture_crm.models.local_time import house_tz, local_day
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

RETENTION_STATES = [
    ("none", "Not in a Domain"),
    ("ok", "Active"),
    ("due", "Retention Due"),
    ("hold", "Kept (Legal Hold)"),
]
CURSOR_PARAM = "culture_crm_stewardship.retention_refresh_cursor"
# Stored text fields an anonymised contact keeps: aggregates and technical values.
KEEP_TEXT_FIELDS = {"city", "zip", "lang", "tz", "type", "culture_editor_key", "signup_type"}
DUTCH_POSTCODE = re.compile(r"^\s*(\d{4})\s*[A-Za-z]{0,2}\s*$")


def _pg_literal_pattern(text):
    """A PostgreSQL regular expression matching ``text`` literally."""
    return re.sub(r"(\W)", r"\\\1", text)


class ResPartner(models.Model):
    _inherit = "res.partner"

    last_activity_date = fields.Date(
        readonly=True,
        copy=False,
        help="The latest sign of life: a role that started, an opportunity, a message from "
        "or to the contact, a review that changed data, a ticket order. Refreshed daily.",
    )
    retention_due_date = fields.Date(
        compute="_compute_retention_due_date",
        store=True,
        index=True,
        copy=False,
        help="Last activity (or creation) plus the shortest retention period of its domains.",
    )
    retention_state = fields.Selection(
        RETENTION_STATES,
        compute="_compute_retention_state",
        search="_search_retention_state",
    )
    retention_hold_until = fields.Date(
        string="Kept Until", readonly=True, copy=False, help="Legal hold: keep until this day."
    )
    retention_hold_reason = fields.Text(string="Reason to Keep", readonly=True, copy=False)
    is_anonymised = fields.Boolean(string="Anonymised", readonly=True, copy=False)
    anonymised_birth_year = fields.Integer(string="Birth Year", readonly=True, copy=False)

    # ------------------------------------------------------------------ state

    @api.depends(
        "last_activity_date", "create_date", "data_domain_ids.retention_months", "is_anonymised"
    )
    def _compute_retention_due_date(self):
        # Read each set of domains' period once and assign each distinct date once: a
        # batch (a sync's new contacts) mostly shares both.
        months_of = {}  # domains -> shortest retention period in months, or None
        partners_by_date = defaultdict(list)
        for partner in self:
            domains = partner.data_domain_ids
            if domains not in months_of:
                months = domains.mapped("retention_months")
                months_of[domains] = min(months) if months else None
            months = months_of[domains]
            if months is None or partner.is_anonymised:
                partners_by_date[False].append(partner.id)
                continue
            since = partner.last_activity_date or (
                fields.Date.context_today(partner, partner.create_date)
                if partner.create_date
                else fields.Date.context_today(partner)
            )
            partners_by_date[since + relativedelta(months=months)].append(partner.id)
        for due_date, partner_ids in partners_by_date.items():
            self.browse(partner_ids).retention_due_date = due_date

    @api.depends("retention_due_date", "retention_hold_until")
    def _compute_retention_state(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if not partner.retention_due_date:
                partner.retention_state = "none"
            elif partner.retention_hold_until and partner.retention_hold_until >= today:
                partner.retention_state = "hold"
            elif partner.retention_due_date <= today:
                partner.retention_state = "due"
            else:
                partner.retention_state = "ok"

    def _retention_state_domain(self, state):
        today = fields.Date.context_today(self)
        not_held = ["|", ("retention_hold_until", "=", False), ("retention_hold_until", "<", today)]
        return {
            "none": [("retention_due_date", "=", False)],
            "hold": [("retention_due_date", "!=", False), ("retention_hold_until", ">=", today)],
            "due": [("retention_due_date", "<=", today), *not_held],
            "ok": [("retention_due_date", ">", today), *not_held],
        }[state]

    def _search_retention_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Retention state cannot be searched with %s.", operator))
        states = [value] if isinstance(value, str) or not value else list(value)
        domain = expression.OR([self._retention_state_domain(s) for s in states if s])
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    # ------------------------------------------------------------------ activity

    def _retention_activity_sql(self):
        """SQL queries, each selecting (contact id, day) signs of life of these contacts.

        Extend it to add a source; the ticketing module's orders are picked up here when
        it is installed.
        """
        ids = self.ids
        tz = house_tz(self.env)

        def day(column):
            return local_day(SQL("max(%s)", SQL(column)), tz)

        sources = [
            # A role that started.
            SQL(
                "SELECT partner_id, max(date_start) FROM culture_partner_role "
                "WHERE partner_id = ANY(%s) AND date_start <= %s GROUP BY partner_id",
                ids,
                fields.Date.context_today(self),
            ),
            # A message the contact wrote anywhere, or an e-mail on their record.
            SQL(
                "SELECT author_id, %s FROM mail_message "
                "WHERE author_id = ANY(%s) GROUP BY author_id",
                day("date"),
                ids,
            ),
            SQL(
                "SELECT res_id, %s FROM mail_message WHERE model = 'res.partner' "
                "AND res_id = ANY(%s) AND message_type = 'email' GROUP BY res_id",
                day("date"),
                ids,
            ),
            # A review that changed data.
            SQL(
                "SELECT partner_id, %s FROM culture_review_log "
                "WHERE partner_id = ANY(%s) AND outcome = 'updated' GROUP BY partner_id",
                day("date"),
                ids,
            ),
        ]
        if "crm.lead" in self.env:
            sources.append(
                SQL(
                    "SELECT partner_id, %s FROM crm_lead WHERE partner_id = ANY(%s) "
                    "GROUP BY partner_id",
                    day("GREATEST(create_date, date_last_stage_update)"),
                    ids,
                )
            )
        if "culture.ticket.order" in self.env:
            sources.append(
                SQL(
                    "SELECT partner_id, %s FROM culture_ticket_order "
                    "WHERE partner_id = ANY(%s) GROUP BY partner_id",
                    day("placed_at"),
                    ids,
                )
            )
        return sources

    def _retention_activity_dates(self):
        """Map contact id -> the day of their latest sign of life, for these contacts."""
        self.env.flush_all()
        latest = {}
        for source in self._retention_activity_sql():
            self.env.cr.execute(source)
            for partner_id, day in self.env.cr.fetchall():
                if day and (partner_id not in latest or day > latest[partner_id]):
                    latest[partner_id] = day
        return latest

    def _refresh_last_activity_date(self):
        latest = self._retention_activity_dates()
        for partner in self:
            day = latest.get(partner.id)
            if partner.last_activity_date != day:
                partner.last_activity_date = day

    @api.model
    def _cron_refresh_retention(self, batch_size=2000):
        """Refresh the last activity of the next batch of contacts in a domain.

        Walks the contacts by id, a batch a call, remembering where it stopped; Odoo's
        cron runner calls again while contacts remain and commits after each batch.
        """
        Param = self.env["ir.config_parameter"].sudo()
        after = int(Param.get_param(CURSOR_PARAM, "0") or 0)
        domain = [("data_domain_owned", "=", True), ("id", ">", after)]
        batch = self.with_context(active_test=False).search(domain, order="id", limit=batch_size)
        batch._refresh_last_activity_date()
        remaining = self.with_context(active_test=False).search_count(
            [("data_domain_owned", "=", True), ("id", ">", batch[-1:].id or after)]
        )
        Param.set_param(CURSOR_PARAM, str(batch[-1:].id) if remaining else "0")
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return {"refreshed": len(batch), "remaining": remaining}

    # ------------------------------------------------------------------ decisions

    def _retention_log(self, outcome, note):
        return (
            self.env["culture.review.log"]
            .sudo()
            .create(
                [
                    {
                        "res_model": self._name,
                        "res_id": partner.id,
                        "reviewer_id": self.env.uid,
                        "outcome": outcome,
                        "note": note,
                        "due_date": partner.retention_due_date,
                        "data_domain_ids": [fields.Command.set(partner.data_domain_ids.ids)],
                    }
                    for partner in self
                ]
            )
        )

    def _retention_keep(self, reason, hold_until):
        """Keep these contacts until ``hold_until``, for ``reason`` (a legal hold)."""
        if not reason or not hold_until:
            raise UserError(self.env._("Keeping a contact needs a reason and a date."))
        self.check_access("write")
        logs = self._retention_log(
            "kept", self.env._("%(reason)s (until %(day)s)", reason=reason, day=hold_until)
        )
        self.sudo().write({"retention_hold_until": hold_until, "retention_hold_reason": reason})
        return logs

    def _retention_archive(self, note=False):
        self.check_access("write")
        logs = self._retention_log("archived", note)
        self.action_archive()
        return logs

    # ------------------------------------------------------------------ anonymisation

    def _culture_birth_year(self):
        """The birth year, if some module records a birth date on contacts."""
        self.ensure_one()
        for name in ("birthdate", "birthday", "date_of_birth", "culture_birthdate"):
            value = self[name] if name in self._fields else False
            if value and hasattr(value, "year"):
                return value.year
        return False

    def _culture_anonymised_values(self):
        """What the contact's row becomes: every stored personal text and image cleared,
        the aggregates kept (4-digit postcode, city, country, birth year)."""
        self.ensure_one()
        values = {
            "name": self.env._("Anonymised contact %(id)s", id=self.id),
            "active": False,
            "is_anonymised": True,
            "anonymised_birth_year": self._culture_birth_year(),
            "parent_id": False,
            "category_id": [fields.Command.clear()],
            "title": False,
            "retention_hold_until": False,
            "retention_hold_reason": False,
        }
        postcode = DUTCH_POSTCODE.match(self.zip or "")
        values["zip"] = postcode.group(1) if postcode else False
        for name, field in self._fields.items():
            if name in values or name in KEEP_TEXT_FIELDS or not field.store or field.compute:
                continue
            if field.type in ("char", "text", "html", "binary", "image"):
                values[name] = False
        return values

    def _culture_personal_strings(self):
        """The strings that identify this contact in free text elsewhere."""
        self.ensure_one()
        strings = {self.email, self.phone, self.mobile, self.email_normalized}
        if self.name and len(self.name) >= 5:
            strings.add(self.name)
        return sorted(s for s in strings if s and len(s) >= 5)

    def _culture_anonymise_related(self, strings, label):
        """Scrub what other records say about this contact; extend for more models.

        - the contact's own chatter and attachments are deleted (tracking values with
          them);
        - messages it wrote or received, and messages on its opportunities: the sender
          address and every occurrence of its name, e-mail and phone become ``label``;
        - tracking values anywhere holding its name or e-mail are scrubbed too;
        - opportunities keep their amounts and stages but lose the contact details;
        - roles keep their type and dates but lose their note and source reference;
        - bank accounts lose their number and holder (Odoo keeps the archived row).
        """
        self.ensure_one()
        cr = self.env.cr
        self.env.flush_all()
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "=", self.id)]
        ).unlink()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.id)]
        ).unlink()
        lead_ids = []
        if "crm.lead" in self.env:
            leads = (
                self.env["crm.lead"]
                .sudo()
                .with_context(active_test=False, tracking_disable=True)
                .search([("partner_id", "=", self.id)])
            )
            lead_ids = leads.ids
            leads.write(
                {
                    "contact_name": False,
                    "email_from": False,
                    "phone": False,
                    "mobile": False,
                    "street": False,
                    "street2": False,
                    "website": False,
                    "function": False,
                }
            )
        self.env.flush_all()
        cr.execute(
            SQL(
                "UPDATE mail_message SET email_from = NULL, reply_to = NULL WHERE author_id = %s",
                self.id,
            )
        )
        if strings:
            pattern = "|".join(_pg_literal_pattern(s) for s in strings)
            cr.execute(
                SQL(
                    """
                    UPDATE mail_message
                       SET body = regexp_replace(body, %(p)s, %(label)s, 'gi'),
                           subject = regexp_replace(subject, %(p)s, %(label)s, 'gi'),
                           email_from = regexp_replace(email_from, %(p)s, %(label)s, 'gi'),
                           reply_to = regexp_replace(reply_to, %(p)s, %(label)s, 'gi')
                     WHERE (author_id = %(id)s
                            OR id IN (SELECT mail_message_id FROM mail_message_res_partner_rel
                                       WHERE res_partner_id = %(id)s)
                            OR (model = 'crm.lead' AND res_id = ANY(%(leads)s)))
                    """,
                    p=pattern,
                    label=label,
                    id=self.id,
                    leads=lead_ids,
                )
            )
            for column in ("old_value_char", "new_value_char", "old_value_text", "new_value_text"):
                cr.execute(
                    SQL(
                        "UPDATE mail_tracking_value SET %(col)s = regexp_replace(%(col)s, "
                        "%(p)s, %(label)s, 'gi') WHERE %(col)s ~* %(p)s",
                        col=SQL.identifier(column),
                        p=pattern,
                        label=label,
                    )
                )
            cr.execute(
                SQL(
                    "UPDATE culture_review_log SET note = regexp_replace(note, %s, %s, 'gi') "
                    "WHERE partner_id = %s",
                    pattern,
                    label,
                    self.id,
                )
            )
        cr.execute(
            SQL(
                "UPDATE culture_partner_role SET note = NULL, source_reference = NULL "
                "WHERE partner_id = %s",
                self.id,
            )
        )
        if "culture.ticket.order" in self.env:
            cr.execute(
                SQL(
                    "UPDATE culture_ticket_order SET buyer_name = NULL, buyer_email = NULL, "
                    "buyer_phone = NULL, buyer_zip = substring(buyer_zip from '^\\s*(\\d{4})') "
                    "WHERE partner_id = %s",
                    self.id,
                )
            )
        # Odoo archives bank accounts instead of deleting them (payments may point at
        # them): keep the row, drop the account number and holder.
        accounts = (
            self.env["res.partner.bank"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id)])
        )
        for account in accounts:
            account.write(
                {"acc_number": f"{label} {account.id}", "acc_holder_name": False, "active": False}
            )
        self.env.invalidate_all()

    def _retention_anonymise(self, note=False):
        """Remove the personal data of these contacts for good, keeping aggregates.

        Odoo's privacy_lookup finds every record that mentions the person (its query
        over all models); the result and what was done go to Odoo's privacy log, next to
        our own review log line saying who decided.
        """
        self.check_access("write")
        if self.sudo().user_ids:
            raise UserError(
                self.env._(
                    "%(names)s can log in to Odoo: archive the user first.",
                    names=", ".join(self.sudo().user_ids.partner_id.mapped("name")),
                )
            )
        logs = self._retention_log("anonymised", note)
        for partner in self.sudo().with_context(active_test=False, tracking_disable=True):
            name, email = partner.name or "", partner.email or ""
            lookup = (
                self.env["privacy.lookup.wizard"]
                .sudo()
                .create({"name": name or "-", "email": email or name or "-"})
            )
            lookup.action_lookup()
            found = lookup.records_description
            label = self.env._("[anonymised]")
            strings = partner._culture_personal_strings()
            partner.write(partner._culture_anonymised_values())
            partner._culture_anonymise_related(strings, label)
            self.env["privacy.log"].sudo().create(
                {
                    "anonymized_name": name or "-",
                    "anonymized_email": email if "@" in email else "no-email@invalid",
                    "user_id": self.env.uid,
                    "execution_details": self.env._(
                        "Culture CRM anonymised contact %(id)s: personal fields cleared, its "
                        "messages and attachments deleted, its name and e-mail scrubbed "
                        "from other messages and tracking values.",
                        id=partner.id,
                    ),
                    "records_description": found,
                    "additional_note": note,
                }
            )
            lookup.unlink()
        return logs
