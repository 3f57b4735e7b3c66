from . import culture_partner_role, culture_relation_type, culture_role_rule, res_partner
