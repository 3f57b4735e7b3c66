# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

# The staff of a Dutch or Flemish house: their "today" is not UTC's from 23:00 or 22:00.
TZ = "Europe/Amsterdam"


class StewardshipMixin:
    """Two domains of our own (so demo domains do not matter): 'Educatie test' over the
    parent type Education, 'Pers test' over Press, each with its owner and steward."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="stw_manager", groups="culture_crm.group_culture_manager", tz=TZ
        )
        cls.owner = new_test_user(
            cls.env,
            login="stw_owner",
            tz=TZ,
            name="Anne Eigenaar",
            groups="culture_crm_stewardship.group_culture_data_owner",
        )
        cls.steward = new_test_user(
            cls.env,
            login="stw_steward",
            tz=TZ,
            name="Sven Steward",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        cls.press_steward = new_test_user(
            cls.env,
            login="stw_press_steward",
            tz=TZ,
            name="Petra Pers",
            groups="culture_crm_stewardship.group_culture_steward",
        )
        cls.user = new_test_user(
            cls.env, login="stw_user", groups="culture_crm.group_culture_user", tz=TZ
        )
        cls.today = fields.Date.context_today(cls.steward)
        ref = cls.env.ref
        cls.education = ref("culture_crm.relation_type_education")
        cls.teacher = ref("culture_crm.relation_type_teacher")
        cls.board = ref("culture_crm.relation_type_school_board")
        cls.press = ref("culture_crm.relation_type_press")
        cls.artist = ref("culture_crm.relation_type_artist")
        # Demo domains would put our contacts in more domains: set them aside.
        cls.env["culture.data.domain"].search([]).write({"active": False})
        Domain = cls.env["culture.data.domain"].with_user(cls.manager)
        cls.domain_education = Domain.create(
            {
                "name": "Educatie test",
                "owner_id": cls.owner.id,
                "steward_ids": [(6, 0, cls.steward.ids)],
                "relation_type_ids": [(6, 0, cls.education.ids)],
                "review_interval_months": 12,
                "retention_months": 24,
            }
        )
        cls.domain_press = Domain.create(
            {
                "name": "Pers test",
                "owner_id": cls.manager.id,
                "steward_ids": [(6, 0, cls.press_steward.ids)],
                "relation_type_ids": [(6, 0, cls.press.ids)],
                "review_interval_months": 6,
                "retention_months": 12,
            }
        )
        # Demo contacts of these types are up to date, so only a test's own contacts are due.
        cls.env["res.partner"].search([("data_domain_owned", "=", True)]).sudo().write(
            {"last_review_date": cls.today}
        )

    @classmethod
    def _contact(cls, name, *relation_types, **values):
        partner = cls.env["res.partner"].create(dict({"name": name}, **values))
        for relation_type in relation_types:
            partner._add_role(relation_type, date_start=cls.today)
        return partner


class StewardshipCase(StewardshipMixin, TransactionCase):
    pass
