from . import culture_retention_wizard, culture_review_wizard
