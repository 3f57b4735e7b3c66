"""The ticketing pipeline bound to Odoo, in plain Python classes (no framework).

- ``binder``: (backend, external id) -> record, a batch at a time.
- ``identity``: buyers to contacts (``pipeline.identity`` decides).
- ``importer``: a batch of records into performances, orders and tickets.
- ``audience``: contacts' audience figures from their ticket history.
- ``runner``: a whole sync: lock, batches, commits, cursor, webhooks, health.
"""
