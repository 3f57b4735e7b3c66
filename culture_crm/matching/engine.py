# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The duplicate engine: profiles, blocking and scoring put together.

    engine = MatchEngine()                      # DEFAULT_THRESHOLDS: likely 70, certain 90
    for match in engine.find_pairs(contacts):   # a full scan
        print(match.id_a, match.id_b, match.score, match.reason_text)

    index = engine.build_index(existing)        # or the CRM's indexed keys
    engine.candidates_for(new_contact, index)   # one new contact against them

The CRM and ``./setup/dedupe`` use this same class with the same defaults.
"""

import multiprocessing

from .blocking import MAX_BLOCK, WINDOW, BlockIndex, blocking_keys
from .profile import Profile, build_profile
from .records import DEFAULT_THRESHOLDS, Contact, Match, Thresholds
from .scoring import score_profiles

__all__ = [
    "DEFAULT_THRESHOLDS",
    "BlockIndex",
    "Contact",
    "Match",
    "MatchEngine",
    "Profile",
    "Thresholds",
    "build_profile",
]


_START_METHODS = multiprocessing.get_all_start_methods()


def _profiles_of(chunk):
    return [MatchEngine.profile(contact) for contact in chunk]


def _chunks(items, size):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(id_a, id_b):
    try:
        return (id_a, id_b) if id_a < id_b else (id_b, id_a)
    except TypeError:
        return (id_a, id_b) if str(id_a) < str(id_b) else (id_b, id_a)


class MatchEngine:
    """Finds and explains duplicate contacts.

    ``thresholds`` decides which pairs are reported (``likely`` and up) and how they are
    labelled. ``max_block`` and ``window`` bound the work in oversized blocks (see
    ``blocking.py``).
    """

    def __init__(self, thresholds=DEFAULT_THRESHOLDS, max_block=MAX_BLOCK, window=WINDOW):
        self.thresholds = thresholds
        self.max_block = max_block
        self.window = window

    # --- single contacts -------------------------------------------------------------------

    @staticmethod
    def profile(contact):
        """Return the :class:`Profile` of a Contact (or dict); a Profile is returned as is."""
        if isinstance(contact, Profile):
            return contact
        return build_profile(contact)

    def blocking_keys(self, contact):
        """Return the set of blocking keys of a contact: two contacts are compared only
        if these sets intersect."""
        return set(blocking_keys(self.profile(contact)))

    def explain(self, a, b, counts=None):
        """Return (score, reasons) for any two contacts, also below the thresholds."""
        pa, pb = self.profile(a), self.profile(b)
        if counts is None:
            return score_profiles(pa, pb)
        return score_profiles(pa, pb, counts)

    def score_pair(self, a, b, counts=None):
        """Return a :class:`Match` when contacts ``a`` and ``b`` score ``likely`` or
        higher, else None. ``counts(kind, key)`` tells how many contacts share a phone
        or address (from an index); without it each is taken as shared by this pair only.
        """
        pa, pb = self.profile(a), self.profile(b)
        return self._match(pa, pb, counts)

    def _match(self, pa, pb, counts=None, keep_order=False):
        if counts is None:
            result = score_profiles(pa, pb, floor=self.thresholds.likely)
        else:
            result = score_profiles(pa, pb, counts, floor=self.thresholds.likely)
        if result is None:
            return None
        score, reasons = result
        level = self.thresholds.level(score)
        if level is None:
            return None
        id_a, id_b = (pa.id, pb.id) if keep_order else _ordered(pa.id, pb.id)
        return Match(id_a, id_b, score, reasons, level)

    # --- full scan ---------------------------------------------------------------------------

    def build_index(self, contacts, workers=1):
        """Return a :class:`BlockIndex` of the contacts (Contacts, dicts or Profiles).

        With ``workers`` > 1 the profiles (the parsing, nearly all the work) are built
        in that many processes; the index itself is built here, in input order.
        """
        index = BlockIndex(self.max_block, self.window)
        add = index.add
        for profile in self.profiles(contacts, workers):
            add(profile)
        return index

    def profiles(self, contacts, workers=1):
        """Yield the profile of each contact, in order, parsed in ``workers`` processes.

        ``contacts`` is always read in this process, so an error it raises (a malformed
        input line) comes out here, as with one worker.
        """
        if workers <= 1:
            yield from map(self.profile, contacts)
            return
        context = multiprocessing.get_context("fork" if "fork" in _START_METHODS else None)
        with context.Pool(workers) as pool:
            pending = None
            for batch in _chunks(_chunks(contacts, 2000), 4 * workers):
                # The next batch is parsed while this one is being indexed.
                submitted = pool.map_async(_profiles_of, batch)
                if pending is not None:
                    for chunk in pending.get():
                        yield from chunk
                pending = submitted
            if pending is not None:
                for chunk in pending.get():
                    yield from chunk

    def find_pairs(self, contacts, index=None, workers=1):
        """Yield a :class:`Match` for every pair scoring ``likely`` or higher, once, with
        ``id_a < id_b``. Only pairs that share a blocking key are compared.

        ``contacts`` is any iterable of Contacts, dicts or Profiles; pass a ready
        ``index`` instead to reuse one (``contacts`` is then ignored). ``workers``
        processes parse the contacts (see :meth:`build_index`).
        """
        if index is None:
            index = self.build_index(contacts, workers)
        profiles = index.profiles
        counts = index.count
        match = self._match
        for i, j in index.candidate_pairs():
            found = match(profiles[i], profiles[j], counts)
            if found is not None:
                yield found

    # --- one new contact ---------------------------------------------------------------------

    def candidates_for(self, contact, index):
        """Return the Matches of one contact against an index, best first.

        ``index`` is a :class:`BlockIndex`; only the indexed contacts that share a
        blocking key with ``contact`` are scored. Each Match has the new contact as
        ``id_a`` (its id may be None while it is being created) and the indexed one as
        ``id_b``; the contact itself, when already indexed, is skipped.
        """
        profile = self.profile(contact)
        profiles = index.profiles
        candidates = [profiles[p] for p in index.candidates(profile)]
        return self._score_against(profile, candidates, index.count)

    def match_against(self, contact, candidates, counts=None):
        """Return the Matches of one contact against a list of candidate contacts (for
        instance those the CRM found through its indexed match keys), best first."""
        profile = self.profile(contact)
        return self._score_against(profile, [self.profile(c) for c in candidates], counts)

    def _score_against(self, profile, candidates, counts):
        matches = []
        for candidate in candidates:
            if profile.id is not None and candidate.id == profile.id:
                continue
            found = self._match(profile, candidate, counts, keep_order=True)
            if found is not None:
                matches.append(found)
        matches.sort(key=lambda m: -m.score)
        return matches
