# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The web client's save, followed by a check only interactive saves get.

Only the web client saves through ``web_save``; imports (``load``), syncs and code use
``create``/``write``. So a check run here refuses a form or editable-list save and never
fails an import batch.
"""


def save_then_check(records, parent_web_save, vals, specification, next_id, check):
    """Save as ``web_save`` does, then call ``check(saved_records)``.

    On create, the save runs without ``next_id`` so its answer names the new records;
    the next record is read afterwards, as the web client asked.
    """
    if records:
        result = parent_web_save(vals, specification, next_id)
        saved = records
    else:
        result = parent_web_save(vals, specification)
        saved = records.browse([values["id"] for values in result])
        if next_id:
            result = records.browse(next_id).with_context(bin_size=True).web_read(specification)
    check(saved)
    return result
