# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.fields import Command
from odoo.osv import expression

# Which lead tag a new opportunity gets from the contact's current relation type.
FUNDRAISING_TAG_BY_TYPE = {
    "sponsor": "culture_crm.crm_tag_sponsorship",
    "donor": "culture_crm.crm_tag_donation",
    "funder": "culture_crm.crm_tag_grant",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    culture_fundraising_count = fields.Integer(
        string="Fundraising Opportunities",
        compute="_compute_culture_fundraising",
        groups="sales_team.group_sale_salesman",
    )
    culture_fundraising_visible = fields.Boolean(
        string="Shows Fundraising",
        compute="_compute_culture_fundraising",
        groups="sales_team.group_sale_salesman",
        help="Sponsors, donors, funders and companies, and contacts that already have "
        "fundraising opportunities, show the fundraising button.",
    )

    def _fundraising_team(self):
        return self.env.ref("culture_crm.crm_team_fundraising", raise_if_not_found=False)

    def _fundraising_opportunity_domain(self):
        """The opportunities of this contact in the fundraising team, as crm counts them:
        a company's include those of its people."""
        self.ensure_one()
        team = self._fundraising_team()
        if self.is_company:
            partner_domain = [("partner_id.commercial_partner_id", "=", self.id)]
        else:
            partner_domain = [("partner_id", "=", self.id)]
        return expression.AND(
            [
                partner_domain,
                [("type", "=", "opportunity"), ("team_id", "=", team.id if team else False)],
            ]
        )

    @api.depends("is_company", "relation_type_ids")
    def _compute_culture_fundraising(self):
        team = self._fundraising_team()
        counts = dict.fromkeys(self.ids, 0)
        if team and self.ids:
            grouped = (
                self.env["crm.lead"]
                .with_context(active_test=False)
                ._read_group(
                    [
                        ("partner_id", "child_of", self.ids),
                        ("type", "=", "opportunity"),
                        ("team_id", "=", team.id),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            )
            for lead_partner, count in grouped:
                # Same rule as the button's domain: a person counts their own
                # opportunities, a company those of everyone under it.
                if lead_partner.id in counts and not lead_partner.is_company:
                    counts[lead_partner.id] += count
                company = lead_partner.commercial_partner_id
                if company.id in counts and company.is_company:
                    counts[company.id] += count
        for partner in self:
            partner.culture_fundraising_count = counts.get(partner.id, 0)
            partner.culture_fundraising_visible = bool(
                partner.culture_fundraising_count
                or partner.is_company
                or set(partner.relation_type_ids.mapped("code")) & set(FUNDRAISING_TAG_BY_TYPE)
            )

    def _fundraising_default_tags(self):
        self.ensure_one()
        codes = set(self.relation_type_ids.mapped("code")) | set(
            self.commercial_partner_id.relation_type_ids.mapped("code")
        )
        tags = self.env["crm.tag"]
        for code, xmlid in FUNDRAISING_TAG_BY_TYPE.items():
            if code in codes:
                tags |= self.env.ref(xmlid, raise_if_not_found=False) or tags
        return tags

    def action_open_fundraising_opportunities(self):
        """The contact's fundraising opportunities; "New" there creates one for this
        contact in the fundraising team."""
        self.ensure_one()
        team = self._fundraising_team()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_opportunities")
        action["display_name"] = self.env._("Fundraising: %(contact)s", contact=self.display_name)
        action["domain"] = self._fundraising_opportunity_domain()
        action["context"] = {
            "default_type": "opportunity",
            "default_partner_id": self.id,
            "default_team_id": team.id if team else False,
            "default_tag_ids": [Command.set(self._fundraising_default_tags().ids)],
        }
        return action
