"""Ticketing connectors in plain Python: no Odoo import anywhere below this folder.

- ``records``: the neutral records every provider's mapper produces.
- one module per provider (``pretix``, ``csv_file``): an adapter that does the I/O and
  a mapper that turns the provider's payload into records.
- shared helpers: ``rest_client`` (JSON over HTTP with bounded retries, 429/Retry-After)
  and ``tabular`` (reading CSV/XLSX exports and Dutch dates and amounts).

The Odoo side (models/) binds records to the database: binder, importer, cursor.
"""
