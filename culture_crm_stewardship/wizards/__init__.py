from . import culture_review_wizard
