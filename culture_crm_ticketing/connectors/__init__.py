"""Ticketing connectors in plain Python: no Odoo import anywhere below this folder.

- ``records``: the neutral records every provider's mapper produces.
- one module per provider (``pretix``, ``csv_file``): an adapter that does the I/O and
  a mapper that turns the provider's payload into records.

The Odoo side (models/) binds records to the database: binder, importer, cursor.
"""
