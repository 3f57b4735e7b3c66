# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""./setup/dedupe as a user runs it: a CSV in, pairs out, clear errors on bad input."""

import csv
import subprocess
from pathlib import Path

DEDUPE = Path(__file__).resolve().parent.parent / "setup" / "dedupe"
HEADER = "id,name,email,phone,street,zip,city,country_code,is_company\n"
CONTACTS = HEADER + (
    "1,Jan van der Berg,jan@vdberg.nl,06-12345678,Kerkstraat 12,1234AB,Amsterdam,NL,0\n"
    '2,"Berg, J. vd",JAN@vdberg.nl,+31 6 1234 5678,Kerkstraat 12,1234 ab,Amsterdam,NL,0\n'
    "3,Marie van der Berg,,020-1234567,Kerkstraat 12,1234 AB,Amsterdam,NL,0\n"
    "4,Stichting Het Concertgebouw,info@concertgebouw.nl,020-5730573,"
    "Concertgebouwplein 10,1071 LN,Amsterdam,NL,1\n"
    "5,Concertgebouw N.V.,info@concertgebouw.nl,0031 20 573 05 73,,,Amsterdam,NL,1\n"
    "6,Luc Peeters,,0470 12 34 56,Meir 12 bus 3,2000,Antwerpen,BE,0\n"
)


def run(tmp_path, text=None, data=None, extra=()):
    contacts = tmp_path / "contacts.csv"
    if data is None:
        data = text.encode("utf-8")
    contacts.write_bytes(data)
    pairs = tmp_path / "pairs.csv"
    result = subprocess.run(
        [str(DEDUPE), str(contacts), str(pairs), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result, pairs


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_dedupe_writes_the_likely_pairs_with_reasons(tmp_path):
    result, pairs = run(tmp_path, CONTACTS)
    assert result.returncode == 0, result.stderr
    with pairs.open(encoding="utf-8") as output:
        rows = list(csv.DictReader(output))
    assert [(row["id_a"], row["id_b"]) for row in rows] == [("1", "2"), ("4", "5")]
    assert all(int(row["score"]) >= 70 for row in rows)
    assert "same e-mail" in rows[0]["reasons"]


def test_dedupe_prints_counts_and_time(tmp_path):
    result, _pairs = run(tmp_path, CONTACTS)
    assert "6 contacts read" in result.stdout
    assert "2 pairs at or above 70" in result.stdout
    assert "time:" in result.stdout


def test_dedupe_leaves_household_members_apart(tmp_path):
    result, pairs = run(tmp_path, CONTACTS)
    assert result.returncode == 0
    assert ",3," not in pairs.read_text(encoding="utf-8")


def test_dedupe_thresholds_default_to_the_crm_ones(tmp_path):
    result = subprocess.run(
        [str(DEDUPE), "--help"], capture_output=True, text=True, timeout=300, check=False
    )
    assert "default 70, as in the CRM" in result.stdout
    assert "default 90" in result.stdout


def test_dedupe_likely_threshold_can_be_raised(tmp_path):
    result, pairs = run(tmp_path, CONTACTS, extra=("--likely", "99", "--certain", "100"))
    assert result.returncode == 0
    with pairs.open(encoding="utf-8") as output:
        rows = list(csv.DictReader(output))
    # 1 and 2 score 95: below the raised threshold.
    assert [(row["id_a"], row["id_b"], row["score"]) for row in rows] == [("4", "5", "100")]


def test_missing_column_is_named_with_line_one(tmp_path):
    text = "id,name,phone,street,zip,city,country_code,is_company\n1,Jan,,,,,NL,0\n"
    result, _pairs = run(tmp_path, text)
    assert_one_line_error(result, "line 1", "missing column email")


def test_wrong_field_count_names_the_line(tmp_path):
    text = CONTACTS + "7,Piet Bakker,piet@bakker.nl,,Dorpsstraat 1,1111 AA,Edam,NL\n"
    result, _pairs = run(tmp_path, text)
    assert_one_line_error(result, "line 8", "8 fields where the header has 9")


def test_bad_quoting_names_the_line(tmp_path):
    text = CONTACTS + '7,"Piet "Bakker",piet@bakker.nl,,,,Edam,NL,0\n'
    result, _pairs = run(tmp_path, text)
    assert_one_line_error(result, "line 8", "bad quoting")


def test_a_file_mixing_utf8_and_another_encoding_names_the_line(tmp_path):
    text = CONTACTS + "7,José Bakker,,,,,Gent,BE,0\n"
    data = text.encode("utf-8") + "8,Renée Bakker,,,,,Gent,BE,0\n".encode("latin-1")
    result, _pairs = run(tmp_path, data=data)
    assert_one_line_error(result, "line 9", "not UTF-8")


def test_a_dutch_excel_csv_is_read_as_excel_wrote_it(tmp_path):
    """Excel on a Dutch or Belgian Windows saves 'CSV' with ';' in Windows-1252, and
    people write the country's name where the code belongs."""
    rows = [
        "id;name;email;phone;street;zip;city;country_code;is_company",
        "1;José Bakker;;0470 12 34 56;Veldstraat 3;9000;Gent;België;0",
        "2;Bakker, J.;;+32 470 12 34 56;;;Gent;BE;0",
        "3;Renée Smit;;;;;Gent;België;0",
    ]
    data = "\r\n".join(rows).encode("cp1252") + b"\r\n"
    result, pairs = run(tmp_path, data=data)
    assert result.returncode == 0, result.stderr
    assert "3 contacts read" in result.stdout
    with pairs.open(encoding="utf-8") as output:
        found = {(row["id_a"], row["id_b"]): row["reasons"] for row in csv.DictReader(output)}
    assert list(found) == [("1", "2")]
    assert "same E.164 mobile" in found["1", "2"]


def test_repeated_id_names_both_lines(tmp_path):
    text = CONTACTS + "3,Piet Bakker,,,,,Edam,NL,0\n"
    result, _pairs = run(tmp_path, text)
    assert_one_line_error(result, "line 8", "id 3 was already used on line 4")


def test_empty_file_is_a_clear_error(tmp_path):
    result, _pairs = run(tmp_path, "")
    assert_one_line_error(result, "line 1", "empty")


def test_missing_input_file_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [str(DEDUPE), str(tmp_path / "nothing.csv"), str(tmp_path / "pairs.csv")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_one_line_error(result, "cannot read", "nothing.csv")


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path):
    text = CONTACTS + '7,"Piet Bakker,,,,,Edam,NL,0\n8,Anna Smit,,,,,Edam,NL,0\n'
    result, _pairs = run(tmp_path, text)
    assert_one_line_error(result, "line 8", "never closed")
