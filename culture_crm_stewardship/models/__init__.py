from . import (
    culture_data_domain,
    culture_relation_type,
    culture_review_log,
    culture_reviewable_mixin,
    ir_rule,
    res_partner,
)
