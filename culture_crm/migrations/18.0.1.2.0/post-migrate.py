# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.2: names and organisations are read better (a capital 'V.' is an initial, not
'van'; 'De Smet Luc' has the surname first; 'OBS' is 'openbare basisschool'; 'ij' after
an 'e' sounds as 'y'); the match keys of existing contacts are recomputed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if version:
        api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._culture_recompute_match_keys()
