# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.1: the engine also blocks on the mailbox name of a misspelt public mail domain
('jan.smit@gmial.com'); stored blocking keys are recomputed so existing contacts get it."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    done = env["res.partner"]._culture_recompute_match_keys()
    _logger.info("Recomputed the duplicate match keys of %s contacts", done)
