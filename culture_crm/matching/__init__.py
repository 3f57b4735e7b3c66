# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Contact matching without Odoo: normalisation, match keys and the duplicate engine.

Nothing in this package imports Odoo, so the same code runs inside the CRM, in
``./setup/dedupe`` and in the benchmarks. Keep the imports inside it relative.
"""
