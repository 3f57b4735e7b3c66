"""Export each module's terms to i18n/MODULE.pot and merge them into i18n/nl.po.

Run through ./setup/i18n, which gives it a database with the modules installed.
Untranslated and fuzzy entries are listed so a translator knows what is left.
"""

import io
import pathlib
import sys

import polib

import odoo
from odoo.tools.translate import trans_export


def main(conf, db, repo_root, modules):
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
    registry = odoo.modules.registry.Registry(db)
    missing = 0
    with registry.cursor() as cr:
        for module in modules:
            buffer = io.BytesIO()
            trans_export(None, [module], buffer, "po", cr)
            i18n = pathlib.Path(repo_root, module, "i18n")
            i18n.mkdir(exist_ok=True)
            pot_path = i18n / f"{module}.pot"
            pot_path.write_bytes(buffer.getvalue())
            pot = polib.pofile(buffer.getvalue().decode())
            po_path = i18n / "nl.po"
            po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            po.metadata = dict(pot.metadata, Language="nl", **{"Plural-Forms": "nplurals=2; plural=(n != 1);"})
            po.merge(pot)
            po[:] = [entry for entry in po if not entry.obsolete]
            po.save(str(po_path))
            untranslated = [e.msgid for e in po if not e.msgstr or "fuzzy" in e.flags]
            missing += len(untranslated)
            print(f"{module}: {len(po)} terms, {len(untranslated)} without Dutch")
            for msgid in untranslated:
                print(f"    {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
