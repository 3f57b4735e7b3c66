# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStewardReviewTour(HttpCase):
    def test_steward_reviews_two_overdue_contacts_in_bulk_and_the_dashboard_follows(self):
        steward = new_test_user(
            self.env,
            login="stw_tour_steward",
            name="Tessa Tour",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        tour_type = self.env["culture.relation.type"].create({"name": "Tourtype", "code": "tour"})
        self.env["culture.data.domain"].create(
            {
                "name": "Tourdomein",
                "owner_id": steward.id,
                "steward_ids": [(6, 0, steward.ids)],
                "relation_type_ids": [(6, 0, tour_type.ids)],
                "review_interval_months": 12,
            }
        )
        last_year = fields.Date.context_today(steward) - relativedelta(months=13)
        contacts = self.env["res.partner"].create(
            [{"name": f"Tourcontact {name}"} for name in ("Anna", "Bram", "Cas")]
        )
        contacts._add_role(tour_type)
        contacts.sudo().write({"last_review_date": last_year})
        self.assertEqual(set(contacts.mapped("review_state")), {"overdue"})

        self.start_tour("/odoo", "culture_crm_stewardship_review_tour", login=steward.login)

        reviewed = contacts.filtered(lambda c: c.name != "Tourcontact Cas")
        today = fields.Date.context_today(reviewed.with_user(steward))
        self.assertEqual(reviewed.mapped("last_review_date"), [today] * 2)
        self.assertEqual(set(reviewed.review_log_ids.mapped("note")), {"Adressen nagebeld"})


@tagged("post_install", "-at_install")
class TestLockedContactTour(HttpCase):
    def test_contact_of_another_domain_opens_read_only_and_says_why(self):
        steward = new_test_user(
            self.env,
            login="stw_tour_own",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        press_steward = new_test_user(
            self.env,
            login="stw_tour_press",
            name="Petra Pers",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        Type = self.env["culture.relation.type"]
        own_type = Type.create({"name": "Eigen type", "code": "tour_own"})
        press_type = Type.create({"name": "Perstype", "code": "tour_press"})
        Domain = self.env["culture.data.domain"]
        Domain.create(
            {
                "name": "Eigen domein",
                "owner_id": steward.id,
                "steward_ids": steward.ids,
                "relation_type_ids": own_type.ids,
            }
        )
        Domain.create(
            {
                "name": "Persdomein",
                "owner_id": press_steward.id,
                "steward_ids": press_steward.ids,
                "relation_type_ids": press_type.ids,
            }
        )
        journalist = self.env["res.partner"].create({"name": "Tour Journalist"})
        journalist._add_role(press_type)
        mine = self.env["res.partner"].create({"name": "Tour Eigen", "email": "e@example.com"})
        mine._add_role(own_type)
        action = self.env.ref("contacts.action_contacts")
        self.start_tour(
            f"/odoo/action-{action.id}/{journalist.id}",
            "culture_crm_stewardship_locked_contact_tour",
            login=steward.login,
        )
