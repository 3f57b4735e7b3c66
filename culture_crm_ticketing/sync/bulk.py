# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Many rows into this module's own tables in one statement.

Why SQL here: a sync writes about three rows per order (the order, two tickets), and
``create(vals_list)`` spends a third of a millisecond of Python on each (defaults,
conversions, cache) where PostgreSQL needs a few microseconds. Orders and tickets are
this module's own tables; nothing stored anywhere is computed from them through the ORM
(the audience figures and roles are recomputed explicitly when a run's batches are
done), so the ORM's bookkeeping buys nothing. Contacts, performances and everything else
other modules compute from stay on the ORM.

The caller gives column values (not ORM values): ids for many2one, naive UTC datetimes,
None for empty. The unique (backend, external id) constraints still guard every row: a
row bound twice fails the statement (the importer then retries record by record and
files the culprit as a sync issue), it is never skipped in silence.
"""

from psycopg2.extras import Json

from odoo.tools import SQL

LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


def insert(env, model_name, rows, key="external_id"):
    """Insert ``rows`` (dicts with the same keys) into the model's table.

    :return: ``{row[key]: new id}``
    """
    if not rows:
        return {}
    model = env[model_name]
    columns = list(rows[0])
    json_columns = {name for name in columns if model._fields[name].type == "json"}
    now, uid = env.cr.now(), env.uid
    params = []
    for row in rows:
        params.extend(
            Json(row[name]) if name in json_columns and row[name] else row[name] for name in columns
        )
        params.extend((uid, now, uid, now))
    # One placeholder a value, built as plain text: SQL objects per cell cost 5x more.
    placeholder = "(" + ", ".join(["%s"] * (len(columns) + len(LOG_COLUMNS))) + ")"
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) VALUES %s RETURNING id, %s",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in (*columns, *LOG_COLUMNS)),
            SQL(", ".join([placeholder] * len(rows)), *params),
            SQL.identifier(key),
        )
    )
    return {external_id: record_id for record_id, external_id in env.cr.fetchall()}


def link(env, table, left, right, pairs):
    """Add ``(left id, right id)`` rows to a many2many relation table."""
    if not pairs:
        return
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s, %s) VALUES %s ON CONFLICT DO NOTHING",
            SQL.identifier(table),
            SQL.identifier(left),
            SQL.identifier(right),
            SQL(", ").join(SQL("(%s, %s)", a, b) for a, b in pairs),
        )
    )
