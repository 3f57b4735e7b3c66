# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""External ids of one backend to the Odoo records bound to them, a batch at a time."""


class Binder:
    """Finds the records of ``model`` bound to ``backend`` by external id.

    The binding itself is two fields on the model (backend and external id) under a
    unique constraint, so a record can never be imported twice, whichever worker tries.
    """

    def __init__(self, model, backend, backend_field="backend_id", external_field="external_id"):
        self.model = model.with_context(active_test=False)
        self.backend = backend
        self.backend_field = backend_field
        self.external_field = external_field

    def fetch(self, external_ids, field_names=()):
        """``{external id: record}`` for those of ``external_ids`` already bound, in one
        query that also loads ``field_names``."""
        external_ids = sorted({ext for ext in external_ids if ext})
        if not external_ids:
            return {}
        records = self.model.search_fetch(
            [
                (self.backend_field, "=", self.backend.id),
                (self.external_field, "in", external_ids),
            ],
            list({self.external_field, *field_names}),
        )
        return {record[self.external_field]: record for record in records}
