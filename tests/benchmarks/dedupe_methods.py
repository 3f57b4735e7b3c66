# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The three duplicate finders the dedupe benchmark compares, one per process.

    python dedupe_methods.py ours|odoo|splink CONTACTS.csv PAIRS.csv
    python dedupe_methods.py single CONTACTS.csv [--checks N]

Each writes PAIRS.csv (id_a, id_b[, score]) and prints one JSON line with its own
timings; bench_dedupe.py runs it in a fresh process so that peak memory is its own.
'ours' and 'odoo' run in the Culture CRM venv, 'splink' in the bench venv.
"""

import argparse
import csv
import json
import logging
import random
import sys
import time
from itertools import combinations
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def write_pairs(path, pairs):
    with open(path, "w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output)
        writer.writerow(["id_a", "id_b", "score"])
        writer.writerows(pairs)


# --- ours -------------------------------------------------------------------------------------


def run_ours(contacts, pairs_path, workers=2):
    """The CRM engine exactly as ./setup/dedupe runs it (matching.cli)."""
    from matching.cli import main

    started = time.perf_counter()
    code = main([contacts, pairs_path, "--workers", str(workers)])
    return {"seconds": time.perf_counter() - started, "exit": code}


def single_contact_checks(contacts, count):
    """Time ``candidates_for`` of one new contact against an index of the whole file.

    Two kinds of new contact, ``count`` of each: a random existing contact typed in
    again with its name as 'Surname, I.' (it should find its original), and a stranger
    from the generator with another seed (it should find nothing). The index is the
    pure-Python twin of the CRM's indexed keys.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generator
    from matching.cli import read_contacts
    from matching.engine import MatchEngine

    engine = MatchEngine()
    with open(contacts, "rb") as binary:
        rows = list(read_contacts(binary, contacts))
    index = engine.build_index(rows, workers=2)
    rng = random.Random(11)
    retyped = []
    for row in rng.sample(rows, count):
        probe = dict(row, id=None)
        name = probe["name"].replace(",", " ").split()
        if len(name) > 1 and probe["is_company"] == "0":
            probe["name"] = f"{name[-1]}, {name[0][0]}."
        retyped.append(probe)
    strangers = []
    for record, _cluster in generator.Generator(seed=10_007).generate(count):
        strangers.append(dict(record, id=None))
    result = {"index_contacts": len(index)}
    for kind, probes in (("retyped", retyped), ("stranger", strangers[:count])):
        timings, found = [], 0
        for probe in probes:
            started = time.perf_counter()
            matches = engine.candidates_for(probe, index)
            timings.append(time.perf_counter() - started)
            found += bool(matches)
        timings.sort()
        result[kind] = {
            "checks": len(probes),
            "median_ms": 1000 * timings[len(timings) // 2],
            "p95_ms": 1000 * timings[int(len(timings) * 0.95)],
            "max_ms": 1000 * timings[-1],
            "found": found,
        }
    return result


# --- Odoo core --------------------------------------------------------------------------------


def run_odoo(contacts, pairs_path):
    """Odoo 18's base.partner.merge.automatic.wizard, as _generate_query builds it:

        SELECT min(id), array_agg(id) FROM res_partner WHERE email IS NOT NULL
        GROUP BY lower(email) HAVING COUNT(*) >= 2

    and the same for name; one run per criterion ('email', then 'name'), every pair in a
    group proposed. Odoo stores an empty field as NULL, so '' counts as NULL; nothing is
    trimmed. No LIMIT (maximum_group left empty).
    """
    started = time.perf_counter()
    groups = {"email": {}, "name": {}}
    with open(contacts, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            identifier = int(row["id"])
            for field, grouped in groups.items():
                value = row[field]
                if value != "":
                    grouped.setdefault(value.lower(), []).append(identifier)
    pairs = set()
    per_field = {}
    for field, grouped in groups.items():
        found = set()
        for ids in grouped.values():
            if len(ids) >= 2:
                found.update(combinations(sorted(ids), 2))
        per_field[field] = len(found)
        pairs |= found
    write_pairs(pairs_path, sorted((a, b, 100) for a, b in pairs))
    return {"seconds": time.perf_counter() - started, "pairs_by_field": per_field}


# --- Splink -----------------------------------------------------------------------------------

SPLINK_PREPARE = r"""
    WITH cleaned AS (
        SELECT
            CAST(id AS BIGINT) AS unique_id,
            -- lower case, no accents, punctuation, titles or suffixes
            trim(regexp_replace(regexp_replace(
                ' ' || regexp_replace(lower(strip_accents(name)), '[^a-z0-9,]+', ' ', 'g') || ' ',
                ' (dhr|de heer|mevr|mevrouw|mw|dr|drs|ir|ing|mr|prof|jr|sr) ', ' ', 'g'),
                ' +', ' ', 'g')) AS name_clean,
            lower(trim(email)) AS email,
            right(regexp_replace(phone, '[^0-9]', '', 'g'), 8) AS phone8,
            upper(regexp_replace(zip, '[^0-9A-Za-z]', '', 'g')) AS postcode,
            regexp_extract(street, '([0-9]+)[^0-9]*$', 1) AS house_number,
            lower(trim(city)) AS city
        FROM read_csv(?, header = true, all_varchar = true)
    ), named AS (
        SELECT *,
            -- 'Berg, Jan van der': surname before the comma, forename after it
            CASE WHEN contains(name_clean, ',')
                THEN trim(split_part(name_clean, ',', 2)) || ' '
                    || trim(split_part(name_clean, ',', 1))
                ELSE name_clean END AS name_ordered
        FROM cleaned
    )
    SELECT
        unique_id,
        NULLIF(name_ordered, '') AS full_name,
        NULLIF(split_part(trim(name_ordered), ' ', 1), '') AS forename,
        NULLIF(regexp_extract(trim(name_ordered), '([a-z0-9]+)$', 1), '') AS surname,
        NULLIF(email, '') AS email,
        NULLIF(phone8, '') AS phone8,
        CASE WHEN postcode <> '' AND house_number <> ''
            THEN postcode || '|' || house_number END AS address,
        NULLIF(city, '') AS city
    FROM named
"""


def _splink_name_comparison(cl, cll):
    """Forename and surname, with the level a Dutch file needs most: an initial ('J.')
    against a full forename ('Jan'). Term frequencies on the full name and surname."""
    forename, surname = "forename", "surname"
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.And(cll.NullLevel(forename), cll.NullLevel(surname)),
            cll.ExactMatchLevel("full_name").configure(tf_adjustment_column="full_name"),
            cll.ColumnsReversedLevel(forename, surname, symmetrical=True),
            cll.And(cll.JaroWinklerLevel(forename, 0.92), cll.JaroWinklerLevel(surname, 0.92)),
            cll.And(
                cll.CustomLevel("substr(forename_l, 1, 1) = substr(forename_r, 1, 1)"),
                cll.JaroWinklerLevel(surname, 0.92),
            ),
            cll.ExactMatchLevel(surname).configure(tf_adjustment_column=surname),
            cll.ElseLevel(),
        ],
    )


