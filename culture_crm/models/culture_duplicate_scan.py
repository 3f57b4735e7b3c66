# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import logging
import threading
from datetime import datetime, timedelta
from itertools import islice

from odoo import api, fields, models
from odoo.tools import SQL

from ..matching import engine
from .culture_duplicate_candidate import MATCH_LEVELS

_logger = logging.getLogger(__name__)

PARAM_LIKELY = "culture_crm.duplicate_threshold_likely"
PARAM_CERTAIN = "culture_crm.duplicate_threshold_certain"
PARAM_CHANGED_CURSOR = "culture_crm.duplicate_scan_cursor"
PARAM_FULL_CURSOR = "culture_crm.duplicate_full_scan_cursor"
PARAM_FULL_STARTED = "culture_crm.duplicate_full_scan_started"
SCAN_BATCH_SIZE = 1000
# Matches a full scan writes and commits at a time.
FULL_SCAN_RECORD_BATCH = 5000
BATCHES_PER_CALL = 20
# Parsed contacts kept between the batches of one scheduled run (about 1 kB each).
PROFILE_CACHE_SIZE = 200_000


def _auto_commit():
    return not getattr(threading.current_thread(), "testing", False)


class CultureDuplicateCandidate(models.Model):
    """Scans: which contacts the engine compares, and when.

    The incremental scan (a scheduled action) takes the contacts created or changed
    since its cursor; blocking runs in PostgreSQL on their stored match keys, and the
    engine scores the pairs that share a key. It works in batches, commits after each
    and reports progress to the scheduler, so a crash resumes at the last batch.

    The full scan reads every contact once and blocks in memory, as ``./setup/dedupe``
    does: a million contacts in a few minutes where a million key lookups would take
    an hour. It too commits its matches in batches and resumes after a stop.
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
    def _matches_for(self, partner_ids, match_engine=None, profiles=None):
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
                # Odoo refuses to merge a company with its own contact people.
                other = by_id[other_id]
                if other.parent_id == partner_id or contact.parent_id == other_id:
                    continue
                found.append((partner_id, match))
        return found

    @api.model
    def _scan_partners(self, partner_ids, profiles=None):
        """Score these contacts against the contacts they share a blocking key with.

        Returns the number of new candidates; open pairs of these contacts that the
        engine no longer reports are removed.
        """
        decided = self._decided_pairs(partner_ids)
        matches = [
            match
            for partner_id, match in self._matches_for(partner_ids, profiles=profiles)
            if self._pair_key(partner_id, match.id_b) not in decided
        ]
        return self._record_matches(matches, scanned_partner_ids=partner_ids)

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
    def _cron_full_scan(self, batch_size=FULL_SCAN_RECORD_BATCH, max_batches=None):
        """Scheduled: compare all contacts with each other, when a full scan was asked for.

        Every active contact is read once, a page at a time, and indexed in memory as
        ``./setup/dedupe`` does; the engine then scores the pairs that share a blocking
        key. Matches are written ``batch_size`` at a time, each batch committed with the
        number of pairs done as the cursor. A run that is stopped (a time limit, a
        restart) resumes after its last committed batch when the next run finds the
        same contacts with the same keys; if they changed meanwhile, it starts over (the
        incremental scan covers the changed contacts either way). ``max_batches`` ends
        the run after that many written batches; the next run goes on.
        """
        params = self.env["ir.config_parameter"].sudo()
        cursor = params.get_param(PARAM_FULL_CURSOR)
        if not cursor:
            return 0
        done_before, _sep, fingerprint_before = cursor.partition(":")
        match_engine = self._engine()
        index, fingerprint = self._full_scan_index(match_engine)
        pairs = index.candidate_pairs()
        done = 0
        if fingerprint == fingerprint_before and done_before.isdigit():
            done = int(done_before)
            for _skipped in islice(pairs, done):
                pass
        else:
            params.set_param(PARAM_FULL_CURSOR, f"0:{fingerprint}")
        profiles, counts, score_pair = index.profiles, index.count, match_engine.score_pair
        matches, created, batches = [], 0, 0
        for i, j in pairs:
            done += 1
            a, b = profiles[i], profiles[j]
            # Odoo refuses to merge a company with its own contact people.
            if a.parent_id == b.id or b.parent_id == a.id:
                continue
            match = score_pair(a, b, counts)
            if match is None:
                continue
            matches.append(match)
            if len(matches) >= batch_size:
                created += self._record_scan_matches(matches)
                matches = []
                params.set_param(PARAM_FULL_CURSOR, f"{done}:{fingerprint}")
                batches += 1
                if _auto_commit():
                    self.env["ir.cron"]._notify_progress(done=batches * batch_size, remaining=1)
                    # Committed progress is the point: a stopped run resumes here.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if max_batches and batches >= max_batches:
                    _logger.info(
                        "Full duplicate scan: %s pairs compared, %s new candidates, to be "
                        "continued",
                        done,
                        created,
                    )
                    return created
        created += self._record_scan_matches(matches)
        self._finish_full_scan()
        if _auto_commit():
            self.env["ir.cron"]._notify_progress(done=len(matches), remaining=0)
        _logger.info(
            "Full duplicate scan of %s contacts done: %s pairs compared, %s new candidates",
            len(index),
            done,
            created,
        )
        return created

    @api.model
    def _full_scan_index(self, match_engine):
        """(engine index of every active contact, fingerprint of their ids and keys).

        Two runs that see the same fingerprint enumerate the same pairs in the same
        order, which is what lets a stopped scan resume by count.
        """
        index = match_engine.build_index(())
        digest = hashlib.blake2b(digest_size=12)
        add = index.add
        for contact in self.env["res.partner"]._culture_all_engine_contacts():
            position = add(match_engine.profile(contact))
            digest.update(f"{contact.id}:{'|'.join(index.keys[position])}\n".encode())
        return index, digest.hexdigest()

    @api.model
    def _record_scan_matches(self, matches):
        """Write a full scan's matches in one statement; return how many pairs are new.

        A new pair is inserted open; an open pair gets the new score and reasons; a pair
        a steward decided on (not a duplicate, merged) is left as it is. SQL rather than
        ``create``: a scan of a million contacts writes a hundred thousand pairs, and
        none needs a message or a follower.
        """
        if not matches:
            return 0
        # The clock, as the other scans stamp scanned_on: the end of a full scan drops
        # open pairs stamped before it started.
        now, uid = fields.Datetime.now(), self.env.uid
        rows = {}
        for match in matches:
            key = self._pair_key(int(match.id_a), int(match.id_b))
            if key[0] != key[1] and (key not in rows or match.score > rows[key][2]):
                level = match.level if match.level in dict(MATCH_LEVELS) else "likely"
                rows[key] = (*key, round(match.score), level, "\n".join(match.reasons or []))
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO culture_duplicate_candidate AS c
                       (partner_a_id, partner_b_id, score, level, reasons, state,
                        state_sequence, scanned_on, create_uid, create_date, write_uid,
                        write_date)
                SELECT v.a, v.b, v.score, v.level, v.reasons, 'open', 0, %(now)s, %(uid)s,
                       %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(a, b, score, level, reasons)
                  JOIN res_partner pa ON pa.id = v.a
                  JOIN res_partner pb ON pb.id = v.b
                    ON CONFLICT (partner_a_id, partner_b_id) DO UPDATE
                   SET score = EXCLUDED.score, level = EXCLUDED.level,
                       reasons = EXCLUDED.reasons, scanned_on = EXCLUDED.scanned_on,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE c.state = 'open'
             RETURNING (xmax = 0)
                """,
                now=now,
                uid=uid,
                values=SQL(", ").join(
                    SQL("(%s::int, %s::int, %s::int, %s::varchar, %s::text)", *row)
                    for row in rows.values()
                ),
            )
        )
        created = sum(1 for (inserted,) in self.env.cr.fetchall() if inserted)
        self.invalidate_model()
        return created

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
