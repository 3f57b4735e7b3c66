# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase


class TestMatchKeysUpgrade(TransactionCase):
    """An upgrade that changes the engine's keys refreshes the keys of stored contacts."""

    def test_recompute_gives_old_contacts_the_new_blocking_keys(self):
        Partner = self.env["res.partner"]
        typo = Partner.create({"name": "Jan Smit", "email": "jan.smit@gmial.com"})
        archived = Partner.create(
            {"name": "Piet Smit", "email": "piet.smit@hotmial.com", "active": False}
        )
        self.assertIn("jansmit@*", typo.match_blocking_keys.split("\n"))
        # As an older version stored them: without the mailbox key of a misspelt domain.
        stale = "jan.smit@gmial.com"
        self.env.cr.execute(
            "UPDATE res_partner SET match_blocking_keys = %s WHERE id IN %s",
            [stale, (typo.id, archived.id)],
        )
        self.env.invalidate_all()
        done = Partner._culture_recompute_match_keys(batch_size=1)
        self.assertGreaterEqual(done, 2)
        self.assertIn("jansmit@*", typo.match_blocking_keys.split("\n"))
        self.assertIn("pietsmit@*", archived.match_blocking_keys.split("\n"))
        # The contact typed correctly now meets its misspelt twin in the duplicate check.
        twin = Partner.new({"name": "J. Smit", "email": "jan.smit@gmail.com"})
        self.assertEqual(twin.duplicate_partner_id, typo)
