# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A steward who marks a 'Review data' activity done has reviewed the record.

        Stewards work from their activities as much as from the review list: closing the
        activity there counts as 'Mark Reviewed' (outcome confirmed, the feedback as note),
        so the record does not stay overdue without an activity.
        """
        to_review = defaultdict(list)
        if not self.env.context.get("culture_review_marking"):
            review_type = self.env.ref(
                "culture_crm_stewardship.mail_activity_type_review_data", raise_if_not_found=False
            )
            for activity in self.filtered(lambda a: a.activity_type_id == review_type):
                to_review[activity.res_model].append(activity.res_id)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        for model_name, record_ids in to_review.items():
            records = self.env[model_name].browse(record_ids).exists()
            if hasattr(records, "_mark_reviewed"):
                records = records._filtered_access("write")
                records.with_context(culture_review_marking=True)._mark_reviewed(
                    "confirmed", feedback or False
                )
        return result
