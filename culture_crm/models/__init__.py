from . import (
    crm_lead,
    culture_partner_role,
    culture_relation_type,
    culture_role_rule,
    res_partner,
    res_partner_fundraising,
)
