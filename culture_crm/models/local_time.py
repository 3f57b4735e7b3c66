# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The house's day, not UTC's: Odoo stores timestamps in UTC, and a message written at
23:30 in Amsterdam, or a show that starts at half past midnight, belongs to that local
day. Used where figures are counted in SQL by day."""

from odoo.tools import SQL


def house_tz(env, default="UTC"):
    """The time zone days are counted in: the context's, else the user's, else
    ``default``."""
    return env.context.get("tz") or env.user.tz or default


def local_day(timestamp, tz):
    """SQL: the local day of ``timestamp`` (an SQL expression of a UTC timestamp
    column) in time zone ``tz`` (a name, or an SQL expression giving one)."""
    return SQL("((%s) AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", timestamp, tz)
