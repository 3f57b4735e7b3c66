# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, mute_logger

from .culture_partner_merge_log import UNLOGGED_FIELDS, UNLOGGED_PREFIXES

_logger = logging.getLogger(__name__)

# Stored values a new contact gets back although they are not in the comparison.
RESTORED_EXTRA_FIELDS = {"image_1920"}


class CulturePartnerMergeLog(models.Model):
    """Undo a merge: the merged-away contact comes back, with what was moved to the survivor.

    At merge time the merge wizard records, per table, the ids of the rows that pointed at
    the merged contact (``undo_references``) and the contact's own values
    (``restore_values``). Undoing recreates the contact (with a new id) and points back
    every recorded row that still points at the survivor; what changed since is left as
    it is and listed. Values the survivor took over stay on the survivor.
    """

    _inherit = "culture.partner.merge.log"

    survivor_partner_ref = fields.Integer(
        string="Survivor ID", readonly=True, help="The id the surviving contact had at merge time."
    )
    restore_values = fields.Json(
        readonly=True,
        groups="base.group_system",
        help="The merged contact's values as written to the database, to recreate it.",
    )
    undo_references = fields.Json(
        readonly=True,
        groups="base.group_system",
        help="Per table, the rows that pointed at the merged contact before the merge.",
    )
    undone_on = fields.Datetime(readonly=True, copy=False)
    undone_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    restored_partner_id = fields.Many2one(
        "res.partner",
        string="Restored Contact",
        readonly=True,
        ondelete="set null",
        copy=False,
        help="The contact recreated when the merge was undone.",
    )
    undo_report = fields.Text(
        readonly=True, copy=False, help="What the undo could not put back, and why."
    )
    can_undo = fields.Boolean(compute="_compute_can_undo")

    @api.depends("undone_on")
    def _compute_can_undo(self):
        recorded = {log.id for log in self.sudo() if log.restore_values}
        for log in self:
            log.can_undo = not log.undone_on and log.id in recorded

    # ------------------------------------------------------------------
    # Recording
    # ------------------------------------------------------------------
    @api.model
    def _restorable_values(self, partner):
        """The partner's stored values as ``create`` takes them (ids, not names)."""
        partner = partner.sudo()
        values = {}
        for fname, field in partner._fields.items():
            if fname not in RESTORED_EXTRA_FIELDS and (
                fname in UNLOGGED_FIELDS
                or fname.startswith(UNLOGGED_PREFIXES)
                or not field.store
                or field.type in ("binary", "one2many", "many2many", "json", "properties")
                or (field.compute and field.readonly)
            ):
                continue
            value = partner[fname]
            if field.type == "many2one":
                value = value.id
            elif field.type == "date":
                value = fields.Date.to_string(value) if value else False
            elif field.type == "datetime":
                value = fields.Datetime.to_string(value) if value else False
            elif field.type == "binary":
                value = value.decode() if isinstance(value, bytes) else value
            elif field.type == "html":
                value = str(value) if value else False
            if value is not None:
                values[fname] = value
        return values

    # ------------------------------------------------------------------
    # Undo
    # ------------------------------------------------------------------
    def action_undo_merge(self):
        """Recreate the merged-away contact and give it back what the merge moved."""
        if not self.exists():
            raise UserError(
                self.env._(
                    "The surviving contact was deleted, and its merge history with it: "
                    "there is nothing left to undo."
                )
            )
        self.ensure_one()
        self._check_can_undo()
        survivor = self.partner_id
        survivor.check_access("write")
        self.env["res.partner"].check_access("create")
        log = self.sudo()
        self.env.flush_all()
        problems = []
        restored = log._recreate_merged_partner(problems)
        undo = _Undo(log, survivor.sudo(), restored, problems)
        undo.run()
        log._mark_pair_not_duplicate(restored)
        self.env.invalidate_all()
        log._recompute_contacts(survivor | restored)
        log.write(
            {
                "undone_on": fields.Datetime.now(),
                "undone_by_id": self.env.uid,
                "restored_partner_id": restored.id,
                "undo_report": "\n".join(problems) or False,
            }
        )
        log._post_undo_notes(survivor.sudo(), restored, problems)
        title = self.env._("Merge undone: %(name)s is back.", name=restored.display_name)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n".join(problems)
                or self.env._("Everything the merge moved is back on this contact."),
                "type": "warning" if problems else "success",
                "sticky": bool(problems),
                "next": restored._get_records_action(),
            },
        }

    def _check_can_undo(self):
        self.ensure_one()
        if self.undone_on:
            raise UserError(
                self.env._(
                    "This merge was already undone on %(date)s by %(user)s.",
                    date=fields.Datetime.to_string(self.undone_on),
                    user=self.undone_by_id.display_name,
                )
            )
        if not self.sudo().restore_values:
            raise UserError(
                self.env._(
                    "This merge was made before merges could be undone: it did not record "
                    "what it moved. The merged contact's values are in the log."
                )
            )
        survivor = self.partner_id
        if self.survivor_partner_ref and survivor.id != self.survivor_partner_ref:
            raise UserError(
                self.env._(
                    "%(survivor)s was merged into %(other)s since. Undo that merge first.",
                    survivor=self.sudo().survivor_values.get("name", self.survivor_partner_ref),
                    other=survivor.display_name,
                )
            )
        if not survivor.active:
            raise UserError(
                self.env._(
                    "%(survivor)s is archived. Restore it first, then undo the merge.",
                    survivor=survivor.display_name,
                )
            )

    def _recreate_merged_partner(self, problems):
        Partner = self.env["res.partner"]
        values = dict(self.restore_values)
        labels = Partner.fields_get(list(values), ["string"])
        for fname in list(values):
            field = Partner._fields.get(fname)
            if field is None:
                values.pop(fname)
            elif field.type == "many2one" and values[fname]:
                if not self.env[field.comodel_name].browse(values[fname]).exists():
                    values.pop(fname)
                    problems.append(
                        self.env._(
                            "%(field)s: the record it pointed to no longer exists; left empty.",
                            field=labels.get(fname, {}).get("string", fname),
                        )
                    )
        return Partner.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        ).create(values)

    def _mark_pair_not_duplicate(self, restored):
        """The two contacts are different people: no scan proposes them again."""
        Candidate = self.env["culture.duplicate.candidate"]
        survivor = self.partner_id
        key = Candidate._pair_key(survivor.id, restored.id)
        candidate = Candidate.search([("merge_log_id", "=", self.id)], limit=1)
        decision = {
            "state": "not_duplicate",
            "decided_by_id": self.env.uid,
            "decided_on": fields.Datetime.now(),
            "postponed_until": False,
        }
        if candidate:
            candidate.write(dict(decision, partner_a_id=key[0], partner_b_id=key[1]))
            return candidate
        candidate = Candidate._get_or_create_pair(survivor, restored)
        if candidate.state == "open":
            candidate.action_not_duplicate()
        return candidate

    def _recompute_contacts(self, partners):
        # Rows moved in SQL: what the contacts compute from them is stale.
        for field in partners._fields.values():
            if field.store and field.compute and field.readonly:
                self.env.add_to_compute(field, partners)
        partners.flush_recordset()

    def _taken_over_fields(self):
        """Labels of the fields the survivor still has the merged contact's value for."""
        merged = self.merged_values or {}
        before = self.survivor_values or {}
        now = self._snapshot(self.partner_id)
        names = [
            fname
            for fname, value in merged.items()
            if before.get(fname) != value and now.get(fname) == value
        ]
        labels = self.env["res.partner"].fields_get(names, ["string"])
        return sorted(labels.get(fname, {}).get("string", fname) for fname in names)

    def _post_undo_notes(self, survivor, restored, problems):
        taken_over = self._taken_over_fields()
        lines = Markup().join(Markup("<li>%s</li>") % line for line in problems)
        problems_html = (
            Markup("<p>%s</p><ul>%s</ul>")
            % (self.env._("Not restored (left as it is now):"), lines)
            if problems
            else Markup()
        )
        kept_html = (
            Markup("<p>%s</p>")
            % self.env._(
                "Values this contact took over from %(name)s stay here: %(fields)s.",
                name=restored.display_name,
                fields=", ".join(taken_over),
            )
            if taken_over
            else Markup()
        )
        survivor.message_post(
            body=Markup("<p>%s</p>%s%s")
            % (
                self.env._(
                    "Undid the merge of %(name)s (ID %(old_id)s) into this contact: they are "
                    "a separate contact again (ID %(new_id)s).",
                    name=restored.display_name,
                    old_id=self.merged_partner_ref,
                    new_id=restored.id,
                ),
                kept_html,
                problems_html,
            ),
            subtype_xmlid="mail.mt_note",
        )
        restored.message_post(
            body=Markup("<p>%s</p>%s")
            % (
                self.env._(
                    "Recreated by undoing its merge into %(survivor)s (this contact had ID "
                    "%(old_id)s). Its roles, consents, opportunities, messages, followers and "
                    "activities are back here.",
                    survivor=survivor.display_name,
                    old_id=self.merged_partner_ref,
                ),
                problems_html,
            ),
            subtype_xmlid="mail.mt_note",
        )