def run_splink(contacts, pairs_path, threshold=0.9):
    """Splink (DuckDB) configured as a careful Splink user would for this file.

    Cleaning in SQL first: names lower-case without accents, punctuation and titles, a
    'Surname, Forename' put in order, then forename = first word, surname = last word;
    e-mail trimmed and lower-case; the last eight digits of a phone (drops +31, 0031 and
    the trunk 0); postcode and house number as one address key. Four comparisons (name
    with an initial-matches level, e-mail, phone and address with term frequencies, so a
    switchboard or an office address counts for little), none repeating another, so the
    independence assumption holds as well as it can; blocking rules like ours; u by
    random sampling, m by EM on name and e-mail blocks. Pairs at or above ``threshold``
    match probability are written, with the probability for the report."""
    import duckdb
    import splink
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("CREATE TABLE contacts AS " + SPLINK_PREPARE, [contacts])
    blocking = [
        block_on("email"),
        block_on("phone8"),
        block_on("address"),
        block_on("surname", "city"),
        block_on("forename", "surname"),
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            _splink_name_comparison(cl, cll),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone8").configure(term_frequency_adjustments=True),
            cl.ExactMatch("address").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("contacts"), settings, log_level=logging.WARNING)
    # The prior from rules that only true duplicates meet: a shared e-mail or phone alone
    # would count every household and office as duplicates (a prior 100 times too high).
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("full_name", "email"),
            block_on("full_name", "phone8"),
            block_on("full_name", "address"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    notes = []
    for rule in (block_on("forename", "surname"), block_on("email")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as error:  # EM can underflow on a level no match ever shows
            notes.append(f"EM on {rule.get_blocking_rule('duckdb').blocking_rule_sql}: {error}")
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    rows = (
        predictions.as_duckdbpyrelation()
        .select("unique_id_l, unique_id_r, match_probability")
        .fetchall()
    )
    pairs = sorted((min(a, b), max(a, b), round(p, 6)) for a, b, p in rows if p >= threshold)
    write_pairs(pairs_path, pairs)
    # Every pair down to 0.5, so the report can also show Splink at its best threshold.
    write_pairs(
        str(pairs_path) + ".all", sorted((min(a, b), max(a, b), round(p, 6)) for a, b, p in rows)
    )
    return {
        "seconds": time.perf_counter() - started,
        "version": splink.__version__,
        "threshold": threshold,
        "notes": notes,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("method", choices=["ours", "odoo", "splink", "single"])
    parser.add_argument("contacts")
    parser.add_argument("pairs", nargs="?")
    parser.add_argument("--checks", type=int, default=500, help="single: new contacts")
    args = parser.parse_args(argv)
    sys.path.append(str(REPO_ROOT / "culture_crm"))
    if args.method == "ours":
        result = run_ours(args.contacts, args.pairs)
    elif args.method == "single":
        result = single_contact_checks(args.contacts, args.checks)
    elif args.method == "odoo":
        result = run_odoo(args.contacts, args.pairs)
    else:
        result = run_splink(args.contacts, args.pairs)
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
