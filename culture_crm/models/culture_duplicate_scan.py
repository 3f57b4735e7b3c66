# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import threading
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..matching import engine

_logger = logging.getLogger(__name__)

PARAM_LIKELY = "culture_crm.duplicate_threshold_likely"
PARAM_CERTAIN = "culture_crm.duplicate_threshold_certain"
PARAM_CHANGED_CURSOR = "culture_crm.duplicate_scan_cursor"
PARAM_FULL_CURSOR = "culture_crm.duplicate_full_scan_cursor"
PARAM_FULL_STARTED = "culture_crm.duplicate_full_scan_started"
SCAN_BATCH_SIZE = 1000
BATCHES_PER_CALL = 20
# Parsed contacts kept between the batches of one scheduled run (about 1 kB each).
PROFILE_CACHE_SIZE = 200_000


def _auto_commit():
    return not getattr(threading.current_thread(), "testing", False)


class CultureDuplicateCandidate(models.Model):
    """Scans: which contacts the engine compares, and when.

    Blocking runs in PostgreSQL on the stored match keys; the engine scores the pairs
    that share a key. The incremental scan (a scheduled action) takes the contacts
    created or changed since its cursor; the full scan walks all contacts in id order.
    Both work in batches, commit after each and report progress to the scheduler, so a
    million contacts take many runs, and a crash resumes at the last batch.
    """

    _inherit = "culture.duplicate.candidate"

    @api.model
    def _thresholds(self):
        default = engine.Thresholds()
        params = self.env["ir.config_parameter"].sudo()

        def read(key, fallback):
            try:
                return int(params.get_param(key) or fallback)
            except ValueError:
                return fallback

        likely = read(PARAM_LIKELY, default.likely)
        certain = max(read(PARAM_CERTAIN, default.certain), likely)
        return engine.Thresholds(likely=likely, certain=certain)

    @api.model
    def _engine(self):
        return engine.MatchEngine(self._thresholds())

    @api.model
    def _matches_for(self, partner_ids, lower_only=False, match_engine=None, profiles=None):
        """The engine's matches of these contacts against every contact sharing a
        blocking key with them, as (contact id, Match) with the Match's ``id_a`` the
        scanned contact.

        The contacts sharing a key are found with one GIN lookup on the stored keys;
        the engine then indexes just them and scores as in a full in-memory scan, with
        the same treatment of oversized blocks and shared numbers (the index holds
        every contact with each key, so its counts are the database's).

        ``profiles`` ({id: engine profile}) carries parsed contacts from one batch to
        the next within a scan: the members of a large block (a common surname in one
        city) are then parsed once, not once a batch.
        """
        Partner = self.env["res.partner"]
        match_engine = match_engine or self._engine()
        keys_by_id = Partner._culture_keys_of(partner_ids)
        if not keys_by_id:
            return []
        all_keys = {key for keys in keys_by_id.values() for key in keys}
        holder_ids = set(Partner._culture_key_holders(all_keys)) | set(keys_by_id)
        profiles = {} if profiles is None else profiles
        # The scanned contacts themselves are read afresh: they are the ones that changed.
        missing = (holder_ids - profiles.keys()) | keys_by_id.keys()
        contacts = Partner._culture_engine_contacts(missing)
        if len(profiles) > PROFILE_CACHE_SIZE:
            profiles.clear()
        profiles.update(
            (partner_id, match_engine.profile(contact)) for partner_id, contact in contacts.items()
        )
        by_id = {
            partner_id: profiles[partner_id] for partner_id in holder_ids if partner_id in profiles
        }
        index = match_engine.build_index(by_id.values())
        found = []
        for partner_id in keys_by_id:
            contact = by_id.get(partner_id)
            if contact is None:
                continue
            for match in match_engine.candidates_for(contact, index):
                other_id = match.id_b
                if lower_only and other_id > partner_id:
                    continue
                # Odoo refuses to merge a company with its own contact people.
                other = by_id[other_id]
                if other.parent_id == partner_id or contact.parent_id == other_id:
                    continue
                found.append((partner_id, match))
        return found

    @api.model
    def _scan_partners(self, partner_ids, lower_only=False, profiles=None):
        """Score these contacts against the contacts they share a blocking key with.

        Returns the number of new candidates. With ``lower_only`` (the full scan) only
        contacts with a lower id are compared, and stale open pairs are left for the end
        of the scan to clear.
        """
        decided = self._decided_pairs(partner_ids)
        matches = [
            match
            for partner_id, match in self._matches_for(
                partner_ids, lower_only=lower_only, profiles=profiles
            )
            if self._pair_key(partner_id, match.id_b) not in decided
        ]
        return self._record_matches(
            matches, scanned_partner_ids=None if lower_only else partner_ids
        )

    # ------------------------------------------------------------------
    # Incremental scan
    # ------------------------------------------------------------------
    @api.model
    def _cron_scan_changed(
        self, batch_size=SCAN_BATCH_SIZE, max_batches=BATCHES_PER_CALL, settle_minutes=5
    ):
        """Scheduled: compare the contacts created or changed since the last scan.

        Contacts are taken in (write_date, id) order up to ``settle_minutes`` ago: a
        write_date is its transaction's start, so a transaction still running when the
        scan passes would otherwise commit behind the cursor and be missed.
        """
        params = self.env["ir.config_parameter"].sudo()
        horizon = self.env.cr.now() - timedelta(minutes=settle_minutes)
        if not params.get_param(PARAM_CHANGED_CURSOR):
            # First run: everything is new, which the batched full scan does better.
            params.set_param(PARAM_CHANGED_CURSOR, f"{horizon.isoformat(sep=' ')},0")
            self.action_start_full_scan()
            return 0
        done = created = 0
        profiles = {}
        for _batch in range(max_batches):
            cursor_date, cursor_id = _parse_cursor(params.get_param(PARAM_CHANGED_CURSOR))
            self.env["res.partner"].flush_model(["write_date"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, write_date FROM res_partner
                     WHERE (write_date, id) > (%s, %s) AND write_date <= %s
                     ORDER BY write_date, id LIMIT %s
                    """,
                    cursor_date,
                    cursor_id,
                    horizon,
                    batch_size,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            created += self._scan_partners([row[0] for row in rows], profiles=profiles)
            last_id, last_date = rows[-1]
            params.set_param(PARAM_CHANGED_CURSOR, f"{last_date.isoformat(sep=' ')},{last_id}")
            done += len(rows)
            if _auto_commit():
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=self._changed_left(horizon)
                )
                # Committed progress is the point: a crash resumes at the last batch.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(done=done, remaining=self._changed_left(horizon))
        _logger.info("Duplicate scan of changed contacts: %s scanned, %s new pairs", done, created)
        return created

    @api.model
    def _changed_left(self, horizon):
        cursor_date, cursor_id = _parse_cursor(
            self.env["ir.config_parameter"].sudo().get_param(PARAM_CHANGED_CURSOR)
        )
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM res_partner WHERE (write_date, id) > (%s, %s) "
                "AND write_date <= %s",
                cursor_date,
                cursor_id,
                horizon,
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # Full scan
    # ------------------------------------------------------------------
    @api.model
    def action_start_full_scan(self):
        """Compare all contacts again, in batches, from the scheduled action."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(PARAM_FULL_CURSOR, "0")
        params.set_param(PARAM_FULL_STARTED, fields.Datetime.to_string(datetime.now()))
        cron = self.env.ref("culture_crm.ir_cron_duplicate_full_scan", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The full duplicate scan has started; new pairs appear here as it runs."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_full_scan(self, batch_size=SCAN_BATCH_SIZE, max_batches=BATCHES_PER_CALL):
        """Scheduled: walk all contacts in id order, when a full scan was asked for."""
        params = self.env["ir.config_parameter"].sudo()
        cursor = params.get_param(PARAM_FULL_CURSOR)
        if not cursor:
            return 0
        done = created = 0
        profiles = {}
        last_id = int(cursor)
        for _batch in range(max_batches):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE active AND id > %s ORDER BY id LIMIT %s",
                    last_id,
                    batch_size,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                self._finish_full_scan()
                break
            created += self._scan_partners(ids, lower_only=True, profiles=profiles)
            last_id = ids[-1]
            params.set_param(PARAM_FULL_CURSOR, str(last_id))
            done += len(ids)
            if _auto_commit():
                self.env["ir.cron"]._notify_progress(done=done, remaining=self._full_left(last_id))
                # Committed progress is the point: a crash resumes at the last batch.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        remaining = self._full_left(last_id) if params.get_param(PARAM_FULL_CURSOR) else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        _logger.info(
            "Full duplicate scan: %s scanned, %s new pairs, %s left", done, created, remaining
        )
        return created

    @api.model
    def _full_left(self, last_id):
        self.env.cr.execute("SELECT count(*) FROM res_partner WHERE active AND id > %s", [last_id])
        return self.env.cr.fetchone()[0]

    @api.model
    def _finish_full_scan(self):
        """Open pairs the whole scan did not confirm are stale (the data was fixed)."""
        params = self.env["ir.config_parameter"].sudo()
        started = params.get_param(PARAM_FULL_STARTED)
        if started:
            self.search([("state", "=", "open"), ("scanned_on", "<", started)]).unlink()
        params.set_param(PARAM_FULL_CURSOR, False)
        params.set_param(PARAM_FULL_STARTED, False)


def _parse_cursor(cursor):
    if not cursor:
        return datetime(1970, 1, 1), 0
    date_text, _, id_text = cursor.rpartition(",")
    return datetime.fromisoformat(date_text), int(id_text or 0)
