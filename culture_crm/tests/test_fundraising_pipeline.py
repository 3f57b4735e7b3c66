# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, TransactionCase, new_test_user


class TestFundraisingPipeline(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="culture_fundraiser",
            groups="culture_crm.group_culture_user,sales_team.group_sale_salesman",
        )
        cls.env = cls.env(user=cls.user)
        cls.team = cls.env.ref("culture_crm.crm_team_fundraising")
        cls.sponsor = cls.env["res.partner"].create(
            {"name": "Bouwbedrijf Van Leeuwen B.V.", "is_company": True}
        )
        cls.sponsor._add_role(cls.env.ref("culture_crm.relation_type_sponsor"))
        cls.director = cls.env["res.partner"].create(
            {"name": "Pieter van Leeuwen", "parent_id": cls.sponsor.id}
        )
        cls.visitor = cls.env["res.partner"].create({"name": "Anouk Jansen"})

    def _opportunity(self, partner, team, name="Hoofdsponsor seizoen"):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": partner.id,
                "team_id": team.id,
                "expected_revenue": 15000,
            }
        )

    def _open_from_form(self, partner):
        return partner.action_open_fundraising_opportunities()

    def test_sponsor_form_offers_the_fundraising_button(self):
        self.assertTrue(self.sponsor.culture_fundraising_visible)
        self.assertEqual(self.sponsor.culture_fundraising_count, 0)

    def test_plain_visitor_gets_no_fundraising_button(self):
        self.assertFalse(self.visitor.culture_fundraising_visible)

    def test_button_lists_only_this_contacts_fundraising_opportunities(self):
        mine = self._opportunity(self.sponsor, self.team)
        self._opportunity(self.sponsor, self.env.ref("sales_team.team_sales_department"))
        self._opportunity(
            self.env["res.partner"].create({"name": "Drukkerij De Sleutel", "is_company": True}),
            self.team,
        )
        action = self._open_from_form(self.sponsor)
        self.assertEqual(self.env["crm.lead"].search(action["domain"]), mine)
        self.assertEqual(self.sponsor.culture_fundraising_count, 1)

    def test_company_counts_the_opportunities_of_its_people(self):
        self._opportunity(self.director, self.team)
        self.assertEqual(self.sponsor.culture_fundraising_count, 1)
        self.assertEqual(self.director.culture_fundraising_count, 1)
        self.assertEqual(
            len(self.env["crm.lead"].search(self._open_from_form(self.sponsor)["domain"])), 1
        )

    def test_new_opportunity_from_the_button_is_for_the_contact_in_the_team(self):
        action = self._open_from_form(self.sponsor)
        with Form(self.env["crm.lead"].with_context(**action["context"])) as form:
            form.name = "Sponsoring jeugdvoorstelling"
            form.expected_revenue = 7500
        lead = form.record
        self.assertEqual(lead.partner_id, self.sponsor)
        self.assertEqual(lead.team_id, self.team)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.stage_id, self.env.ref("culture_crm.crm_stage_fundraising_prospect"))
        self.assertEqual(lead.tag_ids, self.env.ref("culture_crm.crm_tag_sponsorship"))
        self.assertEqual(lead.expected_revenue, 7500)
        self.assertIn(lead, self.env["crm.lead"].search(action["domain"]))

    def test_fundraising_pipeline_shows_only_its_own_stages(self):
        self._opportunity(self.sponsor, self.team)
        groups = (
            self.env["crm.lead"]
            .with_context(default_team_id=self.team.id)
            .web_read_group([("team_id", "=", self.team.id)], ["stage_id"], ["stage_id"])["groups"]
        )
        shown = self.env["crm.stage"].browse([group["stage_id"][0] for group in groups])
        self.assertEqual(shown, self.env["crm.stage"].search([("team_id", "=", self.team.id)]))

    def test_won_fundraising_opportunity_is_committed(self):
        lead = self._opportunity(self.sponsor, self.team)
        lead.action_set_won()
        self.assertEqual(lead.stage_id, self.env.ref("culture_crm.crm_stage_fundraising_committed"))
