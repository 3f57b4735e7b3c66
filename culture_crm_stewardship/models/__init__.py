from . import (
    culture_data_domain,
    culture_relation_type,
    culture_review_log,
    culture_reviewable_mixin,
    culture_stewardship_report,
    ir_rule,
    mail_activity,
    res_partner,
    res_partner_retention,
)
