# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL, create_index

from ..matching import engine, normalise

# Blocking keys are stored one a line; PostgreSQL indexes them as an array (GIN).
KEY_SEPARATOR = "\n"
_KEYS_ARRAY = SQL("string_to_array(match_blocking_keys, E'\\n')")
# The partner columns the engine reads, with the country the company implies.
_CONTACT_COLUMNS = """
    SELECT p.id, p.name, p.email, p.phone, p.mobile, p.street, p.zip, p.city,
           COALESCE(c.code, cc.code) AS country_code, p.is_company, p.parent_id
      FROM res_partner p
      LEFT JOIN res_country c ON c.id = p.country_id
      LEFT JOIN res_company co ON co.id = p.company_id
      LEFT JOIN res_partner cop ON cop.id = co.partner_id
      LEFT JOIN res_country cc ON cc.id = cop.country_id
"""
# A batch of contacts by id.
_CONTACT_QUERY = _CONTACT_COLUMNS + " WHERE p.id = ANY(%s)"
# Every active contact, a page at a time in id order.
_CONTACT_PAGE_QUERY = _CONTACT_COLUMNS + " WHERE p.active AND p.id > %s ORDER BY p.id LIMIT %s"


class ResPartner(models.Model):
    """Match keys: the normalised forms the duplicate engine blocks on, stored and indexed.

    They are computed by the pure-Python core (``matching.normalise``) once per write,
    so finding the possible duplicates of a contact is a handful of index lookups in
    PostgreSQL, not a scan of every contact.
    """

    _inherit = "res.partner"

    match_phone = fields.Char(
        string="Phone (E.164)", compute="_compute_match_keys", store=True, index="btree_not_null"
    )
    match_mobile = fields.Char(
        string="Mobile (E.164)", compute="_compute_match_keys", store=True, index="btree_not_null"
    )
    match_email = fields.Char(
        string="Email Key", compute="_compute_match_keys", store=True, index="btree_not_null"
    )
    match_address_key = fields.Char(
        string="Postcode and House Number",
        compute="_compute_match_keys",
        store=True,
        index="btree_not_null",
    )
    match_surname_key = fields.Char(string="Surname Key", compute="_compute_match_keys", store=True)
    match_surname_city_key = fields.Char(
        string="Surname and City Key",
        compute="_compute_match_keys",
        store=True,
        index="btree_not_null",
    )
    match_organisation_key = fields.Char(
        string="Organisation Key",
        compute="_compute_match_keys",
        store=True,
        index="btree_not_null",
    )
    match_blocking_keys = fields.Text(
        string="Blocking Keys",
        compute="_compute_match_keys",
        store=True,
        help="The duplicate engine's blocking keys, one a line: two contacts are compared "
        "only when they share one.",
    )

    def init(self):
        result = super().init()
        # The incremental duplicate scan walks contacts by (write_date, id).
        create_index(
            self.env.cr, "res_partner_write_date_id_index", self._table, ["write_date", "id"]
        )
        # Contacts sharing a blocking key: one GIN probe a key. Without fastupdate, rows
        # go straight into the index: a big import must not leave a pending list that
        # every form's duplicate check then reads through until the next vacuum.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS res_partner_match_blocking_keys_gin ON res_partner "
                "USING gin ((%s)) WITH (fastupdate = off) WHERE match_blocking_keys IS NOT NULL",
                _KEYS_ARRAY,
            )
        )
        self.env.cr.execute(
            "ALTER INDEX res_partner_match_blocking_keys_gin SET (fastupdate = off)"
        )
        return result

    @api.depends(
        "name",
        "email",
        "phone",
        "mobile",
        "street",
        "zip",
        "city",
        "country_id",
        "company_id",
        "is_company",
    )
    def _compute_match_keys(self):
        match_engine = engine.MatchEngine()
        for partner in self:
            values = partner._culture_contact_values(partner._culture_region())
            partner.update(_match_key_values(values, match_engine))

    @api.model_create_multi
    def create(self, vals_list):
        # A new contact's keys come from the values it is created with (normalised
        # already: res_partner_normalise's create runs first) and the defaults, so the
        # INSERT stores them and no compute writes the row again. Not where create itself
        # adds to those values: a contact person (Odoo copies the company's address into
        # it), or a field written through another ('company_type').
        defaults = self.default_get(list(_KEY_SOURCE_FIELDS))
        match_engine = engine.MatchEngine()
        keyed_vals_list = [
            self._culture_vals_with_match_keys(vals, defaults, match_engine) for vals in vals_list
        ]
        partners = super().create(keyed_vals_list)
        # Computed fields given to create are stored, then computed again all the same:
        # these are the computed values already.
        keyed = partners.browse(
            partner.id
            for partner, vals, keyed_vals in zip(partners, vals_list, keyed_vals_list, strict=True)
            if keyed_vals is not vals
        )
        for fname in MATCH_KEY_FIELDS:
            self.env.remove_to_compute(self._fields[fname], keyed)
        return partners

    @api.model
    def _culture_vals_with_match_keys(self, vals, defaults, match_engine):
        full = dict(defaults, **vals)
        if (
            full.get("parent_id")
            or any(fname in vals for fname in MATCH_KEY_FIELDS)
            or any(not getattr(self._fields.get(fname), "store", True) for fname in vals)
        ):
            return vals
        values = {fname: full.get(fname) or "" for fname in _CONTACT_TEXT_FIELDS}
        values.update(
            id=None,
            country_code=self._culture_region_from_vals(full),
            is_company=bool(full.get("is_company")),
            parent_id=None,
        )
        return dict(vals, **_match_key_values(values, match_engine))

    @api.model
    def _culture_recompute_match_keys(self, batch_size=5000):
        """Recompute every contact's match keys, archived ones included, in batches.

        For an upgrade that changes what the engine blocks on: stored keys are otherwise
        only refreshed when a contact is edited. Returns the number of contacts done.
        """
        Partner = self.with_context(active_test=False, prefetch_fields=False)
        self.env.cr.execute("SELECT id FROM res_partner ORDER BY id")
        ids = [row[0] for row in self.env.cr.fetchall()]
        for start in range(0, len(ids), batch_size):
            partners = Partner.browse(ids[start : start + batch_size])
            self.env.add_to_compute(self._fields["match_blocking_keys"], partners)
            partners.flush_recordset()
            self.env.invalidate_all()
        return len(ids)

    def _culture_contact_values(self, region=None):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name or "",
            "email": self.email or "",
            "phone": self.phone or "",
            "mobile": self.mobile or "",
            "street": self.street or "",
            "zip": self.zip or "",
            "city": self.city or "",
            "country_code": region or self._culture_region(),
            "is_company": bool(self.is_company),
            "parent_id": self.parent_id.id or None,
        }

    def _culture_engine_contact(self):
        """This contact (saved or still in a form) as the engine's Contact."""
        self.ensure_one()
        values = self._culture_contact_values()
        values["id"] = self._origin.id or None
        return engine.Contact(**_contact_kwargs(values))

    @api.model
    def _culture_engine_contacts(self, partner_ids):
        """Engine Contacts for these ids, read in one query (no ORM records built)."""
        if not partner_ids:
            return {}
        self.flush_model()
        default = self.env.company.partner_id.country_id.code or normalise.DEFAULT_REGION
        self.env.cr.execute(_CONTACT_QUERY, [list(partner_ids)])
        contacts = {}
        for row in self.env.cr.dictfetchall():
            row["country_code"] = row["country_code"] or default
            contacts[row["id"]] = engine.Contact(**_contact_kwargs(row))
        return contacts

    @api.model
    def _culture_all_engine_contacts(self, page_size=20_000):
        """Yield an engine Contact for every active contact, in id order, read a page at
        a time: a million contacts never sit in memory as rows."""
        self.flush_model()
        default = self.env.company.partner_id.country_id.code or normalise.DEFAULT_REGION
        last_id = 0
        while True:
            self.env.cr.execute(_CONTACT_PAGE_QUERY, [last_id, page_size])
            rows = self.env.cr.dictfetchall()
            if not rows:
                return
            for row in rows:
                row["country_code"] = row["country_code"] or default
                yield engine.Contact(**_contact_kwargs(row))
            last_id = rows[-1]["id"]

    # ------------------------------------------------------------------
    # Blocking in PostgreSQL
    # ------------------------------------------------------------------
    def _culture_blocking_key_list(self):
        self.ensure_one()
        return [key for key in (self.match_blocking_keys or "").split(KEY_SEPARATOR) if key]

    @api.model
    def _culture_keys_of(self, partner_ids):
        """{id: [blocking keys]} of these active contacts."""
        self.flush_model(["match_blocking_keys", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id, match_blocking_keys FROM res_partner "
                "WHERE id = ANY(%s) AND active AND match_blocking_keys IS NOT NULL",
                list(partner_ids),
            )
        )
        return {pid: keys.split(KEY_SEPARATOR) for pid, keys in self.env.cr.fetchall()}

    @api.model
    def _culture_key_holders(self, keys):
        """Ids of the active contacts holding any of these blocking keys (GIN lookup)."""
        keys = sorted(set(keys))
        if not keys:
            return []
        self.flush_model(["match_blocking_keys", "active"])
        # One index probe a key: with thousands of keys (a scan batch) an '&&' over the
        # whole array is estimated to match every row and read as a sequential scan.
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.id
                  FROM unnest(%s::text[]) AS k(key)
                  JOIN res_partner p ON %s @> ARRAY[k.key]
                 WHERE p.active AND p.match_blocking_keys IS NOT NULL
                """,
                keys,
                SQL("string_to_array(p.match_blocking_keys, E'\\n')"),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _culture_key_counts(self, keys):
        """{key: number of active contacts holding it} for these blocking keys."""
        keys = sorted(set(keys))
        if not keys:
            return {}
        self.flush_model(["match_blocking_keys", "active"])
        self.env.cr.execute(
            SQL(
                """
                SELECT k.key, count(p.id)
                  FROM unnest(%s::text[]) AS k(key)
                  JOIN res_partner p ON %s @> ARRAY[k.key]
                 WHERE p.active AND p.match_blocking_keys IS NOT NULL
                 GROUP BY k.key
                """,
                keys,
                SQL("string_to_array(p.match_blocking_keys, E'\\n')"),
            )
        )
        return dict(self.env.cr.fetchall())


MATCH_KEY_FIELDS = (
    "match_blocking_keys",
    "match_phone",
    "match_mobile",
    "match_email",
    "match_address_key",
    "match_surname_key",
    "match_surname_city_key",
    "match_organisation_key",
)
_CONTACT_TEXT_FIELDS = ("name", "email", "phone", "mobile", "street", "zip", "city")
# What the keys are made of (``_compute_match_keys``'s dependencies).
_KEY_SOURCE_FIELDS = (*_CONTACT_TEXT_FIELDS, "country_id", "company_id", "is_company", "parent_id")


def _match_key_values(values, match_engine):
    """The stored match keys of a contact, from its values (``_culture_contact_values``)."""
    region = values["country_code"]
    keys = normalise.match_keys(values)
    blocking = sorted(match_engine.blocking_keys(engine.Contact(**_contact_kwargs(values))))
    # A field may hold two numbers ('020-1234567 / 06-12345678'): the first is the key;
    # the blocking keys hold them all.
    phone = next(iter(normalise.phone_numbers(values["phone"], region)), None)
    mobile = next(iter(normalise.phone_numbers(values["mobile"], region)), None)
    return {
        "match_blocking_keys": KEY_SEPARATOR.join(blocking) or False,
        "match_phone": phone or False,
        "match_mobile": (mobile if mobile != phone else False) or False,
        "match_email": keys["email_key"] or False,
        "match_address_key": keys["postcode_number_key"] or False,
        "match_surname_key": keys["surname_key"] or False,
        "match_surname_city_key": keys["surname_city_key"] or False,
        "match_organisation_key": keys["organisation_key"] or False,
    }


def _contact_kwargs(values):
    """The engine Contact's keyword arguments from a row or a form's values."""
    known = engine.Contact.__dataclass_fields__
    kwargs = {key: value for key, value in values.items() if key in known}
    for key in ("name", "email", "phone", "mobile", "street", "zip", "city"):
        if key in known and not kwargs.get(key):
            kwargs[key] = ""
    return kwargs
