# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class CultureTargetGroup(models.Model):
    """A doelgroep: a saved filter over contacts that staff count, open and mail.

    The filter is kept as a literal domain, the form mass_mailing itself reads
    (``mailing.mailing.mailing_domain``), so a mailing made from the group selects the
    same contacts the group counts, minus those without consent for the mailing's
    purpose and those on Odoo's blacklist.
    """

    _name = "culture.target.group"
    _description = "Target Group"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text(help="Who this group is for and when to use it.")
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        index=True,
        help="Who keeps this group's filter right.",
    )
    partner_domain = fields.Char(
        string="Contacts Filter",
        required=True,
        default="[]",
        tracking=True,
        help="Which contacts belong to the group: roles, relation types, consent, tags, "
        "city... Evaluated each time, so membership follows the data.",
    )
    consent_purpose_id = fields.Many2one(
        "culture.consent.purpose",
        ondelete="restrict",
        tracking=True,
        help="Mailings from this group reach only the contacts who currently consent "
        "to this purpose. A mailing may name another purpose.",
    )
    member_count = fields.Integer(string="Contacts", compute="_compute_member_count")
    reachable_count = fields.Integer(
        string="Reachable by Email",
        compute="_compute_member_count",
        help="Members with an email address that is not blacklisted and, when the group "
        "has a consent purpose, who currently consent to it by email.",
    )
    mailing_ids = fields.One2many("mailing.mailing", "culture_target_group_id", string="Mailings")
    mailing_count = fields.Integer(string="Number of Mailings", compute="_compute_mailing_count")

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for group in self:
            try:
                group.env["res.partner"]._where_calc(group._partner_domain())
            except (ValueError, SyntaxError, TypeError, KeyError) as error:
                raise ValidationError(
                    self.env._(
                        "The filter of target group '%(group)s' is not a valid contact "
                        "filter: %(error)s",
                        group=group.name,
                        error=error,
                    )
                ) from error

    def _partner_domain(self):
        """The group's filter as a domain; literal only, as mass_mailing reads it."""
        self.ensure_one()
        domain = literal_eval(self.partner_domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a filter is a list of conditions"))
        return list(domain)

    @api.model
    def _consent_domain(self, purpose, channel="email"):
        """Contacts who currently consent to ``purpose`` on ``channel``."""
        return self.env["culture.consent"]._consenting_partner_domain(purpose, channel=channel)

    def _mailing_domain(self, purpose=None, channel="email"):
        """What a mailing from this group selects: not blacklisted (as mass_mailing's
        own default), the group's filter, and the consent of the purpose."""
        self.ensure_one()
        domains = [[("is_blacklisted", "=", False)], self._partner_domain()]
        purpose = purpose if purpose is not None else self.consent_purpose_id
        if purpose:
            domains.append(self._consent_domain(purpose, channel=channel))
        return expression.AND(domains)

    @api.depends("partner_domain", "consent_purpose_id")
    def _compute_member_count(self):
        partners = self.env["res.partner"]
        for group in self:
            try:
                domain = group._partner_domain()
            except (ValueError, SyntaxError):
                group.member_count = group.reachable_count = 0
                continue
            group.member_count = partners.search_count(domain)
            group.reachable_count = partners.search_count(
                expression.AND([group._mailing_domain(), [("email_normalized", "!=", False)]])
            )

    def _compute_mailing_count(self):
        if not self.env["mailing.mailing"].has_access("read"):
            # Staff without Email Marketing rights see the group, not its mailings.
            self.mailing_count = 0
            return
        counts = dict(
            self.env["mailing.mailing"]._read_group(
                [("culture_target_group_id", "in", self.ids)],
                ["culture_target_group_id"],
                ["__count"],
            )
        )
        for group in self:
            group.mailing_count = counts.get(group, 0)

    def action_open_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("contacts.action_contacts")
        action.update(
            domain=self._partner_domain(),
            context={"create": False},
            display_name=self.name,
        )
        return action

    def action_open_mailings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mass_mailing.mailing_mailing_action_mail"
        )
        action.update(
            domain=[("culture_target_group_id", "=", self.id)],
            context=self._mailing_defaults(),
        )
        return action

    def _mailing_defaults(self):
        return {
            "default_mailing_type": "mail",
            "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
            "default_culture_target_group_id": self.id,
        }

    def action_new_mailing(self):
        """A new mass mailing on contacts, selecting this group with consent applied."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Mailing"),
            "res_model": "mailing.mailing",
            "views": [(False, "form")],
            "target": "current",
            "context": self._mailing_defaults(),
        }
