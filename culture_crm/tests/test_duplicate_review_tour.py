# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDuplicateReviewTour(HttpCase):
    def test_steward_merges_one_pair_and_rejects_another(self):
        new_test_user(
            self.env,
            login="culture_tour_steward",
            groups="culture_crm.group_culture_user",
            name="Culture Steward",
        )
        Partner = self.env["res.partner"]
        Candidate = self.env["culture.duplicate.candidate"]
        merel = Partner.create(
            {"name": "Merel Bakker", "email": "merel.bakker@example.nl", "mobile": "06 23456789"}
        )
        merel_again = Partner.create(
            {"name": "M. Bakker", "email": "merel.b@example.org", "mobile": "0623456789"}
        )
        sanne = Partner.create(
            {"name": "Sanne de Jong", "street": "Lindenlaan 4", "zip": "2011 AB", "city": "Haarlem"}
        )
        sara = Partner.create(
            {"name": "S. de Jong", "street": "Lindenlaan 4", "zip": "2011AB", "city": "Haarlem"}
        )
        Candidate.search([("state", "=", "open")]).unlink()
        merge_pair = Candidate._get_or_create_pair(merel, merel_again)
        merge_pair.score = 96
        reject_pair = Candidate._get_or_create_pair(sanne, sara)
        reject_pair.score = 74

        self.start_tour(
            "/odoo/action-culture_crm.culture_duplicate_candidate_action",
            "culture_crm_duplicate_review_tour",
            login="culture_tour_steward",
        )

        self.assertFalse(merel_again.exists())
        self.assertEqual(merge_pair.state, "merged")
        self.assertEqual(merel.culture_merge_log_ids.merged_values["email"], "merel.b@example.org")
        self.assertEqual(reject_pair.state, "not_duplicate")
        self.assertTrue(sara.exists())
