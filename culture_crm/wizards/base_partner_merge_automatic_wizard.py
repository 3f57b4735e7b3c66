# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2
from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# Tables whose rows the steps below already reconciled, or that are Odoo's own.
RECONCILED_TABLES = {
    "culture_duplicate_candidate",
    "culture_partner_merge_log",
    "culture_partner_role",
    "mail_followers",
}

# A row of these that cannot move means the survivor already holds the same one (a
# notification of one message, a reaction): dropping it loses nothing worth a log line.
UNLOGGED_MODELS = {
    "mail.notification",
    "mail.message.reaction",
    "calendar.filter",
    "res.users.settings.volumes",
}


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's merge, made safe for a CRM that keeps history.

    Odoo moves every row that points at the merged-away contact with one SQL UPDATE a
    table; when a unique constraint refuses the UPDATE it deletes all of that contact's
    rows in the table, and SQL skips Python constraints. Before Odoo's step this class:

    - extends the survivor's roles over the merged contact's overlapping roles of the
      same type instead of leaving two overlapping periods;
    - drops only the follower rows that would be doubles;
    - moves the other rows one by one where the table refuses a bulk move, and keeps a
      copy of each row that cannot move in the merge log;
    - carries steward decisions (not a duplicate) over to the survivor;
    - writes a merge log on the survivor with the merged contact's values.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # A steward who compared the pair field by field may merge different emails.
        if self.env.context.get("culture_reviewed_merge"):
            extra_checks = False
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        self.env.flush_all()
        log = self._culture_create_merge_log(src_partners, dst_partner)
        self._culture_merge_duplicate_candidates(src_partners, dst_partner, log)
        self._culture_merge_roles(src_partners, dst_partner)
        self._culture_dedupe_subscriptions(src_partners, dst_partner)
        self.env.flush_all()
        dropped = self._culture_move_rows(src_partners, dst_partner)
        if dropped:
            log.sudo().dropped_records = (log.dropped_records or []) + dropped
        self.env.invalidate_all()
        return super()._update_foreign_keys(src_partners, dst_partner)

    @api.model
    def _update_reference_fields(self, src_partners, dst_partner):
        # Followers of the merged contact's record who already follow the survivor's.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM mail_followers src USING mail_followers dst
                 WHERE src.res_model = 'res.partner' AND src.res_id IN %(src)s
                   AND dst.res_model = 'res.partner'
                   AND (dst.res_id = %(dst)s OR (dst.res_id IN %(src)s AND dst.id < src.id))
                   AND dst.partner_id = src.partner_id
                """,
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
        self.env.invalidate_all()
        return super()._update_reference_fields(src_partners, dst_partner)

    def _log_merge_operation(self, src_partners, dst_partner):
        result = super()._log_merge_operation(src_partners, dst_partner)
        # Roles moved in SQL: the survivor's current relation types need recomputing.
        dst_partner.invalidate_recordset()
        roles = dst_partner.culture_role_ids
        roles.invalidate_recordset()
        self.env.add_to_compute(dst_partner._fields["relation_type_ids"], dst_partner)
        logs = (
            self.env["culture.partner.merge.log"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", dst_partner.id),
                    ("merged_partner_ref", "in", src_partners.ids),
                ]
            )
        )
        for log in logs:
            dst_partner.message_post(
                body=Markup("<p>%s</p>%s")
                % (
                    self.env._(
                        "Merged %(name)s (ID %(id)s) into this contact. Their values:",
                        name=log.merged_partner_name,
                        id=log.merged_partner_ref,
                    ),
                    log._render_comparison(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    @api.model
    def _culture_create_merge_log(self, src_partners, dst_partner):
        Log = self.env["culture.partner.merge.log"].sudo()
        candidate_id = self.env.context.get("culture_duplicate_candidate_id")
        candidate = self.env["culture.duplicate.candidate"].sudo().browse(candidate_id).exists()
        survivor_values = Log._snapshot(dst_partner)
        return Log.create(
            [
                {
                    "partner_id": dst_partner.id,
                    "merged_partner_ref": src.id,
                    "merged_partner_name": src.display_name,
                    "merged_values": Log._snapshot(src),
                    "survivor_values": survivor_values,
                    "score": candidate.score,
                    "reasons": candidate.reasons,
                }
                for src in src_partners
            ]
        )

    @api.model
    def _culture_merge_duplicate_candidates(self, src_partners, dst_partner, logs):
        """The merged pair becomes 'merged'; decisions about the merged-away contact
        move to the survivor; open pairs with it are dropped (the next scan scores the
        survivor afresh)."""
        Candidate = self.env["culture.duplicate.candidate"].sudo()
        merged_ids = set(src_partners.ids)
        candidates = Candidate.search(
            [
                "|",
                ("partner_a_id", "in", src_partners.ids),
                ("partner_b_id", "in", src_partners.ids),
            ]
        )
        log_by_src = {log.merged_partner_ref: log for log in logs}
        for candidate in candidates:
            ids = {candidate.partner_a_id.id, candidate.partner_b_id.id} - {False}
            others = ids - merged_ids
            if candidate.state == "merged":
                candidate.partner_a_id = dst_partner
            elif not others or others == {dst_partner.id}:
                src_id = min(ids & merged_ids)
                candidate.write(
                    {
                        "state": "merged",
                        "partner_a_id": dst_partner.id,
                        "partner_b_id": False,
                        "merged_partner_name": src_partners.browse(src_id).display_name,
                        "merge_log_id": log_by_src.get(src_id, logs[:1]).id,
                        "decided_by_id": self.env.uid,
                        "decided_on": candidate._fields["decided_on"].now(),
                        "postponed_until": False,
                    }
                )
            elif candidate.state == "open":
                candidate.unlink()
            else:
                other_id = others.pop()
                key = Candidate._pair_key(dst_partner.id, other_id)
                same = Candidate.search(
                    [("partner_a_id", "=", key[0]), ("partner_b_id", "=", key[1])]
                )
                if same and same.state == "open":
                    same.unlink()
                    same = Candidate
                if same:
                    candidate.unlink()
                else:
                    candidate.write({"partner_a_id": key[0], "partner_b_id": key[1]})
        Candidate.flush_model()

    @api.model
    def _culture_merge_roles(self, src_partners, dst_partner):
        """Overlapping roles of one type become one role over their joined period.

        The survivor's role is kept (with its source and note); the merged contact's
        overlapping roles are deleted after widening the kept one. Roles that do not
        overlap simply move with the contact.
        """
        Role = self.env["culture.partner.role"].sudo()
        roles = Role.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        for relation_type in roles.relation_type_id:
            of_type = roles.filtered(lambda role, rt=relation_type: role.relation_type_id == rt)
            if len(of_type.partner_id) < 2 and dst_partner not in of_type.partner_id:
                continue
            for cluster in _overlapping_clusters(of_type):
                if len(cluster) < 2:
                    continue
                keep = next(
                    (role for role in cluster if role.partner_id == dst_partner), cluster[0]
                )
                start = min(role.date_start for role in cluster)
                ends = [role.date_end for role in cluster]
                end = False if not all(ends) else max(ends)
                notes = [role.note for role in cluster if role.note and role != keep]
                others = Role.browse([role.id for role in cluster if role != keep])
                others.unlink()
                values = {"date_start": start, "date_end": end, "partner_id": dst_partner.id}
                if notes:
                    values["note"] = "\n".join(filter(None, [keep.note, *notes]))
                keep.write(values)
        Role.flush_model()

    @api.model
    def _culture_dedupe_subscriptions(self, src_partners, dst_partner):
        """A document followed by both contacts keeps the survivor's subscription."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM mail_followers src USING mail_followers dst
                 WHERE src.partner_id IN %(src)s
                   AND (dst.partner_id = %(dst)s OR (dst.partner_id IN %(src)s AND dst.id < src.id))
                   AND dst.res_model = src.res_model AND dst.res_id = src.res_id
                """,
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
        # What remains cannot clash any more: move it now.
        self.env.cr.execute(
            SQL(
                "UPDATE mail_followers SET partner_id = %(dst)s WHERE partner_id IN %(src)s",
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )

    @api.model
    def _culture_move_rows(self, src_partners, dst_partner):
        """Move rows pointing at the merged contacts, one by one where needed.

        Returns a copy of each row that could not move (a unique constraint kept it
        from pointing at the survivor); such rows are then deleted, as Odoo would, but
        the merge log keeps them.
        """
        dropped = []
        model_by_table = {
            model._table: name
            for name, model in self.env.registry.items()
            if not model._abstract and model._auto
        }
        for table, column in self._get_fk_on("res_partner"):
            if table in RECONCILED_TABLES or "base_partner_merge_" in table:
                continue
            if table not in model_by_table:
                continue  # relation tables: Odoo's NOT EXISTS update handles them
            moved = self._culture_try_sql(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s IN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    dst_partner.id,
                    SQL.identifier(column),
                    tuple(src_partners.ids),
                )
            )
            if moved:
                continue
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE %s IN %s ORDER BY id",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    tuple(src_partners.ids),
                )
            )
            for (row_id,) in self.env.cr.fetchall():
                moved = self._culture_try_sql(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE id = %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        dst_partner.id,
                        row_id,
                    )
                )
                if not moved:
                    self.env.cr.execute(
                        SQL(
                            "SELECT row_to_json(t) FROM %s t WHERE id = %s",
                            SQL.identifier(table),
                            row_id,
                        )
                    )
                    values = self.env.cr.fetchone()[0]
                    if model_by_table[table] not in UNLOGGED_MODELS:
                        dropped.append({"model": model_by_table[table], "values": values})
                    self.env.cr.execute(
                        SQL("DELETE FROM %s WHERE id = %s", SQL.identifier(table), row_id)
                    )
                    _logger.info(
                        "Merge into partner %s: %s row %s could not move and was removed",
                        dst_partner.id,
                        table,
                        row_id,
                    )
        return dropped

    @api.model
    def _culture_try_sql(self, query):
        """Run ``query`` in a savepoint; False when PostgreSQL refused it (a unique
        constraint, most likely), with the transaction still usable."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query)
        except psycopg2.Error as error:
            _logger.debug("Merge step refused by PostgreSQL: %s", error)
            return False
        return True


def _overlapping_clusters(roles):
    """Group roles whose periods overlap (an open end runs forever), in date order."""
    clusters = []
    current, current_end = [], None
    for role in roles.sorted(lambda r: (r.date_start, r.id)):
        if current and (current_end is None or role.date_start <= current_end):
            current.append(role)
            if current_end is not None:
                current_end = None if not role.date_end else max(current_end, role.date_end)
            continue
        if current:
            clusters.append(current)
        current, current_end = [role], role.date_end or None
    if current:
        clusters.append(current)
    return clusters
