# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.2: a capital 'V.' is an initial, no longer 'van' ('Kamper V.' had the surname key
'v'); the surname keys and blocking keys of existing contacts are recomputed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if version:
        api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._culture_recompute_match_keys()
