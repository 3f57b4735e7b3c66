# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from .culture_duplicate_reasons import translate_reasons

CANDIDATE_STATES = [
    ("open", "Open"),
    ("merged", "Merged"),
    ("not_duplicate", "Not a Duplicate"),
]
MATCH_LEVELS = [("likely", "Likely"), ("certain", "Certain")]
POSTPONE_DAYS = 7


class CultureDuplicateCandidate(models.Model):
    """A pair of contacts that may be one person or organisation, with the score and the
    reasons the matching engine gave.

    The pair is stored once, lowest id first. A steward's decision is the pair's state:
    "not a duplicate" stays on the pair, so no later scan proposes it again; "merged"
    keeps the survivor and the merged-away contact's name after the merge deleted it.
    """

    _name = "culture.duplicate.candidate"
    _description = "Possible Duplicate"
    _inherit = ["mail.thread"]
    _order = "state_sequence, score desc, id desc"
    _rec_name = "display_name"

    partner_a_id = fields.Many2one(
        "res.partner",
        string="Contact A",
        ondelete="cascade",
        index=True,
        readonly=True,
        help="The pair's contact with the lowest id; after a merge, the surviving contact.",
    )
    partner_b_id = fields.Many2one(
        "res.partner",
        string="Contact B",
        ondelete="cascade",
        index=True,
        readonly=True,
        help="The pair's other contact; empty once it was merged into contact A.",
    )
    score = fields.Integer(
        readonly=True, aggregator="max", help="How alike the two contacts are, 0 to 100."
    )
    level = fields.Selection(
        MATCH_LEVELS,
        readonly=True,
        help="Likely: a steward should look. Certain: the engine sees no doubt.",
    )
    reasons = fields.Text(
        readonly=True, help="Why the engine thinks the pair is one: one reason a line."
    )
    reasons_html = fields.Html(string="Why", compute="_compute_reasons_html", sanitize=True)
    reason_summary = fields.Char(string="Why (Summary)", compute="_compute_reasons_html")
    state = fields.Selection(
        CANDIDATE_STATES, default="open", required=True, index=True, tracking=True
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    postponed_until = fields.Date(
        tracking=True, help="'Later' hides the pair from the review list until this day."
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    merged_partner_name = fields.Char(
        string="Merged Contact", readonly=True, help="The contact merged into contact A."
    )
    merge_log_id = fields.Many2one("culture.partner.merge.log", readonly=True)
    scanned_on = fields.Datetime(readonly=True, help="When the engine last scored the pair.")

    # The two contacts side by side on the review screen.
    partner_a_email = fields.Char(related="partner_a_id.email", string="Email A")
    partner_b_email = fields.Char(related="partner_b_id.email", string="Email B")
    partner_a_phone = fields.Char(related="partner_a_id.phone", string="Phone A")
    partner_b_phone = fields.Char(related="partner_b_id.phone", string="Phone B")
    partner_a_mobile = fields.Char(related="partner_a_id.mobile", string="Mobile A")
    partner_b_mobile = fields.Char(related="partner_b_id.mobile", string="Mobile B")
    partner_a_street = fields.Char(related="partner_a_id.street", string="Street A")
    partner_b_street = fields.Char(related="partner_b_id.street", string="Street B")
    partner_a_zip = fields.Char(related="partner_a_id.zip", string="Postcode A")
    partner_b_zip = fields.Char(related="partner_b_id.zip", string="Postcode B")
    partner_a_city = fields.Char(related="partner_a_id.city", string="City A")
    partner_b_city = fields.Char(related="partner_b_id.city", string="City B")
    partner_a_country_id = fields.Many2one(related="partner_a_id.country_id", string="Country A")
    partner_b_country_id = fields.Many2one(related="partner_b_id.country_id", string="Country B")
    partner_a_parent_id = fields.Many2one(related="partner_a_id.parent_id", string="Company A")
    partner_b_parent_id = fields.Many2one(related="partner_b_id.parent_id", string="Company B")
    partner_a_is_company = fields.Boolean(related="partner_a_id.is_company", string="Company? A")
    partner_b_is_company = fields.Boolean(related="partner_b_id.is_company", string="Company? B")
    partner_a_relation_type_ids = fields.Many2many(
        related="partner_a_id.relation_type_ids", string="Relation Types A"
    )
    partner_b_relation_type_ids = fields.Many2many(
        related="partner_b_id.relation_type_ids", string="Relation Types B"
    )
    partner_a_create_date = fields.Datetime(related="partner_a_id.create_date", string="Since A")
    partner_b_create_date = fields.Datetime(related="partner_b_id.create_date", string="Since B")

    _sql_constraints = [
        (
            "pair_unique",
            "UNIQUE(partner_a_id, partner_b_id)",
            "This pair of contacts is already a possible duplicate.",
        ),
        (
            "pair_ordered",
            "CHECK(partner_b_id IS NULL OR partner_a_id < partner_b_id)",
            "A pair lists its contact with the lowest id first.",
        ),
        (
            "open_pair_complete",
            "CHECK(state = 'merged' OR (partner_a_id IS NOT NULL AND partner_b_id IS NOT NULL))",
            "An open or rejected pair needs both contacts.",
        ),
    ]

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"open": 0, "not_duplicate": 1, "merged": 2}
        for candidate in self:
            candidate.state_sequence = order.get(candidate.state, 9)

    @api.depends("reasons")
    @api.depends_context("lang")
    def _compute_reasons_html(self):
        for candidate in self:
            lines = translate_reasons(
                self.env, [line for line in (candidate.reasons or "").splitlines() if line.strip()]
            )
            candidate.reason_summary = "; ".join(lines)
            candidate.reasons_html = (
                Markup("<ul>%s</ul>")
                % Markup().join(Markup("<li>%s</li>") % escape(line) for line in lines)
                if lines
                else False
            )

    @api.depends("partner_a_id", "partner_b_id", "merged_partner_name", "score")
    def _compute_display_name(self):
        for candidate in self:
            other = candidate.partner_b_id.display_name or candidate.merged_partner_name or "?"
            candidate.display_name = self.env._(
                "%(a)s / %(b)s (%(score)s%%)",
                a=candidate.partner_a_id.display_name or "?",
                b=other,
                score=candidate.score,
            )

    # ------------------------------------------------------------------
    # Pairs
    # ------------------------------------------------------------------
    @api.model
    def _pair_key(self, id_a, id_b):
        return (id_a, id_b) if id_a < id_b else (id_b, id_a)

    @api.model
    def _decided_pairs(self, partner_ids):
        """The pairs touching these contacts that a steward already decided on."""
        if not partner_ids:
            return set()
        self.flush_model(["partner_a_id", "partner_b_id", "state"])
        self.env.cr.execute(
            """
            SELECT partner_a_id, partner_b_id FROM culture_duplicate_candidate
             WHERE state <> 'open' AND partner_b_id IS NOT NULL
               AND (partner_a_id = ANY(%(ids)s) OR partner_b_id = ANY(%(ids)s))
            """,
            {"ids": list(partner_ids)},
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _record_matches(self, matches, scanned_partner_ids=None):
        """Store the engine's matches as open candidates, in one batch.

        ``matches`` are engine Match objects (or anything with id_a, id_b, score,
        reasons, level). A pair a steward decided on is left alone; an open pair gets
        the new score and reasons. Open pairs among ``scanned_partner_ids`` that the
        engine no longer reports (someone fixed the data) are removed.
        Returns the number of new candidates.
        """
        by_pair = {}
        for match in matches:
            key = self._pair_key(int(match.id_a), int(match.id_b))
            if key[0] == key[1]:
                continue
            if key not in by_pair or match.score > by_pair[key].score:
                by_pair[key] = match
        touched_ids = {pid for pair in by_pair for pid in pair} | set(scanned_partner_ids or ())
        existing = self.with_context(active_test=False).search(
            [
                "|",
                ("partner_a_id", "in", list(touched_ids)),
                ("partner_b_id", "in", list(touched_ids)),
            ]
        )
        existing_by_pair = {
            (cand.partner_a_id.id, cand.partner_b_id.id): cand
            for cand in existing
            if cand.partner_b_id
        }
        now = fields.Datetime.now()
        to_create = []
        confirmed = self.browse()
        for key, match in by_pair.items():
            values = {
                "score": round(match.score),
                "level": match.level if match.level in dict(MATCH_LEVELS) else "likely",
                "reasons": "\n".join(match.reasons or []),
                "scanned_on": now,
            }
            candidate = existing_by_pair.get(key)
            if candidate is None:
                to_create.append(dict(values, partner_a_id=key[0], partner_b_id=key[1]))
            elif candidate.state != "open":
                continue
            elif candidate.score != values["score"] or candidate.reasons != values["reasons"]:
                candidate.write(values)
            else:
                confirmed |= candidate
        confirmed.write({"scanned_on": now})
        if scanned_partner_ids:
            scanned = set(scanned_partner_ids)
            gone = existing.filtered(
                lambda cand: cand.state == "open"
                and (cand.partner_a_id.id, cand.partner_b_id.id) not in by_pair
                and {cand.partner_a_id.id, cand.partner_b_id.id} & scanned
            )
            gone.unlink()
        # Found by a scan, not by a person: no creation message on each of thousands.
        self.with_context(tracking_disable=True).create(to_create)
        return len(to_create)

    @api.model
    def _get_or_create_pair(self, partner, other, score=0):
        """The candidate of these two contacts, scored now if it did not exist."""
        key = self._pair_key(partner.id, other.id)
        candidate = self.search(
            [("partner_a_id", "=", key[0]), ("partner_b_id", "=", key[1])], limit=1
        )
        if candidate:
            return candidate
        contacts = self.env["res.partner"]._culture_engine_contacts(key)
        match = self._engine().score_pair(contacts[key[0]], contacts[key[1]])
        return self.create(
            {
                "partner_a_id": key[0],
                "partner_b_id": key[1],
                "score": round(match.score) if match else score,
                "level": match.level if match and match.level in dict(MATCH_LEVELS) else "likely",
                "reasons": "\n".join(match.reasons) if match else False,
                "scanned_on": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------------
    # Steward decisions
    # ------------------------------------------------------------------
    def _check_open(self):
        if self.filtered(lambda cand: cand.state != "open" or not cand.partner_b_id):
            raise UserError(self.env._("Only open pairs can be decided on."))

    def _decision_values(self, state):
        return {
            "state": state,
            "decided_by_id": self.env.uid,
            "decided_on": fields.Datetime.now(),
            "postponed_until": False,
        }

    def action_not_duplicate(self):
        """Remember that these are different contacts; no scan proposes them again."""
        self._check_open()
        self.write(self._decision_values("not_duplicate"))
        return self._next_review_action()

    def action_later(self):
        """Hide the pair from the review list for a week."""
        self._check_open()
        day = fields.Date.context_today(self) + timedelta(days=POSTPONE_DAYS)
        self.write({"postponed_until": day})
        return self._next_review_action()

    def action_reopen(self):
        """Undo a 'not a duplicate' decision: the pair is open for review again."""
        if self.filtered(lambda cand: cand.state != "not_duplicate"):
            raise UserError(self.env._("Only pairs marked 'not a duplicate' can be reopened."))
        self.write({"state": "open", "decided_by_id": False, "decided_on": False})

    def action_merge(self):
        """Open the comparison step: differences field by field, then Odoo's merge."""
        self.ensure_one()
        self._check_open()
        wizard = self.env["culture.partner.merge"].create({"candidate_id": self.id})
        return wizard._open_action()

    def action_open_partner_a(self):
        return self.partner_a_id._get_records_action()

    def action_open_partner_b(self):
        return self.partner_b_id._get_records_action()

    def _next_review_action(self):
        """From the review form, go on to the next open pair, best score first; back to
        the (empty) list when none is left."""
        if len(self) != 1 or not self.env.context.get("culture_review_next"):
            return True
        following = self.search(self._review_domain(), limit=1)
        if following:
            return following._get_records_action(context=dict(self.env.context))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "culture_crm.culture_duplicate_candidate_action"
        )
        return dict(action, target="main")

    @api.model
    def _review_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("state", "=", "open"),
            "|",
            ("postponed_until", "=", False),
            ("postponed_until", "<=", today),
        ]
