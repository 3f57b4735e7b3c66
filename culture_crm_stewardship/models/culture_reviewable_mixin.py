# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import zlib
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

REVIEW_STATES = [
    ("none", "Not in a Domain"),
    ("ok", "Up to Date"),
    ("due", "Due"),
    ("overdue", "Overdue"),
]
REVIEW_OUTCOMES = [
    ("confirmed", "Confirmed"),
    ("updated", "Updated"),
    ("kept", "Kept (Retention)"),
    ("archived", "Archived"),
    ("anonymised", "Anonymised"),
]
DUE_DAYS_PARAM = "culture_crm_stewardship.review_due_days"
DEFAULT_DUE_DAYS = 30


class CultureReviewableMixin(models.AbstractModel):
    """Periodic review of a record by the stewards of its data domains.

    A consumer inherits the mixin and names, in ``_review_domain_field``, its many2many
    to ``culture.data.domain``. The mixin then gives it:

    - ``last_review_date``, ``next_review_date`` (from the shortest review interval of its
      domains) and ``review_state`` (ok, due within N days, overdue);
    - ``_cron_request_reviews``: a batched, concurrency-safe scheduled action that gives
      the domains' stewards a "Review data" activity for each record that became due;
    - ``_mark_reviewed``: sets the dates, closes the activity and writes a review log line.

    Hooks to override: ``_review_domains``, ``_review_base_date``, ``_review_stewards`` and
    ``_review_activity_values``. Editing a record never counts as a review by itself:
    only ``_mark_reviewed`` moves ``last_review_date``.
    """

    _name = "culture.reviewable.mixin"
    _description = "Reviewed Periodically by Data Stewards"

    # Consumer configuration.
    _review_domain_field = "data_domain_ids"
    _review_batch_size = 500
    _review_cron_xmlid = None

    last_review_date = fields.Date(
        readonly=True,
        copy=False,
        help="When a steward last confirmed this record. Editing it does not count.",
    )
    next_review_date = fields.Date(
        compute="_compute_next_review_date",
        store=True,
        index=True,
        copy=False,
        help="Last review (or creation) plus the shortest review interval of its domains.",
    )
    review_state = fields.Selection(
        REVIEW_STATES,
        compute="_compute_review_state",
        search="_search_review_state",
        help="Due: the next review falls within the coming days set in the system parameter "
        f"{DUE_DAYS_PARAM} (default {DEFAULT_DUE_DAYS}). Overdue: it has passed.",
    )
    review_requested_date = fields.Date(
        readonly=True,
        copy=False,
        help="The review date for which the stewards were last given a review activity; it "
        "keeps two scheduled runs from asking twice.",
    )
    review_log_ids = fields.One2many(
        "culture.review.log",
        "res_id",
        string="Reviews",
        domain=lambda self: [("res_model", "=", self._name)],
        readonly=True,
    )

    # ------------------------------------------------------------------ hooks

    def _review_domains(self):
        """The data domains this record falls in."""
        return self[self._review_domain_field]

    def _review_base_date(self):
        """The date the review interval runs from: the last review, else creation."""
        self.ensure_one()
        if self.last_review_date:
            return self.last_review_date
        if self.create_date:
            return fields.Date.context_today(self, self.create_date)
        return fields.Date.context_today(self)

    def _review_stewards(self):
        """The users who may be given this record's review: the stewards of its domains,
        else their owners."""
        domains = self._review_domains()
        return domains.steward_ids.filtered("active") or domains.owner_id.filtered("active")

    def _review_activity_values(self, steward, activity_type, model_id):
        self.ensure_one()
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": steward.id,
            "date_deadline": self.next_review_date,
            "summary": ", ".join(self._review_domains().mapped("name")),
        }

    # ------------------------------------------------------------------ dates and state

    @api.model
    def _review_due_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(DUE_DAYS_PARAM)
        try:
            return max(int(value), 0) if value else DEFAULT_DUE_DAYS
        except ValueError:
            return DEFAULT_DUE_DAYS

    @api.depends(
        lambda self: (
            "last_review_date",
            "create_date",
            f"{self._review_domain_field}.review_interval_months",
        )
    )
    def _compute_next_review_date(self):
        # A batch (a sync's new contacts) mostly shares its domains and its date: read
        # each set of domains' interval once and assign each distinct date once.
        interval_of = {}  # domains -> shortest review interval in months, or None
        records_by_date = defaultdict(list)
        for record in self:
            domains = record._review_domains()
            if domains not in interval_of:
                intervals = domains.mapped("review_interval_months")
                interval_of[domains] = min(intervals) if intervals else None
            months = interval_of[domains]
            next_date = (
                record._review_base_date() + relativedelta(months=months)
                if months is not None
                else False
            )
            records_by_date[next_date].append(record.id)
        for next_date, record_ids in records_by_date.items():
            self.browse(record_ids).next_review_date = next_date

    @api.depends("next_review_date")
    def _compute_review_state(self):
        today = fields.Date.context_today(self)
        due_limit = today + timedelta(days=self._review_due_days())
        for record in self:
            next_date = record.next_review_date
            if not next_date:
                record.review_state = "none"
            elif next_date < today:
                record.review_state = "overdue"
            elif next_date <= due_limit:
                record.review_state = "due"
            else:
                record.review_state = "ok"

    def _review_state_domain(self, state):
        today = fields.Date.context_today(self)
        due_limit = today + timedelta(days=self._review_due_days())
        return {
            "none": [("next_review_date", "=", False)],
            "overdue": [("next_review_date", "<", today)],
            "due": [("next_review_date", ">=", today), ("next_review_date", "<=", due_limit)],
            "ok": [("next_review_date", ">", due_limit)],
        }[state]

    def _search_review_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Review state cannot be searched with %s.", operator))
        states = [value] if isinstance(value, str) or not value else list(value)
        domain = expression.OR([self._review_state_domain(state) for state in states if state])
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    def write(self, vals):
        if (
            "last_review_date" in vals
            and not self.env.su
            and not self.env.context.get("culture_review_marking")
        ):
            raise UserError(
                self.env._(
                    "The last review date only moves when a steward marks the record "
                    "reviewed. Use 'Mark Reviewed'."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ reviewing

    @api.model
    def _review_activity_type(self):
        return self.env.ref("culture_crm_stewardship.mail_activity_type_review_data")

    def _open_review_activities(self):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self._review_activity_type().id),
                ]
            )
        )

    def _mark_reviewed(self, outcome="confirmed", note=False):
        """Record a review by the current user: dates, activity, log line.

        The user must be allowed to change the records (a steward of one of their
        domains, or a manager); the log and the activity are then written as superuser
        because plain users may neither forge log lines nor close others' activities.
        """
        if not self:
            return self.env["culture.review.log"]
        self.check_access("write")
        today = fields.Date.context_today(self)
        logs = (
            self.env["culture.review.log"]
            .sudo()
            .create(
                [
                    {
                        "res_model": self._name,
                        "res_id": record.id,
                        "reviewer_id": self.env.uid,
                        "outcome": outcome,
                        "note": note,
                        "due_date": record.next_review_date,
                        "data_domain_ids": [fields.Command.set(record._review_domains().ids)],
                    }
                    for record in self
                ]
            )
        )
        self.with_context(culture_review_marking=True).write({"last_review_date": today})
        activities = self._open_review_activities()
        if activities:
            feedback = note or dict(REVIEW_OUTCOMES)[outcome]
            activities.with_context(culture_review_marking=True).action_feedback(feedback=feedback)
        return logs

    def action_mark_reviewed(self):
        """Open the review dialog for the selected records (form button, list header)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark Reviewed"),
            "res_model": "culture.review.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
            },
        }

    # ------------------------------------------------------------------ scheduled action

    def _review_try_lock(self):
        """Take a PostgreSQL transaction lock per model: one review batch at a time.

        It is released when the batch commits (or rolls back), so the next batch of the
        same run, or of another worker, goes next.
        """
        key = zlib.crc32(f"culture_review_requests:{self._name}".encode())
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", key))
        return self.env.cr.fetchone()[0]

    def _review_candidates_sql(self, due_limit, activity_type, limit=None):
        active = SQL("AND rec.active") if "active" in self._fields else SQL()
        query = SQL(
            """
            SELECT rec.id
              FROM %(table)s rec
             WHERE rec.next_review_date <= %(due_limit)s
               %(active)s
               AND rec.review_requested_date IS DISTINCT FROM rec.next_review_date
               AND NOT EXISTS (
                   SELECT 1 FROM mail_activity act
                    WHERE act.res_model = %(model)s AND act.res_id = rec.id
                      AND act.activity_type_id = %(type)s AND act.active
               )
            """,
            table=SQL.identifier(self._table),
            due_limit=due_limit,
            active=active,
            model=self._name,
            type=activity_type.id,
        )
        if limit is None:
            return SQL("SELECT count(*) FROM (%s) candidates", query)
        # SKIP LOCKED: rows another worker is handling right now are left to it.
        return SQL(
            "%s ORDER BY rec.next_review_date, rec.id LIMIT %s "
            "FOR NO KEY UPDATE OF rec SKIP LOCKED",
            query,
            limit,
        )

    def _review_claim(self, record_ids):
        """Mark these records as asked for their current review date, and return them.

        The row update is the guarantee against double activities: a second worker whose
        snapshot predates this commit fails on these rows instead of asking again.
        """
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s SET review_requested_date = next_review_date
                 WHERE id = ANY(%(ids)s)
                   AND review_requested_date IS DISTINCT FROM next_review_date
             RETURNING id
                """,
                table=SQL.identifier(self._table),
                ids=list(record_ids),
            )
        )
        claimed = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model(["review_requested_date"])
        return self.browse(claimed)

    @api.model
    def _review_open_load(self, activity_type):
        """Open review activities per steward: the load the next ones are spread over."""
        groups = (
            self.env["mail.activity"]
            .sudo()
            ._read_group([("activity_type_id", "=", activity_type.id)], ["user_id"], ["__count"])
        )
        return defaultdict(int, {user.id: count for user, count in groups if user})

    @api.model
    def _cron_request_reviews(self, batch_size=None):
        """Give stewards a review activity for the next batch of records that became due.

        One call handles one batch of ``batch_size`` records and reports its progress with
        ``_notify_progress``: Odoo's cron runner commits after each call and calls again
        while records remain (up to ten batches a run, then it reschedules itself at
        once), so a crash loses at most one batch. A manual run triggers the rest.

        A record goes to the least loaded steward of its domains (open review activities,
        then user id). Safe twice and on two workers at once: a transaction lock lets one
        batch run at a time, rows another worker holds are skipped, and each record is
        claimed for its review date before its activity is created.

        :return: dict with ``requested`` (activities created in this batch),
            ``remaining`` (records still to ask for) and ``skipped`` (another worker held
            the lock)
        """
        batch_size = batch_size or self._review_batch_size
        if not self._review_try_lock():
            _logger.info("Review requests for %s: another worker is busy, skipping", self._name)
            return {"requested": 0, "remaining": 0, "skipped": True}
        activity_type = self._review_activity_type()
        model_id = self.env["ir.model"]._get_id(self._name)
        due_limit = fields.Date.context_today(self) + timedelta(days=self._review_due_days())
        self.env.flush_all()
        self.env.cr.execute(self._review_candidates_sql(due_limit, activity_type, batch_size))
        records = self._review_claim([row[0] for row in self.env.cr.fetchall()]).sudo()
        load = self._review_open_load(activity_type)
        vals_list = []
        for record in records:
            stewards = record._review_stewards()
            if not stewards:
                continue
            steward = min(stewards, key=lambda user: (load[user.id], user.id))
            load[steward.id] += 1
            vals_list.append(record._review_activity_values(steward, activity_type, model_id))
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        self.env.flush_all()
        self.env.cr.execute(self._review_candidates_sql(due_limit, activity_type))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(vals_list), remaining=remaining)
        if remaining and not self.env.context.get("cron_id") and self._review_cron_xmlid:
            # A manual run does one batch; Odoo's cron runner does the rest soon.
            self.env.ref(self._review_cron_xmlid)._trigger()
        return {"requested": len(vals_list), "remaining": remaining, "skipped": False}
