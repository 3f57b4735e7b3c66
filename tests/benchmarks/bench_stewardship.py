# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What ownership rules cost: a steward's contact list against a manager's, at 100k contacts.

    ./setup/bench stewardship [--contacts 100000] [--runs 15] [--database DB --config CONF]

Without --database it makes a throwaway database from the dependency template, installs
the addons, fills it with N contacts (a realistic mix of relation types, so of data
domains: 55% Publiek, 10% Sponsoring & Fondsen, 5% Pers, 5% Onderwijs, 5% Zakelijk, 20%
no domain), runs every scenario as a steward (of Publiek and Onderwijs) and as a Culture
CRM manager, and drops the database again (--keep-db keeps it for a second run with
--database).

Scenarios, each timed as the median of --runs after two warm-up runs, steward and manager
taking turns, with the ORM cache emptied before every run (the SQL the web client causes,
not Python caches):
- contacts list: the Contacts list as the web client loads it (web_search_read of 80
  rows with the list's fields, and the count up to 10,000). Reads are not restricted, so
  this is what ownership costs the list: nothing but noise;
- contact form: opening a contact of the steward's domain (its read-only banner runs the
  write rule on it);
- save a contact: a write on that contact (the write rule checks it), rolled back;
- write check, 80 rows: the write rule on a page of 80 contacts at once. No screen does
  this; it isolates the rule. Odoo 18 evaluates a rule on given records in Python
  (filtered_domain), so the steward pays one fetch of two columns the manager's
  always-true rule skips: a few milliseconds, printed but outside the budget verdict;
- contacts to review: 'In My Domains' and 'Review Overdue' for the steward, 'Review
  Overdue' for the manager (the steward's own list);
- editable-by-me list: the Contacts list filtered on 'Editable by Me' (the rule's domain as
  a search filter over all contacts).

The steward/manager ratio of each scenario is printed; the exit status is 1 when one of
the screens' scenarios exceeds 1.5 (the issue's budget).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_PYTHON = (
    Path(
        os.environ.get(
            "CULTURE_CRM_VENV",
            Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
            / "culture-crm/venv",
        )
    )
    / "bin/python"
)
BUDGET = 1.5
LIST_SPEC = {
    "complete_name": {},
    "display_name": {},
    "email": {},
    "phone": {},
    "city": {},
    "country_id": {"fields": {"display_name": {}}},
    "relation_type_ids": {"fields": {"display_name": {}, "color": {}}},
    "data_domain_ids": {"fields": {"display_name": {}, "color": {}}},
    "next_review_date": {},
}
FORM_SPEC = {
    "display_name": {},
    "email": {},
    "phone": {},
    "street": {},
    "city": {},
    "data_domain_ids": {"fields": {"display_name": {}}},
    "data_owner_ids": {"fields": {"display_name": {}}},
    "culture_edit_lock_reason": {},
    "culture_can_edit": {},
    "review_state": {},
    "next_review_date": {},
}
# Share of contacts per relation type code; the rest has no role (so no domain).
TYPE_MIX = [
    ("audience", 0.55),
    ("donor", 0.10),
    ("press", 0.05),
    ("teacher", 0.05),
    ("business", 0.05),
]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_database import drop_database, make_database  # noqa: E402


