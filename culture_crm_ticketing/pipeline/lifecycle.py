"""Order lifecycle: the rules every provider's orders follow once they are records."""

from __future__ import annotations

import hashlib

# The ticket states the CRM keeps. Only 'valid' tickets are visits, revenue and roles.
TICKET_PENDING = "pending"
TICKET_VALID = "valid"
TICKET_CANCELED = "canceled"


def ticket_state(order_state, position_canceled=False):
    """The state of one ticket, from its order's state and its own cancellation.

    The order's state wins over the positions (pretix keeps a canceled order's positions
    uncanceled): only a paid order's live positions are valid tickets.
    """
    if position_canceled:
        return TICKET_CANCELED
    if order_state == "paid":
        return TICKET_VALID
    if order_state == "pending":
        return TICKET_PENDING
    return TICKET_CANCELED


def fingerprint(order):
    """A stable digest of what an order record says (its raw payload left out).

    Two deliveries of the same order version have the same fingerprint, so a replayed
    page, webhook or file finds nothing to write.
    """
    return hashlib.sha1(repr(order).encode(), usedforsecurity=False).hexdigest()


def is_stale(incoming_modified_at, stored_modified_at):
    """True when an incoming order version is older than the one already stored.

    Webhooks and pages arrive out of order; an older version must never overwrite a
    newer one. Without a modification time on either side, the incoming version wins.
    """
    if not incoming_modified_at or not stored_modified_at:
        return False
    return incoming_modified_at < stored_modified_at


def latest_versions(orders):
    """Keep one record per external id: the most recently modified, or the last one seen.

    A batch that spans several pages can hold the same order twice (it changed while the
    sync paged); importing both would write it twice in one transaction.
    """
    latest = {}
    for order in orders:
        kept = latest.get(order.external_id)
        if kept is None or not is_stale(order.modified_at, kept.modified_at):
            latest[order.external_id] = order
    return list(latest.values())
