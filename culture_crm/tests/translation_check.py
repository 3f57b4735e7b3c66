# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The check every Culture CRM module runs on its own Dutch translation."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def untranslated_terms(env, module):
    """Terms the module has in the database and its code that nl.po leaves without Dutch."""
    po_path = Path(get_module_path(module), "i18n", "nl.po")
    translated = set()
    if po_path.exists():
        translated = {
            entry.msgid
            for entry in polib.pofile(str(po_path))
            if entry.msgstr and "fuzzy" not in entry.flags
        }
    reader = TranslationModuleReader(env.cr, modules=[module])
    terms = {row[4] for row in reader if row[0] == module}
    return sorted(terms - translated)