def populate(env, count):
    """Fill the database with ``count`` contacts by copying a few ORM-made rows in SQL.

    The ORM makes one contact and one role (so every NOT NULL column and default is
    right); PostgreSQL copies them ``count`` times, then the stored relations the ORM
    would compute (current types, data domains, next review dates) are written in SQL.
    """
    cr = env.cr
    types = {t.code: t for t in env["culture.relation.type"].search([])}
    seed = env["res.partner"].create(
        {"name": "Bench Seed", "email": "seed@example.com", "city": "Leiden"}
    )
    seed_role = env["culture.partner.role"].create(
        {
            "partner_id": seed.id,
            "relation_type_id": types["audience"].id,
            "date_start": "2020-01-01",
        }
    )
    env.flush_all()
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner' "
        "AND column_name NOT IN ('id', 'name', 'complete_name', 'email', 'email_normalized', "
        "'commercial_partner_id', 'next_review_date', 'data_domain_owned', 'culture_editor_key')"
    )
    columns = [row[0] for row in cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    print(f"==> {count} contacts")
    cr.execute(
        f"""
        INSERT INTO res_partner ({column_list}, name, complete_name, email, email_normalized)
        SELECT {column_list},
               'Bench Contact ' || lpad(n::text, 7, '0'),
               'Bench Contact ' || lpad(n::text, 7, '0'),
               'bench' || n || '@example.com', 'bench' || n || '@example.com'
          FROM res_partner, generate_series(1, %s) n
         WHERE res_partner.id = %s
        """,
        (count, seed.id),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench Contact %%'"
    )
    cr.execute("SELECT id FROM res_partner WHERE name LIKE 'Bench Contact %%' ORDER BY id")
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'culture_partner_role' "
        "AND column_name NOT IN ('id', 'partner_id', 'relation_type_id')"
    )
    role_columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
    start = 0
    for code, share in TYPE_MIX:
        chunk = partner_ids[start : start + int(len(partner_ids) * share)]
        start += len(chunk)
        cr.execute(
            f"""
            INSERT INTO culture_partner_role ({role_columns}, partner_id, relation_type_id)
            SELECT {role_columns}, p, %s FROM culture_partner_role, unnest(%s) p WHERE id = %s
            """,
            (types[code].id, chunk, seed_role.id),
        )
    print("==> current types, data domains and review dates of those contacts")
    cr.execute(
        """
        INSERT INTO res_partner_culture_relation_type_rel (partner_id, relation_type_id)
        SELECT DISTINCT partner_id, relation_type_id FROM culture_partner_role
         WHERE state = 'current' AND partner_id = ANY(%s)
        """,
        (partner_ids,),
    )
    domain_ids_by_type = env["culture.data.domain"]._domain_ids_by_relation_type()
    pairs = [(t, d) for t, domain_ids in domain_ids_by_type.items() for d in domain_ids]
    cr.execute(
        """
        INSERT INTO culture_data_domain_res_partner_rel (partner_id, data_domain_id)
        SELECT DISTINCT rel.partner_id, scope.domain_id
          FROM res_partner_culture_relation_type_rel rel
          JOIN (SELECT unnest(%s) type_id, unnest(%s) domain_id) scope
            ON scope.type_id = rel.relation_type_id
         WHERE rel.partner_id = ANY(%s)
        """,
        ([p[0] for p in pairs], [p[1] for p in pairs], partner_ids),
    )
    # Review dates spread over two years around today: some overdue, some due, most ok.
    cr.execute(
        """
        UPDATE res_partner p
           SET next_review_date = CURRENT_DATE + ((p.id * 7919) %% 730 - 180),
               data_domain_owned = true
         WHERE p.id IN (SELECT partner_id FROM culture_data_domain_res_partner_rel)
           AND p.id = ANY(%s)
        """,
        (partner_ids,),
    )
    # Who may change each contact: the stewards and owners of its domains.
    cr.execute(
        """
        WITH editors AS (
            SELECT s.data_domain_id AS domain_id, s.user_id FROM culture_data_domain_steward_rel s
             UNION
            SELECT d.id, d.owner_id FROM culture_data_domain d
        )
        UPDATE res_partner p SET culture_editor_key = k.key
          FROM (SELECT rel.partner_id,
                       '|' || string_agg(DISTINCT e.user_id::text, '|') || '|' AS key
                  FROM culture_data_domain_res_partner_rel rel
                  JOIN editors e ON e.domain_id = rel.data_domain_id
                 WHERE rel.partner_id = ANY(%s)
                 GROUP BY rel.partner_id) k
         WHERE p.id = k.partner_id
        """,
        (partner_ids,),
    )
    env.invalidate_all()
    cr.execute("ANALYZE")
    cr.commit()


def bench_users(env):
    Users = env["res.users"].with_context(no_reset_password=True)
    ref = env.ref
    steward = Users.create(
        {
            "name": "Bench Steward",
            "login": "bench.steward",
            "groups_id": [(6, 0, [ref("culture_crm_stewardship.group_culture_steward").id])],
        }
    )
    manager = Users.create(
        {
            "name": "Bench Manager",
            "login": "bench.manager",
            "groups_id": [(6, 0, [ref("culture_crm.group_culture_manager").id])],
        }
    )
    for xmlid in (
        "culture_crm_stewardship.demo_domain_publiek",
        "culture_crm_stewardship.demo_domain_onderwijs",
    ):
        domain = ref(xmlid, raise_if_not_found=False)
        if domain:
            domain.steward_ids |= steward
    env.cr.commit()
    return steward, manager


