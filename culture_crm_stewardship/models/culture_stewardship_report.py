# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from .culture_reviewable_mixin import DEFAULT_DUE_DAYS, DUE_DAYS_PARAM


class CultureStewardshipReport(models.Model):
    """The Monday page of a data owner: per domain, how well its contacts are kept.

    One row per (domain, contact), so every measure sums (or averages) per domain in the
    graph and pivot views. Domains overlap, so a total over several domains counts a
    contact once per domain.
    """

    _name = "culture.stewardship.report"
    _description = "Stewardship Dashboard"
    _auto = False
    _rec_name = "partner_id"
    _order = "data_domain_id"
    _depends = {
        "res.partner": ["active", "next_review_date", "data_domain_ids"],
        "culture.data.domain": ["active", "owner_id"],
        "culture.review.log": ["partner_id", "on_time", "outcome", "date", "data_domain_ids"],
    }

    data_domain_id = fields.Many2one("culture.data.domain", readonly=True)
    owner_id = fields.Many2one("res.users", string="Data Owner", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    next_review_date = fields.Date(readonly=True)
    partner_count = fields.Integer(string="Contacts", readonly=True)
    due_count = fields.Integer(string="Due", readonly=True)
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    reviewed_on_time_count = fields.Integer(
        string="Reviewed on Time (12 Months)",
        readonly=True,
        help="Contacts with a review in this domain in the last 12 months, done on or before "
        "the date it was due.",
    )
    completeness = fields.Float(
        string="Average Completeness",
        aggregator="avg",
        readonly=True,
        help="The contacts' completeness (0-100) as Culture CRM measures it.",
    )
    open_duplicate_count = fields.Integer(
        string="Open Duplicate Candidates",
        readonly=True,
        help="Open duplicate candidate pairs this contact is part of.",
    )

    def _completeness_sql(self):
        field = self.env["res.partner"]._fields.get("culture_completeness")
        if field and field.store:
            # Not in _depends (it may not exist): flush it here, before it is read.
            self.env["res.partner"].flush_model(["culture_completeness"])
            return SQL("p.culture_completeness")
        return SQL("NULL::float")

    def _open_duplicates_sql(self):
        if "culture.duplicate.candidate" not in self.env:
            return SQL("0")
        self.env["culture.duplicate.candidate"].flush_model(
            ["state", "partner_a_id", "partner_b_id"]
        )
        return SQL(
            """(SELECT count(*) FROM culture_duplicate_candidate c
                 WHERE c.state = 'open' AND (c.partner_a_id = p.id OR c.partner_b_id = p.id))"""
        )

    def _query(self):
        return SQL(
            """
            WITH settings AS (
                SELECT COALESCE(
                    (SELECT value::int FROM ir_config_parameter
                      WHERE key = %(due_param)s AND value ~ '^[0-9]+$'),
                    %(due_default)s
                ) AS due_days
            )
            SELECT row_number() OVER (ORDER BY rel.data_domain_id, rel.partner_id) AS id,
                   rel.data_domain_id,
                   d.owner_id,
                   rel.partner_id,
                   p.next_review_date,
                   1 AS partner_count,
                   CASE WHEN p.next_review_date >= %(today)s
                         AND p.next_review_date <= %(today)s + settings.due_days
                        THEN 1 ELSE 0 END AS due_count,
                   CASE WHEN p.next_review_date < %(today)s THEN 1 ELSE 0 END AS overdue_count,
                   CASE WHEN EXISTS (
                            SELECT 1
                              FROM culture_review_log log
                              JOIN culture_review_log_data_domain_rel log_domain
                                ON log_domain.review_log_id = log.id
                             WHERE log.partner_id = p.id
                               AND log_domain.data_domain_id = rel.data_domain_id
                               AND log.on_time
                               AND log.outcome IN ('confirmed', 'updated')
                               AND log.date >= %(today)s - INTERVAL '12 months'
                        ) THEN 1 ELSE 0 END AS reviewed_on_time_count,
                   %(completeness)s AS completeness,
                   %(open_duplicates)s AS open_duplicate_count
              FROM culture_data_domain_res_partner_rel rel
              JOIN culture_data_domain d ON d.id = rel.data_domain_id AND d.active
              JOIN res_partner p ON p.id = rel.partner_id AND p.active
             CROSS JOIN settings
            """,
            # The reader's day (their time zone), not the database server's: after
            # midnight in Amsterdam a review due yesterday is overdue, also in UTC's evening.
            today=fields.Date.context_today(self),
            due_param=DUE_DAYS_PARAM,
            due_default=DEFAULT_DUE_DAYS,
            completeness=self._completeness_sql(),
            open_duplicates=self._open_duplicates_sql(),
        )

    @property
    def _table_query(self):
        # A query rather than a database view: always in line with the fields other
        # modules add (completeness, duplicate candidates), and nothing to migrate.
        return self._query()
