# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The audience figures of many contacts at once: a few queries, whatever their number."""

import datetime as dt
import json

import pytz

from odoo import fields
from odoo.addons.culture_crm.models.local_time import house_tz, local_day
from odoo.tools import SQL

from ..pipeline import audience

CUTS_PARAMETER = "culture_crm_ticketing.rfm_cuts"
GENRE_CATEGORY = "culture_crm_ticketing.event_tag_category_genre"


class AudienceCalculator:
    """Reads ticket history for contacts and turns it into their stored audience fields.

    ``today`` is fixed per calculator, so one batch scores all its contacts on one day.
    """

    def __init__(self, env, today=None):
        self.env = env
        self.today = today or fields.Date.context_today(env["res.partner"])
        # Odoo stores UTC; a visit and an order fall on a local day.
        self.tz = house_tz(env)
        # Performances 'happened' up to the end of today, local time (as UTC, as stored).
        end_of_day = dt.datetime.combine(self.today, dt.time.max)
        self.now = pytz.timezone(self.tz).localize(end_of_day).astimezone(pytz.utc)
        self.now = self.now.replace(tzinfo=None)

    # --- reading ------------------------------------------------------------------------------
    def figures(self, partner_ids):
        """``{partner_id: pipeline.audience.Figures}`` for the contacts with any history."""
        ids = [pid for pid in partner_ids if isinstance(pid, int)]
        if not ids:
            return {}
        for model in ("culture.ticket", "culture.ticket.order", "event.event"):
            self.env[model].flush_model()
        result = {}

        def of(partner_id):
            if partner_id not in result:
                result[partner_id] = audience.Figures()
            return result[partner_id]

        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT t.partner_id,
                       min(%(day)s) FILTER (WHERE e.date_begin <= %(now)s),
                       max(%(day)s) FILTER (WHERE e.date_begin <= %(now)s),
                       min(%(day)s) FILTER (WHERE e.date_begin > %(now)s),
                       count(DISTINCT t.event_id) FILTER (
                           WHERE e.date_begin <= %(now)s AND e.date_begin > %(year_ago)s),
                       count(DISTINCT t.event_id) FILTER (WHERE e.date_begin <= %(now)s)
                  FROM culture_ticket t
                  JOIN event_event e ON e.id = t.event_id
                 WHERE t.state = 'valid' AND t.partner_id = ANY(%(ids)s)
                 GROUP BY t.partner_id
                """,
                day=self._performance_day(),
                now=self.now,
                year_ago=self.now - dt.timedelta(days=365),
                ids=ids,
            )
        )
        for partner_id, first, last, upcoming, visits_12m, visits in cr.fetchall():
            figures = of(partner_id)
            figures.first_visit = first
            figures.last_visit = last
            figures.next_visit = upcoming
            figures.visits_12m = visits_12m
            figures.visits_total = visits

        cr.execute(
            SQL(
                """
                SELECT o.partner_id, count(*),
                       coalesce(sum(o.total - coalesce(o.refunded_amount, 0)), 0),
                       min(%(paid_day)s),
                       max(%(paid_day)s),
                       coalesce(sum(o.valid_ticket_count), 0),
                       coalesce(sum(o.valid_ticket_amount), 0)
                  FROM culture_ticket_order o
                 WHERE o.state = 'paid' AND o.active AND o.partner_id = ANY(%(ids)s)
                 GROUP BY o.partner_id
                """,
                paid_day=local_day(SQL("coalesce(o.paid_at, o.placed_at)"), self.tz),
                ids=ids,
            )
        )
        for partner_id, orders, revenue, first, last, tickets, ticket_revenue in cr.fetchall():
            figures = of(partner_id)
            figures.orders = orders
            figures.revenue = float(revenue)
            figures.first_order = first
            figures.last_order = last
            figures.tickets = tickets
            figures.ticket_revenue = float(ticket_revenue)

        category = self.env.ref(GENRE_CATEGORY, raise_if_not_found=False)
        cr.execute(
            SQL(
                """
                SELECT DISTINCT t.partner_id, t.event_id, %(day)s, rel.event_tag_id
                  FROM culture_ticket t
                  JOIN event_event e ON e.id = t.event_id
                  JOIN event_event_event_tag_rel rel ON rel.event_event_id = t.event_id
                  JOIN event_tag tag ON tag.id = rel.event_tag_id
                 WHERE t.state = 'valid' AND t.partner_id = ANY(%(ids)s) %(category)s
                """,
                day=self._performance_day(),
                ids=ids,
                category=SQL("AND tag.category_id = %s", category.id) if category else SQL(),
            )
        )
        for partner_id, _event_id, day, tag_id in cr.fetchall():
            weights = of(partner_id).genre_weights
            weights[tag_id] = weights.get(tag_id, 0.0) + audience.genre_weight(day, self.today)
        return result

    def _performance_day(self):
        """SQL: the day of ``e.date_begin`` where the performance takes place (its
        event's time zone, else the house's)."""
        return local_day(SQL("e.date_begin"), SQL("coalesce(e.date_tz, %s)", self.tz))

    # --- writing ------------------------------------------------------------------------------
    def values(self, partner_ids):
        """``{partner id: {column: value}}``: the stored audience fields of these contacts
        (also of those without any history: their figures are cleared)."""
        figures_by_id = self.figures(partner_ids)
        cuts = self.cuts()
        result = {}
        for partner_id in partner_ids:
            figures = figures_by_id.get(partner_id) or audience.Figures()
            recency, frequency, monetary = audience.rfm_scores(figures, self.today, cuts)
            genres = audience.top_genres(figures.genre_weights)
            result[partner_id] = {
                "audience_first_visit": figures.first_visit,
                "audience_last_visit": figures.last_visit,
                "audience_next_visit": figures.next_visit,
                "audience_last_activity": figures.latest_ticket_activity,
                "audience_visits_12m": figures.visits_12m,
                "audience_visits_total": figures.visits_total,
                "audience_order_count": figures.orders,
                "audience_revenue": figures.revenue,
                "audience_ticket_count": figures.tickets,
                "audience_avg_ticket_price": figures.average_ticket_price,
                "audience_top_genre_id": genres[0] if genres else None,
                "audience_recency_score": recency,
                "audience_frequency_score": frequency,
                "audience_monetary_score": monetary,
                "audience_rfm": f"{recency}{frequency}{monetary}" if recency else None,
                "audience_segment": audience.segment(figures, self.today),
                "genre_ids": genres,
            }
        return result

    def refresh(self, partner_ids):
        """Write the audience fields of these contacts: one UPDATE for all of them, and
        their favourite genres replaced in one DELETE and one INSERT.

        Plain SQL on purpose (see ``models/res_partner.py``): the figures are derived
        data that nothing computes from, and writing them must not count as a change
        of the contact. The caller invalidates the ORM cache of these fields.
        """
        ids = sorted(pid for pid in set(partner_ids) if isinstance(pid, int))
        if not ids:
            return {}
        values = self.values(ids)
        partner = self.env["res.partner"]
        columns = [name for name in next(iter(values.values())) if name != "genre_ids"]
        casts = [partner._fields[name].column_type[1] for name in columns]
        placeholder = "(%s, " + ", ".join("%s" for _name in columns) + ")"
        params = [value for pid in ids for value in (pid, *(values[pid][c] for c in columns))]
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET (%(columns)s) = (%(new)s)
                  FROM (VALUES %(rows)s) AS v(id, %(columns)s)
                 WHERE p.id = v.id AND (%(old)s) IS DISTINCT FROM (%(new)s)
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                new=SQL(", ").join(
                    SQL("v.%s::%s", SQL.identifier(c), SQL(cast))
                    for c, cast in zip(columns, casts, strict=True)
                ),
                old=SQL(", ").join(SQL("p.%s", SQL.identifier(c)) for c in columns),
                rows=SQL(", ".join([placeholder] * len(ids)), *params),
            )
        )
        # Only the favourite genres that changed: most contacts of a batch keep theirs.
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, tag_id FROM res_partner_audience_genre_rel "
                "WHERE partner_id = ANY(%s)",
                ids,
            )
        )
        stored = set(self.env.cr.fetchall())
        wanted = {(pid, tag) for pid in ids for tag in values[pid]["genre_ids"]}
        gone = sorted(stored - wanted)
        if gone:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM res_partner_audience_genre_rel rel USING (VALUES %s) AS g(p, t) "
                    "WHERE rel.partner_id = g.p AND rel.tag_id = g.t",
                    SQL(", ").join(SQL("(%s, %s)", pid, tag) for pid, tag in gone),
                )
            )
        pairs = sorted(wanted - stored)
        if pairs:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO res_partner_audience_genre_rel (partner_id, tag_id) VALUES %s",
                    SQL(", ").join(SQL("(%s, %s)", pid, tag) for pid, tag in pairs),
                )
            )
        return values

    # --- RFM quintiles ----------------------------------------------------------------------
    def cuts(self):
        raw = self.env["ir.config_parameter"].sudo().get_param(CUTS_PARAMETER)
        try:
            return json.loads(raw) if raw else dict(audience.DEFAULT_CUTS)
        except ValueError:
            return dict(audience.DEFAULT_CUTS)

    def store_cuts(self, cuts):
        if cuts:
            self.env["ir.config_parameter"].sudo().set_param(CUTS_PARAMETER, json.dumps(cuts))

    def measure_cuts(self):
        """The quintile cut points of recency, frequency and revenue over the audience."""
        for model in ("culture.ticket", "culture.ticket.order", "event.event"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH visits AS (
                    SELECT t.partner_id, count(DISTINCT t.event_id) AS visits,
                           max(e.date_begin) AS last_visit
                      FROM culture_ticket t JOIN event_event e ON e.id = t.event_id
                     WHERE t.state = 'valid' AND e.date_begin <= %(now)s
                     GROUP BY t.partner_id
                ), orders AS (
                    SELECT partner_id, sum(total - coalesce(refunded_amount, 0)) AS revenue,
                           max(coalesce(paid_at, placed_at)) AS last_order
                      FROM culture_ticket_order
                     WHERE state = 'paid' AND active AND partner_id IS NOT NULL
                     GROUP BY partner_id
                ), audience AS (
                    SELECT coalesce(v.visits, 0) AS visits,
                           coalesce(o.revenue, 0) AS revenue,
                           %(today)s::date - GREATEST(v.last_visit, o.last_order)::date AS idle
                      FROM visits v FULL JOIN orders o ON o.partner_id = v.partner_id
                )
                SELECT count(*),
                       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY idle),
                       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY visits),
                       percentile_disc(ARRAY[0.2, 0.4, 0.6, 0.8]) WITHIN GROUP (ORDER BY revenue)
                  FROM audience
                """,
                now=self.now,
                today=self.today,
            )
        )
        count, recency, frequency, monetary = self.env.cr.fetchone()
        if not count:
            return {}
        return {
            "recency": [max(int(value), 0) for value in recency],
            "frequency": [int(value) for value in frequency],
            "monetary": [float(value) for value in monetary],
        }