def scenarios(sample_ids):
    """name -> callable(env) doing what the web client makes the server do."""

    def contacts_list(env, domain=()):
        env["res.partner"].web_search_read(list(domain), LIST_SPEC, limit=80, count_limit=10001)

    def contact_form(env):
        # Opening a contact reads the banner, which runs the write rule on that contact.
        env["res.partner"].browse(sample_ids["owned"]).web_read(FORM_SPEC)

    def save_contact(env):
        with env.cr.savepoint(flush=False) as savepoint:
            env["res.partner"].browse(sample_ids["owned"]).write({"phone": "+31 71 000 0000"})
            env.flush_all()
            savepoint.rollback()

    def write_check_page(env):
        env["res.partner"].browse(sample_ids["page"])._filtered_access("write")

    def review_queue(env):
        domain = [("review_state", "=", "overdue")]
        if not env.user.has_group("culture_crm.group_culture_manager"):
            domain.append(("culture_in_my_domains", "=", True))
        contacts_list(env, domain)

    return {
        "contacts list": contacts_list,
        "contact form": contact_form,
        "save a contact": save_contact,
        "write check, 80 rows*": write_check_page,
        "contacts to review": review_queue,
        "editable-by-me list": lambda env: contacts_list(env, [("culture_can_edit", "=", True)]),
    }


def measure(registry, uids, scenario, runs):
    """Median milliseconds per uid, the uids taking turns run by run."""
    import odoo

    timings = {uid: [] for uid in uids}
    with registry.cursor() as cr:
        envs = {
            uid: odoo.api.Environment(cr, uid, {"lang": "en_US", "tz": "Europe/Amsterdam"})
            for uid in uids
        }
        for run in range(runs + 2):
            for uid, env in envs.items():
                env.invalidate_all()
                begin = time.perf_counter()
                scenario(env)
                elapsed = time.perf_counter() - begin
                if run >= 2:
                    timings[uid].append(elapsed * 1000)
        cr.rollback()
    return {uid: statistics.median(values) for uid, values in timings.items()}


def run(database, config, contacts, runs, populate_first):
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", str(config), "--log-level=warn"])
    registry = Registry(database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        steward = env["res.users"].search([("login", "=", "bench.steward")])
        manager = env["res.users"].search([("login", "=", "bench.manager")])
        if not steward:
            steward, manager = bench_users(env)
        if populate_first:
            populate(env, contacts)
        steward_id, manager_id = steward.id, manager.id
        cr.execute("SELECT count(*) FROM res_partner")
        total = cr.fetchone()[0]
        cr.execute("SELECT count(DISTINCT partner_id) FROM culture_data_domain_res_partner_rel")
        owned = cr.fetchone()[0]
        cr.execute(
            "SELECT partner_id FROM culture_data_domain_res_partner_rel rel "
            "JOIN culture_data_domain_steward_rel s ON s.data_domain_id = rel.data_domain_id "
            "WHERE s.user_id = %s ORDER BY partner_id DESC LIMIT 1",
            (steward_id,),
        )
        sample_ids = {"owned": cr.fetchone()[0]}
        sample_ids["page"] = env["res.partner"].search([], limit=80).ids
    print(f"==> {total} contacts, {owned} in a data domain; median of {runs} runs (ms)")
    print(f"{'scenario':<24}{'steward':>10}{'manager':>10}{'ratio':>8}")
    worst = 0.0
    for name, scenario in scenarios(sample_ids).items():
        timings = measure(registry, [steward_id, manager_id], scenario, runs)
        steward_ms, manager_ms = timings[steward_id], timings[manager_id]
        ratio = steward_ms / manager_ms
        if not name.endswith("*"):
            worst = max(worst, ratio)
        print(f"{name:<24}{steward_ms:>10.1f}{manager_ms:>10.1f}{ratio:>8.2f}")
    print("    * not a screen: informational, outside the verdict")
    verdict = "within" if worst <= BUDGET else "OVER"
    print(f"==> worst steward/manager ratio {worst:.2f}: {verdict} the {BUDGET}x budget")
    return worst <= BUDGET


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", help="an existing bench database (skips building one)")
    parser.add_argument("--config", help="the Odoo config of --database")
    parser.add_argument("--keep-db", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    try:
        import odoo  # noqa: F401
    except ImportError:
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    if args.database:
        if not args.config:
            parser.error("--database needs --config")
        return 0 if run(args.database, args.config, args.contacts, args.runs, False) else 1
    database = f"culture_bench_stewardship_{os.getpid()}"
    config = Path(tempfile.gettempdir()) / f"{database}.conf"
    make_database(database, config)
    try:
        ok = run(database, config, args.contacts, args.runs, True)
    finally:
        if args.keep_db:
            print(
                f"    kept database {database} (config {config}); rerun with "
                f"--database {database} --config {config}"
            )
        else:
            drop_database(database, config)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
