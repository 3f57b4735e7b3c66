# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.3: the Turkish dotless i, the capital Polish L and the Croatian d fold to i, L and d
(U+0131 in 'Yilmaz'); a number written the national way that is no number in its own
country is read in the neighbour's (a Dutch '06 12345678' of a Belgian contact); an
e-mail address typed with a space or a comma ('jan @ziggo,nl') is read as the address it
is. The match keys of existing contacts are recomputed (their e-mail fields stay as
typed, flagged as before, until someone edits them)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if version:
        api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._culture_recompute_match_keys()
