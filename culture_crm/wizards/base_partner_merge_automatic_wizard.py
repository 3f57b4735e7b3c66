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

# Odoo's merge points these rows at the survivor through (model column, id column);
# ir.attachment rows of a binary field (res_field set) are not moved, so not recorded.
REFERENCE_TABLES = [
    ("ir_attachment", "res_model", "res_id", "res_field IS NULL"),
    ("mail_followers", "res_model", "res_id", None),
    ("mail_activity", "res_model", "res_id", None),
    ("mail_message", "model", "res_id", None),
    ("ir_model_data", "model", "res_id", None),
]

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
    - writes a merge log on the survivor with the merged contact's values and, before
      anything moves, the rows that point at the merged contact, so the merge can be
      undone (``culture.partner.merge.log.action_undo_merge``).
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # A steward who compared the pair field by field may merge different emails.
        if self.env.context.get("culture_reviewed_merge"):
            extra_checks = False
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    @api.model
    def _merge_bank_accounts(self, src_partners, dst_partner):
        # The first step of Odoo's merge that moves anything: the log, with every row
        # that points at the merged contacts, is written before it.
        self.env.flush_all()
        self._culture_create_merge_log(src_partners, dst_partner)
        return super()._merge_bank_accounts(src_partners, dst_partner)

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        self.env.flush_all()
        log = self._culture_merge_logs(src_partners, dst_partner)
        if not log:
            log = self._culture_create_merge_log(src_partners, dst_partner)
        self._culture_merge_duplicate_candidates(src_partners, dst_partner, log)
        self._culture_note_for_undo(
            log, "roles_combined", self._culture_merge_roles(src_partners, dst_partner)
        )
        self._culture_note_for_undo(
            log, "followings_dropped", self._culture_dedupe_subscriptions(src_partners, dst_partner)
        )
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
             RETURNING src.res_id, src.id, src.partner_id
                """,
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
        dropped = [
            (src_id, {"id": row_id, "partner_id": partner_id})
            for src_id, row_id, partner_id in self.env.cr.fetchall()
        ]
        self._culture_note_for_undo(
            self._culture_merge_logs(src_partners, dst_partner), "followers_dropped", dropped
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
        for log in self._culture_merge_logs(src_partners, dst_partner):
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
        references = self._culture_references(src_partners, dst_partner)
        return Log.create(
            [
                {
                    "partner_id": dst_partner.id,
                    "survivor_partner_ref": dst_partner.id,
                    "restore_values": Log._restorable_values(src),
                    "undo_references": references[src.id],
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
    def _culture_merge_logs(self, src_partners, dst_partner):
        return (
            self.env["culture.partner.merge.log"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", dst_partner.id),
                    ("merged_partner_ref", "in", src_partners.ids),
                    ("undone_on", "=", False),
                ]
            )
        )

    @api.model
    def _culture_note_for_undo(self, logs, key, items):
        """Add ``items`` ((merged contact id, item) pairs) to each log's undo record."""
        by_src = {}
        for src_id, item in items:
            by_src.setdefault(src_id, []).append(item)
        for log in logs.sudo():
            if by_src.get(log.merged_partner_ref):
                references = dict(log.undo_references or {})
                references[key] = references.get(key, []) + by_src[log.merged_partner_ref]
                log.undo_references = references

    @api.model
    def _culture_references(self, src_partners, dst_partner):
        """Per merged contact, the ids of every row that points at it, before any moves.

        One query a table: many2one columns (``rows``), many2many relation rows with
        whether the survivor already had the same link (``links``: such a row is
        dropped by the merge, not moved), rows that name the contact by model and id
        (``references``: chatter, followers, activities, attachments, external ids),
        stored reference fields, and the duplicate pairs it is part of.
        """
        cr = self.env.cr
        src_ids = tuple(src_partners.ids)
        result = {
            src_id: {"rows": [], "links": [], "references": [], "candidates": []}
            for src_id in src_ids
        }
        model_by_table = {
            model._table: name
            for name, model in self.env.registry.items()
            if not model._abstract and model._auto
        }
        relations = [
            (table, column)
            for table, column in self._get_fk_on("res_partner")
            if "base_partner_merge_" not in table and table != "culture_duplicate_candidate"
        ]
        cr.execute(
            SQL(
                """
                SELECT table_name, array_agg(column_name::text) FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name IN %s
              GROUP BY table_name
                """,
                tuple({table for table, _column in relations} or {""}),
            )
        )
        columns_of = dict(cr.fetchall())
        for table, column in relations:
            columns = columns_of.get(table, [])
            if "id" in columns:
                # A contact's own row only points at itself (commercial_partner_id).
                cr.execute(
                    SQL(
                        """
                        SELECT %(col)s, array_agg(id ORDER BY id) FROM %(table)s
                         WHERE %(col)s IN %(src)s AND (%(is_partner)s OR id NOT IN %(src)s)
                      GROUP BY %(col)s
                        """,
                        col=SQL.identifier(column),
                        table=SQL.identifier(table),
                        src=src_ids,
                        is_partner=table != "res_partner",
                    )
                )
                for src_id, ids in cr.fetchall():
                    result[src_id]["rows"].append(
                        {
                            "table": table,
                            "column": column,
                            "model": model_by_table.get(table),
                            "ids": ids,
                        }
                    )
            elif len(columns) == 2:
                other = next(name for name in columns if name != column)
                cr.execute(
                    SQL(
                        """
                        SELECT src.%(col)s, array_agg(src.%(other)s),
                               array_agg(src.%(other)s) FILTER (WHERE dst.%(col)s IS NOT NULL)
                          FROM %(table)s src
                     LEFT JOIN %(table)s dst
                            ON dst.%(col)s = %(dst)s AND dst.%(other)s = src.%(other)s
                         WHERE src.%(col)s IN %(src)s
                      GROUP BY src.%(col)s
                        """,
                        col=SQL.identifier(column),
                        other=SQL.identifier(other),
                        table=SQL.identifier(table),
                        src=src_ids,
                        dst=dst_partner.id,
                    )
                )
                for src_id, others, survivor_had in cr.fetchall():
                    result[src_id]["links"].append(
                        {
                            "table": table,
                            "column": column,
                            "other": other,
                            "ids": others,
                            "survivor_had": survivor_had or [],
                        }
                    )
            else:
                _logger.warning(
                    "Merge into partner %s: %s.%s is not recorded for undo",
                    dst_partner.id,
                    table,
                    column,
                )
        references = [
            (table, model_column, id_column, extra)
            for table, model_column, id_column, extra in REFERENCE_TABLES
            if table in model_by_table
        ]
        for table, model_column, id_column, extra in references:
            cr.execute(
                SQL(
                    """
                    SELECT %(id_col)s, array_agg(id ORDER BY id) FROM %(table)s
                     WHERE %(model_col)s = 'res.partner' AND %(id_col)s IN %(src)s AND %(extra)s
                  GROUP BY %(id_col)s
                    """,
                    table=SQL.identifier(table),
                    model_col=SQL.identifier(model_column),
                    id_col=SQL.identifier(id_column),
                    src=src_ids,
                    extra=SQL(extra or "TRUE"),
                )
            )
            for src_id, ids in cr.fetchall():
                result[src_id]["references"].append(
                    {
                        "table": table,
                        "column": id_column,
                        "model": model_by_table[table],
                        "ids": ids,
                    }
                )
        for field in self._culture_partner_reference_fields():
            model = self.env[field.model_name]
            values = {f"res.partner,{src_id}": src_id for src_id in src_ids}
            cr.execute(
                SQL(
                    "SELECT %(col)s, array_agg(id ORDER BY id) FROM %(table)s"
                    " WHERE %(col)s IN %(values)s GROUP BY %(col)s",
                    col=SQL.identifier(field.name),
                    table=SQL.identifier(model._table),
                    values=tuple(values),
                )
            )
            for value, ids in cr.fetchall():
                result[values[value]]["references"].append(
                    {
                        "table": model._table,
                        "column": field.name,
                        "model": model._name,
                        "ids": ids,
                        "reference": True,
                    }
                )
        cr.execute(
            SQL(
                """
                SELECT id, partner_a_id, partner_b_id, state FROM culture_duplicate_candidate
                 WHERE partner_a_id IN %(src)s OR partner_b_id IN %(src)s
                """,
                src=src_ids,
            )
        )
        for cand_id, a_id, b_id, state in cr.fetchall():
            item = {"id": cand_id, "a": a_id, "b": b_id, "state": state}
            for src_id in {a_id, b_id} & set(src_ids):
                result[src_id]["candidates"].append(item)
        return result

    @api.model
    def _culture_partner_reference_fields(self):
        """The stored, not computed reference fields Odoo's merge rewrites."""
        found = []
        for field_info in (
            self.env["ir.model.fields"]
            .sudo()
            .search([("ttype", "=", "reference"), ("store", "=", True)])
        ):
            model = self.env.get(field_info.model)
            field = model._fields.get(field_info.name) if model is not None else None
            if field is None or model._abstract or not model._auto or field.compute:
                continue
            found.append(field)
        return found

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

        Returns (merged contact id, what changed) pairs for the merge log, so an undo
        can give the kept role its period back and recreate the deleted ones.
        """
        Role = self.env["culture.partner.role"].sudo()
        roles = Role.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        changes = []
        # Grouped up front: the loop deletes roles, which then cannot be read.
        for of_type in roles.grouped("relation_type_id").values():
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
                change = {
                    "kept_id": keep.id,
                    "kept_before": _role_values(keep),
                    "removed": [_role_values(role) for role in others],
                }
                others.unlink()
                values = {"date_start": start, "date_end": end, "partner_id": dst_partner.id}
                if notes:
                    values["note"] = "\n".join(filter(None, [keep.note, *notes]))
                keep.write(values)
                change["kept_after"] = _role_values(keep)
                changes.extend(
                    (src_id, change)
                    for src_id in {
                        role["partner_id"] for role in [change["kept_before"], *change["removed"]]
                    }
                    - {dst_partner.id}
                )
        Role.flush_model()
        return changes

    @api.model
    def _culture_dedupe_subscriptions(self, src_partners, dst_partner):
        """A document followed by both contacts keeps the survivor's subscription.

        Returns (merged contact id, dropped subscription) pairs for the merge log.
        """
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM mail_followers src USING mail_followers dst
                 WHERE src.partner_id IN %(src)s
                   AND (dst.partner_id = %(dst)s OR (dst.partner_id IN %(src)s AND dst.id < src.id))
                   AND dst.res_model = src.res_model AND dst.res_id = src.res_id
             RETURNING src.partner_id, src.id, src.res_model, src.res_id
                """,
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
        dropped = [
            (src_id, {"id": row_id, "res_model": res_model, "res_id": res_id})
            for src_id, row_id, res_model, res_id in self.env.cr.fetchall()
        ]
        # What remains cannot clash any more: move it now.
        self.env.cr.execute(
            SQL(
                "UPDATE mail_followers SET partner_id = %(dst)s WHERE partner_id IN %(src)s",
                src=tuple(src_partners.ids),
                dst=dst_partner.id,
            )
        )
        return dropped

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


def _role_values(role):
    """A role as plain JSON: enough to give it back its period or to recreate it."""
    return {
        "id": role.id,
        "partner_id": role.partner_id.id,
        "relation_type_id": role.relation_type_id.id,
        "date_start": str(role.date_start) if role.date_start else False,
        "date_end": str(role.date_end) if role.date_end else False,
        "note": role.note or False,
        "source": role.source,
        "rule_id": role.rule_id.id,
        "source_reference": role.source_reference or False,
    }


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
