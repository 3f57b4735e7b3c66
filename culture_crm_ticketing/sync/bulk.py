# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Many rows into this module's own tables at once: PostgreSQL COPY.

Why SQL here: a sync writes about three rows per order (the order, two tickets), and
``create(vals_list)`` spends a third of a millisecond of Python on each (defaults,
conversions, cache) where PostgreSQL needs a few microseconds. Orders and tickets are
this module's own tables; nothing stored anywhere is computed from them through the ORM
(the audience figures and roles are recomputed explicitly when a run's batches are
done), so the ORM's bookkeeping buys nothing. Contacts, performances and everything else
other modules compute from stay on the ORM.

The caller gives column values (not ORM values): ids for many2one, naive UTC datetimes,
None for empty. The unique (backend, external id) constraints, the foreign keys and the
NOT NULLs still guard every row: a row bound twice, or a value PostgreSQL refuses, fails
the statement (the importer then retries record by record and
files the culprit as a sync issue), it is never skipped in silence.
"""

import datetime as dt
import io
import json
import re

from odoo.tools import SQL

LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")


def insert(env, model_name, rows, key="external_id"):
    """Insert ``rows`` (dicts with the same keys) into the model's table with COPY.

    The ids are taken from the table's sequence first (one query), so the rows go in by
    COPY, which PostgreSQL reads several times faster than a multi-row INSERT of the
    same values, and the caller still learns each row's id.

    :return: ``{row[key]: new id}``
    """
    if not rows:
        return {}
    model = env[model_name]
    columns = list(rows[0])
    json_columns = {name for name in columns if model._fields[name].type == "json"}
    env.cr.execute(
        SQL(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            model._table,
            len(rows),
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    log_values = "\t".join(
        copy_text(value) for value in (env.uid, env.cr.now(), env.uid, env.cr.now())
    )
    lines = io.StringIO()
    for record_id, row in zip(ids, rows, strict=True):
        cells = [str(record_id)]
        for name in columns:
            value = row[name]
            if name in json_columns and value is not None:
                value = json.dumps(value)
            cells.append(copy_text(value))
        cells.append(log_values)
        lines.write("\t".join(cells))
        lines.write("\n")
    lines.seek(0)
    names = ", ".join(f'"{name}"' for name in ("id", *columns, *LOG_COLUMNS))
    env.cr.copy_expert(f'COPY "{model._table}" ({names}) FROM STDIN', lines)
    return {row[key]: record_id for record_id, row in zip(ids, rows, strict=True)}


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def copy_text(value):
    """``value`` as one cell of COPY's text format (``\\N`` for NULL).

    Called for every cell of every order and ticket (over a million per 30,000 orders),
    so the common kinds come first and a text is only rewritten when it needs escapes.
    """
    kind = type(value)
    if kind is int or kind is float:
        return str(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime):
        value = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    else:
        value = str(value)
    return value.translate(_COPY_ESCAPES)


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
