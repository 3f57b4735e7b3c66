# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Blocking: which pairs of contacts are worth comparing at all.

Two contacts are compared only when they share a blocking key: a phone number, an e-mail
address, a postcode with house number, a surname (by sound) in one city, the same name
words in one city, a personal e-mail local part, an organisation name or an
organisation's own mail domain. A pair that shares no key is never compared.

A key shared by very many contacts (a switchboard with 500 employees, 'de Jong' in
Amsterdam) would make its block quadratic. Such a block is compared by sorted
neighbourhood instead: its members are sorted by name and, separately, by address, and
each is compared with its ``window`` nearest neighbours in both orders. Duplicates sort
next to each other, so recall holds while the work stays linear.
"""

from itertools import combinations

from .normalise import mailbox_handle, sound_key
from .profile import GENERIC_LOCAL_PARTS, PUBLIC_MAIL_DOMAINS, public_domain

MAX_BLOCK = 60
WINDOW = 8


def blocking_keys(profile):
    """Return the blocking keys of a profile as a tuple of strings, most telling first.

    The kinds of key have disjoint shapes ('+31...', 'a@b', '1234AB|12', 'brk|city'...),
    so one dictionary holds them all; a rare collision only adds a comparison.
    """
    keys = list(profile.phones)
    if profile.email:
        keys.append(profile.email)
    if profile.postcode and profile.house_base:
        keys.append(f"{profile.postcode}|{profile.house_base}")
    place = profile.city or (profile.postcode[:4] if profile.postcode else None)
    if profile.is_company:
        if profile.organisation:
            keys.append("org:" + profile.organisation.replace(" ", ""))
        domain = profile.email_domain
        if domain and domain not in PUBLIC_MAIL_DOMAINS:
            keys.append("@" + domain)
        return tuple(keys)
    if profile.surname and place:
        for part in profile.surname.split("-"):
            keys.append(f"{sound_key(part)}|{place}")
    if profile.name_tokens and place and " " in profile.name_tokens:
        keys.append(f"{profile.name_tokens}|{place}")
    local = profile.email_local
    if local and public_domain(profile.email_domain):
        local = mailbox_handle(local)
        if len(local) >= 6 and local not in GENERIC_LOCAL_PARTS:
            keys.append(local + "@*")
    return tuple(dict.fromkeys(keys))


def _name_order(profile):
    return (
        sound_key(profile.surname or profile.organisation or ""),
        profile.initials or "",
        profile.given or "",
        profile.email or "",
    )


def _place_order(profile):
    return (profile.postcode or "", profile.house or "", profile.street or "", profile.city or "")


class BlockIndex:
    """Positions of profiles by blocking key; the in-memory twin of the CRM's indexed keys.

    ``profiles[position]`` is a profile; ``blocks[key]`` is one position, or a list of
    positions when several profiles share the key.
    """

    def __init__(self, max_block=MAX_BLOCK, window=WINDOW):
        self.max_block = max_block
        self.window = window
        self.profiles = []
        self.keys = []
        self.blocks = {}

    def __len__(self):
        return len(self.profiles)

    def add(self, profile):
        """Index one profile; return its position."""
        position = len(self.profiles)
        keys = blocking_keys(profile)
        self.profiles.append(profile)
        self.keys.append(keys)
        blocks = self.blocks
        for key in keys:
            found = blocks.get(key)
            if found is None:
                blocks[key] = position
            elif type(found) is list:
                found.append(position)
            else:
                blocks[key] = [found, position]
        return position

    def count(self, _kind, key):
        """How many indexed profiles share ``key`` (the kind is implied by its shape)."""
        found = self.blocks.get(key)
        if found is None:
            return 0
        return len(found) if type(found) is list else 1

    def members(self, key):
        """Positions of the profiles that share ``key``."""
        found = self.blocks.get(key)
        if found is None:
            return []
        return found if type(found) is list else [found]

    # --- one new contact against the index -------------------------------------------------

    def candidates(self, profile, keys=None):
        """Positions of indexed profiles that share a key with ``profile``.

        In an oversized block only the members that sort near ``profile`` by name or by
        address are returned, as in the full scan.
        """
        found = set()
        for key in keys if keys is not None else blocking_keys(profile):
            members = self.members(key)
            if len(members) <= self.max_block:
                found.update(members)
            else:
                found.update(self._neighbours_of_outsider(profile, members))
        return found

    def _neighbours_of_outsider(self, profile, members):
        profiles = self.profiles
        result = []
        for order in (_name_order, _place_order):
            ranked = sorted(members, key=lambda p: order(profiles[p]))
            target = order(profile)
            low, high = 0, len(ranked)
            while low < high:
                middle = (low + high) // 2
                if order(profiles[ranked[middle]]) < target:
                    low = middle + 1
                else:
                    high = middle
            result.extend(ranked[max(0, low - self.window) : low + self.window])
        return result

    # --- all pairs --------------------------------------------------------------------------

    def candidate_pairs(self):
        """Yield every pair of positions (i < j) that shares a blocking key, once.

        A pair is produced by the first small block both share (in the key order of the
        lower position), so it is compared once however many keys it shares. Pairs that
        share only oversized blocks come from the sorted neighbourhoods of those blocks.
        """
        keys_of = self.keys
        blocks = self.blocks
        max_block = self.max_block
        big_pairs = set()
        for key, members in blocks.items():
            if type(members) is not list:
                continue
            if len(members) <= max_block:
                for i, j in combinations(members, 2):
                    if self._first_small_shared_key(keys_of[i], keys_of[j]) == key:
                        yield i, j
                continue
            for i, j in self._sorted_neighbourhood(members):
                if (i, j) in big_pairs:
                    continue
                if self._first_small_shared_key(keys_of[i], keys_of[j]) is None:
                    big_pairs.add((i, j))
                    yield i, j

    def _first_small_shared_key(self, keys_i, keys_j):
        blocks, max_block = self.blocks, self.max_block
        for key in keys_i:
            if key in keys_j:
                members = blocks[key]
                if len(members) <= max_block:
                    return key
        return None

    def _sorted_neighbourhood(self, members):
        profiles, window = self.profiles, self.window
        for order in (_name_order, _place_order):
            ranked = sorted(members, key=lambda p: order(profiles[p]))
            for index, i in enumerate(ranked):
                for j in ranked[index + 1 : index + 1 + window]:
                    yield (i, j) if i < j else (j, i)
