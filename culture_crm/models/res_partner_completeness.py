# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .culture_relation_type import REQUIRED_FIELD_WEIGHT
from .interactive_save import save_then_check

# Contact fields a relation type may require or recommend. Yes/no fields cannot be
# "missing", files are too heavy to test on every write, and references and JSON have no
# meaningful "empty".
DEFINABLE_FIELD_TYPES = frozenset(
    {
        "char",
        "text",
        "html",
        "selection",
        "many2one",
        "many2many",
        "one2many",
        "date",
        "datetime",
        "integer",
        "float",
        "monetary",
    }
)
NOT_DEFINABLE_PREFIXES = ("message_", "activity_", "website_message_", "rating_", "starred_")
# Role fields describe the types themselves, not data recorded for them.
NOT_DEFINABLE_FIELDS = frozenset(
    {"relation_type_ids", "culture_role_ids", "current_role_ids", "ended_role_ids", "parent_path"}
)
COMPLETENESS_FIELDS = (
    "culture_completeness",
    "culture_missing_field_ids",
    "culture_missing_required_field_ids",
)


class ResPartner(models.Model):
    """Completeness of a contact against the data definitions of its current types.

    Each current relation type names required and recommended contact fields. The contact's
    completeness is the weighted share of those fields that hold a value (a required field
    weighs REQUIRED_FIELD_WEIGHT, a recommended one 1; a field required by one type and
    recommended by another counts as required). It is stored, with the missing fields, so
    "Incomplete for its relation types" is a plain search and imports record their gaps.

    Enforcement 'block' refuses interactive saves only. The web client saves a form or an
    editable list through ``web_save`` and nothing else calls it: imports go through
    ``load``, synchronisations and integrations through ``create``/``write``. So the check
    sits in ``web_save`` (here and on roles), and every other path stores the record with
    its gap instead of failing a whole batch over one incomplete contact.
    """

    _inherit = "res.partner"

    culture_completeness = fields.Integer(
        string="Completeness",
        compute="_compute_culture_completeness",
        store=True,
        aggregator="avg",
        help="Share (0-100) of the fields the contact's current relation types require "
        "or recommend that are recorded; required fields weigh more.",
    )
    culture_missing_field_ids = fields.Many2many(
        "ir.model.fields",
        "res_partner_culture_missing_field_rel",
        "partner_id",
        "field_id",
        string="Missing Fields",
        compute="_compute_culture_completeness",
        store=True,
        help="Fields the contact's current relation types require or recommend that are "
        "still empty.",
    )
    culture_missing_required_field_ids = fields.Many2many(
        "ir.model.fields",
        "res_partner_culture_missing_required_field_rel",
        "partner_id",
        "field_id",
        string="Missing Required Fields",
        compute="_compute_culture_completeness",
        store=True,
        help="Fields the contact's current relation types require that are still empty.",
    )

    @api.model
    def _culture_definable_field_names(self):
        """Names of the contact fields a relation type may require or recommend."""
        return sorted(
            name
            for name, field in self._fields.items()
            if field.store
            and field.type in DEFINABLE_FIELD_TYPES
            # what staff can fill in: not a figure the system computes by itself
            and not (field.compute and field.readonly)
            and not field.groups
            and name not in models.MAGIC_COLUMNS
            and name not in COMPLETENESS_FIELDS
            and name not in NOT_DEFINABLE_FIELDS
            and not name.startswith(NOT_DEFINABLE_PREFIXES)
        )

    def _culture_completeness_depends(self):
        # Any definable field may be chosen at run time, so completeness depends on all
        # of them: editing one in the form updates the banner and the stored figure.
        return [
            "current_role_ids.state",
            "current_role_ids.relation_type_id.required_field_ids",
            "current_role_ids.relation_type_id.recommended_field_ids",
            *self._culture_definable_field_names(),
        ]

    def _culture_current_relation_types(self):
        self.ensure_one()
        # current_role_ids rather than relation_type_ids: in the form, a role added but not
        # saved yet already counts, so staff see the completeness change as they type.
        return self.current_role_ids.filtered(lambda role: role.state == "current").mapped(
            "relation_type_id"
        )

    def _culture_is_recorded(self, field_name):
        # A number of 0 reads the same as an empty one, so it counts as missing.
        return bool(self[field_name])

    @api.depends(lambda model: model._culture_completeness_depends())
    def _compute_culture_completeness(self):
        # Contacts of the same relation types share a definition: read it once per set of
        # types. Values are assigned once per distinct value, to all the contacts that
        # share it: many2many values are written to the database as they are assigned, and
        # a batch (a sync, an import) shares most.
        definitions = {}
        completeness_by_value = defaultdict(list)
        missing_by_value = defaultdict(list)
        missing_required_by_value = defaultdict(list)
        for partner in self:
            relation_types = partner._culture_current_relation_types()
            if relation_types not in definitions:
                required = relation_types.required_field_ids
                definitions[relation_types] = (
                    required,
                    relation_types.recommended_field_ids - required,
                )
            required, recommended = definitions[relation_types]
            missing_required = required.filtered(
                lambda field, partner=partner: not partner._culture_is_recorded(field.name)
            )
            missing_recommended = recommended.filtered(
                lambda field, partner=partner: not partner._culture_is_recorded(field.name)
            )
            total = REQUIRED_FIELD_WEIGHT * len(required) + len(recommended)
            missing = REQUIRED_FIELD_WEIGHT * len(missing_required) + len(missing_recommended)
            completeness = round(100 * (total - missing) / total) if total else 100
            completeness_by_value[completeness].append(partner.id)
            missing_by_value[missing_required | missing_recommended].append(partner.id)
            missing_required_by_value[missing_required].append(partner.id)
        for completeness, partner_ids in completeness_by_value.items():
            self.browse(partner_ids).culture_completeness = completeness
        for missing_fields, partner_ids in missing_by_value.items():
            self.browse(partner_ids).culture_missing_field_ids = missing_fields
        for missing_fields, partner_ids in missing_required_by_value.items():
            self.browse(partner_ids).culture_missing_required_field_ids = missing_fields

    def _culture_blocking_gaps(self):
        """{contact: (blocking types, missing fields)} for types that enforce 'block'."""
        gaps = {}
        for partner in self:
            blocking_types = partner._culture_current_relation_types().filtered(
                lambda relation_type: relation_type.enforcement == "block"
            )
            missing = blocking_types.required_field_ids.filtered(
                lambda field, partner=partner: not partner._culture_is_recorded(field.name)
            )
            if missing:
                gaps[partner] = (
                    blocking_types.filtered(
                        lambda relation_type, missing=missing: relation_type.required_field_ids
                        & missing
                    ),
                    missing,
                )
        return gaps

    def _culture_check_blocking_definitions(self):
        """Refuse an interactive save that leaves a field a 'block' type requires empty."""
        gaps = self._culture_blocking_gaps()
        if not gaps:
            return
        messages = [
            self.env._(
                "%(contact)s (%(types)s) needs: %(fields)s.",
                contact=partner.display_name,
                types=", ".join(relation_types.mapped("complete_name")),
                fields=", ".join(missing.mapped("field_description")),
            )
            for partner, (relation_types, missing) in gaps.items()
        ]
        raise ValidationError(
            self.env._(
                "This contact cannot be saved until the fields its relation types require "
                "are filled in.\n%(details)s",
                details="\n".join(messages),
            )
        )

    def web_save(self, vals, specification, next_id=None):
        return save_then_check(
            self,
            super().web_save,
            vals,
            specification,
            next_id,
            lambda partners: partners._culture_check_blocking_definitions(),
        )