class _Undo:
    """One undo: points the recorded rows back at the recreated contact, table by table."""

    def __init__(self, log, survivor, restored, problems):
        self.log = log
        self.env = log.env
        self.cr = log.env.cr
        self.old_id = log.merged_partner_ref
        self.survivor = survivor
        self.restored = restored
        self.problems = problems
        self.references = log.undo_references or {}

    def run(self):
        skipped = self._rows_removed_by_merge()
        for entry in self.references.get("rows", []):
            self._point_back(entry, self.survivor.id, self.restored.id, skipped)
        for entry in self.references.get("references", []):
            if entry.get("reference"):
                old, new = f"res.partner,{self.survivor.id}", f"res.partner,{self.restored.id}"
            else:
                old, new = self.survivor.id, self.restored.id
            self._point_back(entry, old, new, skipped)
        for entry in self.references.get("links", []):
            self._restore_links(entry)
        self.env.invalidate_all()
        self._restore_roles()
        self._restore_subscriptions()
        self._restore_candidates()
        # Earlier merges into the merged contact came back with it: their survivor is
        # now the recreated contact.
        self.cr.execute(
            SQL(
                "UPDATE culture_partner_merge_log SET survivor_partner_ref = %s"
                " WHERE survivor_partner_ref = %s",
                self.restored.id,
                self.old_id,
            )
        )
        self.env.invalidate_all()

    def _what(self, entry):
        model = entry.get("model")
        if model and model in self.env:
            return self.env["ir.model"]._get(model).name or model
        return entry["table"]

    def _rows_removed_by_merge(self):
        """(model, id) of the rows the merge itself removed; they are handled apart."""
        removed = set()
        for row in self.log.dropped_records or []:
            removed.add((row.get("model"), (row.get("values") or {}).get("id")))
        for change in self.references.get("roles_combined", []):
            removed.update(("culture.partner.role", role["id"]) for role in change["removed"])
        for item in self.references.get("followings_dropped", []):
            removed.add(("mail.followers", item["id"]))
        for item in self.references.get("followers_dropped", []):
            removed.add(("mail.followers", item["id"]))
        dropped = {}
        for row in self.log.dropped_records or []:
            if row.get("model") in self.env:
                dropped[row["model"]] = dropped.get(row["model"], 0) + 1
        for model, count in dropped.items():
            self.problems.append(
                self.env._(
                    "%(what)s: %(count)s could not move at merge time and were removed then; "
                    "the merge log keeps a copy.",
                    what=self._what({"model": model, "table": model}),
                    count=count,
                )
            )
        return removed

    def _point_back(self, entry, old, new, skipped):
        table, column = SQL.identifier(entry["table"]), SQL.identifier(entry["column"])
        ids = [row_id for row_id in entry["ids"] if (entry.get("model"), row_id) not in skipped]
        if not ids:
            return
        moved = self._try(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = ANY(%s) AND %s = %s RETURNING id",
                table,
                column,
                new,
                ids,
                column,
                old,
            )
        )
        if moved is None:
            # A unique constraint: row by row, so one row does not keep back the others.
            moved, refused = [], 0
            for row_id in ids:
                row = self._try(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE id = %s AND %s = %s RETURNING id",
                        table,
                        column,
                        new,
                        row_id,
                        column,
                        old,
                    )
                )
                if row is None:
                    refused += 1
                else:
                    moved += row
            if refused:
                self.problems.append(
                    self.env._(
                        "%(what)s: %(count)s could not move back, the contact already has "
                        "the same one.",
                        count=refused,
                        what=self._what(entry),
                    )
                )
        else:
            refused = 0
        missing = len(ids) - len(moved) - refused
        if not missing:
            return
        self.cr.execute(
            SQL(
                "SELECT count(*) FROM %s WHERE id = ANY(%s) AND id <> ALL(%s)",
                table,
                ids,
                [row_id for (row_id,) in moved] or [0],
            )
        )
        changed = self.cr.fetchone()[0] - refused
        if changed:
            self.problems.append(
                self.env._(
                    "%(what)s: %(count)s changed since the merge and no longer belong to "
                    "%(survivor)s; left where they are.",
                    count=changed,
                    what=self._what(entry),
                    survivor=self.survivor.display_name,
                )
            )
        if missing - changed:
            self.problems.append(
                self.env._(
                    "%(what)s: %(count)s deleted since the merge.",
                    count=missing - changed,
                    what=self._what(entry),
                )
            )

    def _restore_links(self, entry):
        table = SQL.identifier(entry["table"])
        column, other = SQL.identifier(entry["column"]), SQL.identifier(entry["other"])
        had = set(entry["survivor_had"])
        moved_ids = [value for value in entry["ids"] if value not in had]
        back = []
        if moved_ids:
            back = (
                self._try(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE %s = %s AND %s = ANY(%s) RETURNING %s",
                        table,
                        column,
                        self.restored.id,
                        column,
                        self.survivor.id,
                        other,
                        moved_ids,
                        other,
                    )
                )
                or []
            )
        lost = 0
        # Links both contacts had: the survivor keeps its own, the restored one gets a copy.
        for value in had:
            inserted = self._try(
                SQL(
                    "INSERT INTO %s (%s, %s) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    table,
                    column,
                    other,
                    self.restored.id,
                    value,
                ),
                returning=False,
            )
            lost += inserted is None
        lost += len(moved_ids) - len(back)
        if lost:
            self.problems.append(
                self.env._(
                    "%(what)s: %(count)s links removed since the merge.",
                    count=lost,
                    what=self._link_label(entry),
                )
            )

    def _link_label(self, entry):
        for model in self.env.registry.values():
            for field in model._fields.values():
                if field.type == "many2many" and getattr(field, "relation", None) == entry["table"]:
                    return f"{self.env['ir.model']._get(model._name).name}: {field.string}"
        return entry["table"]

    def _try(self, query, returning=True):
        """Rows the query returned, or None when PostgreSQL refused it."""
        try:
            with mute_logger("odoo.sql_db"), self.cr.savepoint(flush=False):
                self.cr.execute(query)
                return self.cr.fetchall() if returning else []
        except psycopg2.Error as error:
            _logger.debug("Undo merge step refused by PostgreSQL: %s", error)
            return None

    def _restore_roles(self):
        """Give a widened role its period back and recreate the roles it absorbed."""
        Role = self.env["culture.partner.role"]
        owner = {self.old_id: self.restored.id, self.survivor.id: self.survivor.id}
        for change in self.references.get("roles_combined", []):
            kept = Role.browse(change["kept_id"]).exists()
            after, before = change["kept_after"], change["kept_before"]
            if kept and _role_period(kept) == _role_period(after):
                kept.write(
                    {
                        "date_start": before["date_start"],
                        "date_end": before["date_end"],
                        "note": before["note"],
                    }
                )
            else:
                self.problems.append(
                    self.env._(
                        "A combined %(type)s role changed since the merge; its period stays.",
                        type=self.env["culture.relation.type"]
                        .browse(after["relation_type_id"])
                        .display_name,
                    )
                )
            for role in change["removed"]:
                partner_id = owner.get(role["partner_id"])
                if not partner_id:
                    continue
                values = {
                    key: role[key]
                    for key in ("date_start", "date_end", "note", "source", "source_reference")
                }
                rule = self.env["culture.role.rule"].browse(role["rule_id"]).exists()
                values.update(
                    partner_id=partner_id,
                    relation_type_id=role["relation_type_id"],
                    rule_id=rule.id,
                )
                try:
                    with self.cr.savepoint():
                        Role.create(values)
                except ValidationError as error:
                    self.problems.append(str(error))

    def _restore_subscriptions(self):
        """Subscriptions the merge dropped because the survivor had the same one."""
        followers = self.env["res.partner"].browse(
            [item["partner_id"] for item in self.references.get("followers_dropped", [])]
        )
        if followers.exists():
            self.restored.message_subscribe(partner_ids=followers.exists().ids)
        by_model = {}
        for item in self.references.get("followings_dropped", []):
            by_model.setdefault(item["res_model"], []).append(item["res_id"])
        for model, res_ids in by_model.items():
            if model not in self.env or not hasattr(self.env[model], "message_subscribe"):
                continue
            records = self.env[model].browse(res_ids).exists()
            if records:
                records.message_subscribe(partner_ids=self.restored.ids)

    def _restore_candidates(self):
        """Decisions about the merged contact ('not a duplicate' of someone) return to it."""
        Candidate = self.env["culture.duplicate.candidate"]
        survivor_id, new_id = self.survivor.id, self.restored.id
        for item in self.references.get("candidates", []):
            if item["state"] == "open":
                continue
            ids = {item["a"], item["b"]} - {None, False}
            others = ids - {self.old_id}
            if others == {survivor_id}:
                continue  # the merged pair itself: 'not a duplicate' below
            candidate = Candidate.browse(item["id"]).exists()
            if item["state"] == "merged":
                if candidate and candidate.partner_a_id.id == survivor_id:
                    candidate.partner_a_id = new_id
                continue
            other_id = next(iter(others), None)
            if not other_id or not self.env["res.partner"].browse(other_id).exists():
                continue
            key = Candidate._pair_key(new_id, other_id)
            if (
                candidate
                and candidate.state == item["state"]
                and {candidate.partner_a_id.id, candidate.partner_b_id.id}
                == {survivor_id, other_id}
            ):
                candidate.write({"partner_a_id": key[0], "partner_b_id": key[1]})
            elif not Candidate.search_count(
                [("partner_a_id", "=", key[0]), ("partner_b_id", "=", key[1])]
            ):
                Candidate.create(
                    {
                        "partner_a_id": key[0],
                        "partner_b_id": key[1],
                        "state": item["state"],
                        "decided_by_id": self.env.uid,
                        "decided_on": fields.Datetime.now(),
                    }
                )


def _role_period(role):
    if isinstance(role, dict):
        return (role["date_start"] or False, role["date_end"] or False, role["note"] or False)
    return (
        str(role.date_start) if role.date_start else False,
        str(role.date_end) if role.date_end else False,
        role.note or False,
    )
