# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
from collections import defaultdict

from odoo import api, fields, models

from ..matching import normalise

_logger = logging.getLogger(__name__)

PHONE_FIELDS = ("phone", "mobile")
NORMALISED_FIELDS = (*PHONE_FIELDS, "email", "zip")
_DUTCH_POSTCODE = re.compile(r"^[1-9]\d{3} [A-Z]{2}$")


class ResPartner(models.Model):
    """Contact data is normalised wherever it enters.

    ``create`` and ``write`` are the one door every path goes through: the form (also
    after Odoo's own phone onchange, which gives the same international form), imports
    (``load``), RPC, synchronisations and code. Phones become international
    ('+31 6 12345678') with the region of the contact's country, else its company's;
    e-mail is trimmed; Dutch postcodes read '1234 AB'. A value that does not parse is
    kept exactly as typed and flagged, never dropped, and never fails the write: one bad
    number must not stop an import of thousands.
    """

    _inherit = "res.partner"

    phone_needs_check = fields.Boolean(
        compute="_compute_needs_check",
        store=True,
        index="btree_not_null",
        help="The phone or mobile number could not be read as a valid number; it is "
        "kept as typed.",
    )
    zip_needs_check = fields.Boolean(
        string="Postcode Needs Check",
        compute="_compute_needs_check",
        store=True,
        index="btree_not_null",
        help="The Dutch postcode is not of the form 1234 AB; it is kept as typed.",
    )
    email_needs_check = fields.Boolean(
        compute="_compute_needs_check",
        store=True,
        index="btree_not_null",
        help="The email is not a valid address; it is kept as typed.",
    )

    @api.depends("phone", "mobile", "email", "zip", "country_id", "company_id")
    def _compute_needs_check(self):
        # Nearly every contact of a batch has nothing to check: assign each combination
        # of flags once, to all the contacts that share it.
        partners_by_flags = defaultdict(list)
        for partner in self:
            region = partner._culture_region()
            flags = (
                any(
                    partner[fname] and not normalise.phone_e164(partner[fname], region)
                    for fname in PHONE_FIELDS
                ),
                bool(partner.email and not normalise.normalise_email(partner.email)),
                bool(
                    partner.zip
                    and region == "NL"
                    and not _DUTCH_POSTCODE.match(normalise.format_postcode(partner.zip, "NL"))
                ),
            )
            partners_by_flags[flags].append(partner.id)
        for (phone, email, zip_code), partner_ids in partners_by_flags.items():
            partners = self.browse(partner_ids)
            partners.phone_needs_check = phone
            partners.email_needs_check = email
            partners.zip_needs_check = zip_code

    # ------------------------------------------------------------------
    # Region
    # ------------------------------------------------------------------
    def _culture_region(self):
        """The country code this contact's phones and postcode are read in."""
        self.ensure_one()
        return self._culture_region_for(self.country_id, self.company_id)

    @api.model
    def _culture_region_for(self, country, company):
        """The contact's country, else its company's, else the current company's."""
        if country:
            return country.code
        # The company's partner holds the country (res.company computes it from there).
        company_country = company.partner_id.country_id or self.env.company.partner_id.country_id
        return company_country.code or normalise.DEFAULT_REGION

    @api.model
    def _culture_region_from_vals(self, vals, partner=None):
        """The region after writing ``vals`` on ``partner`` (or creating from them)."""
        partner = partner if partner is not None else self.browse()
        country = partner.country_id
        if "country_id" in vals:
            country = self.env["res.country"].browse(vals["country_id"] or ())
        elif not partner and vals.get("parent_id"):
            # A new contact person takes the address of its company.
            country = self.browse(vals["parent_id"]).country_id
        company = partner.company_id
        if "company_id" in vals:
            company = self.env["res.company"].browse(vals["company_id"] or ())
        return self._culture_region_for(country, company)

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    @api.model
    def _culture_normalised_vals(self, vals, region):
        """Return ``vals`` with phones, email and postcode normalised for ``region``.

        Never raises: a value that cannot be normalised is returned as given.
        """
        if not any(fname in vals for fname in NORMALISED_FIELDS):
            return vals
        vals = dict(vals)
        for fname in NORMALISED_FIELDS:
            raw = vals.get(fname)
            if not raw or not isinstance(raw, str):
                continue
            try:
                vals[fname] = self._culture_normalise_value(fname, raw, region)
            except Exception:  # bad input must never fail a batch
                _logger.warning("Could not normalise %s %r; kept as typed", fname, raw)
        return vals

    @api.model
    def _culture_normalise_value(self, fname, raw, region):
        if fname in PHONE_FIELDS:
            return normalise.phone_international(raw, region) or raw.strip()
        if fname == "email":
            return normalise.repair_email(raw) or raw.strip()
        if fname == "zip":
            return normalise.format_postcode(raw, region) or raw.strip()
        return raw

    # ------------------------------------------------------------------
    # Write paths
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("culture_skip_normalise"):
            vals_list = [
                self._culture_normalised_vals(vals, self._culture_region_from_vals(vals))
                for vals in vals_list
            ]
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("culture_skip_normalise") or not (
            any(fname in vals for fname in NORMALISED_FIELDS) or "country_id" in vals
        ):
            return super().write(vals)
        by_region = {}  # region -> ids ('|=' on a recordset would copy it each time)
        for partner in self:
            region = self._culture_region_from_vals(vals, partner)
            by_region.setdefault(region, []).append(partner.id)
        if len(by_region) <= 1:
            region = next(iter(by_region), self._culture_region_from_vals(vals))
            result = super().write(self._culture_normalised_vals(vals, region))
        else:
            result = True
            for region, partner_ids in by_region.items():
                partners = self.browse(partner_ids)
                super(ResPartner, partners).write(self._culture_normalised_vals(vals, region))
        if "country_id" in vals:
            # A number typed before the country was known may read now.
            self._culture_normalise_stored(set(NORMALISED_FIELDS) - set(vals))
        return result

    def _culture_normalise_stored(self, fnames=NORMALISED_FIELDS):
        """Normalise the stored values of these contacts; return the contacts changed."""
        changed = self.browse()
        for partner in self:
            region = partner._culture_region()
            current = {fname: partner[fname] for fname in fnames if partner[fname]}
            new = self._culture_normalised_vals(current, region)
            diff = {fname: value for fname, value in new.items() if value != current[fname]}
            if diff:
                partner.with_context(culture_skip_normalise=True).write(diff)
                changed |= partner
        return changed
