# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``./setup/dedupe CONTACTS.csv PAIRS.csv``: the CRM's duplicate engine on a CSV export.

No Odoo and no database: ``setup/dedupe`` puts ``culture_crm/`` on the path and calls
:func:`main`. Same engine, same default thresholds as the CRM (``DEFAULT_THRESHOLDS``).

Input columns: id, name, email, phone, street, zip, city, country_code, is_company
(mobile, birth_year and parent_id are read when present; other columns are ignored),
separated by ',', or by ';' or a tab as the header line shows; UTF-8, or Windows-1252 as
Excel saves it.
Output columns: id_a, id_b, score, reasons, for the pairs at or above "likely".
A malformed file ends in one line naming the line at fault, and exit code 2.
"""

import argparse
import csv
import itertools
import os
import sys
import time

from .engine import DEFAULT_THRESHOLDS, MatchEngine, Thresholds

REQUIRED_COLUMNS = (
    "id",
    "name",
    "email",
    "phone",
    "street",
    "zip",
    "city",
    "country_code",
    "is_company",
)
OPTIONAL_COLUMNS = ("mobile", "birth_year", "parent_id")
EXIT_BAD_INPUT = 2


class InputError(Exception):
    """A problem with the input that the user must fix; its text is the whole message."""


def _decoded_lines(binary, path):
    """Yield the file's lines as text: UTF-8, or Windows-1252 (what Excel on a Dutch or
    Belgian Windows saves as 'CSV') when the file is not UTF-8. A file that is neither, or
    that mixes the two, fails on the first line that does not fit."""
    encoding = "utf-8"
    utf8_seen = False  # a line with UTF-8 beyond ASCII: then the file is UTF-8
    for number, raw in enumerate(binary, start=1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError as error:
            # cp1252 leaves five bytes undefined: 'replace' marks them, and a file
            # holding them is refused below.
            line = raw.decode("cp1252", errors="replace")
            if not utf8_seen and encoding == "utf-8" and "\ufffd" not in line:
                encoding = "cp1252"
            else:
                raise InputError(
                    f"{path}: line {number}: not UTF-8 (byte 0x{raw[error.start]:02x} at "
                    f"column {error.start + 1}); save the file as UTF-8 and try again"
                ) from None
        if encoding == "utf-8" and not raw.isascii():
            utf8_seen = True
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield line


def _with_delimiter(lines):
    """(delimiter, lines): ';' or a tab when the header line uses it rather than ',' (a
    Dutch Excel saves CSV with ';')."""
    first = next(lines, None)
    if first is None:
        return ",", iter(())
    delimiter = max((",", ";", "\t"), key=first.count)
    if not first.count(delimiter):
        delimiter = ","
    return delimiter, itertools.chain([first], lines)


def _identifier(text):
    text = text.strip()
    return int(text) if text.isdigit() else text


def _rows(reader, path):
    """Yield (line number where the row starts, row); a quoting error names that line."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            detail = str(error)
            if "unexpected end of data" in detail:
                detail = "a quote opened here is never closed"
            raise InputError(f"{path}: line {start}: bad quoting ({detail})") from None
        yield start, row


def read_contacts(binary, path):
    """Yield one dict per contact row of a CSV opened in binary mode; raise InputError."""
    delimiter, lines = _with_delimiter(_decoded_lines(binary, path))
    rows = _rows(csv.reader(lines, delimiter=delimiter, strict=True), path)
    _line, header = next(rows, (1, None))
    if not header:
        raise InputError(f"{path}: line 1: the file is empty; expected a header line")
    header = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise InputError(
            f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (the header must name {', '.join(REQUIRED_COLUMNS)})"
        )
    wanted = [
        (column, header.index(column))
        for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
        if column in header
    ]
    width = len(header)
    seen = {}
    for line, row in rows:
        if not row:
            continue  # a blank line
        if len(row) != width:
            raise InputError(
                f"{path}: line {line}: {len(row)} fields where the header has {width}; "
                "check the separators and quotes on that line"
            )
        contact = {column: row[position] for column, position in wanted}
        identifier = _identifier(contact["id"])
        if identifier == "":
            raise InputError(f"{path}: line {line}: the id is empty")
        if identifier in seen:
            raise InputError(
                f"{path}: line {line}: id {identifier} was already used on line {seen[identifier]}"
            )
        seen[identifier] = line
        contact["id"] = identifier
        yield contact


def _parser():
    parser = argparse.ArgumentParser(
        prog="./setup/dedupe",
        description="Find duplicate contacts in a CSV export with the Culture CRM engine.",
    )
    parser.add_argument("contacts", help="CSV with id,name,email,phone,street,zip,city,...")
    parser.add_argument("pairs", help="CSV to write: id_a,id_b,score,reasons")
    parser.add_argument(
        "--likely",
        type=int,
        default=DEFAULT_THRESHOLDS.likely,
        help=f"lowest score written (default {DEFAULT_THRESHOLDS.likely}, as in the CRM)",
    )
    parser.add_argument(
        "--certain",
        type=int,
        default=DEFAULT_THRESHOLDS.certain,
        help=f"score from which a pair counts as certain (default {DEFAULT_THRESHOLDS.certain})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=min(os.cpu_count() or 1, 4),
        help="processes that parse the contacts (default: the CPU count, at most 4)",
    )
    return parser


def _say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main(argv=None):
    """Run the command line; return its exit code."""
    args = _parser().parse_args(argv)
    try:
        thresholds = Thresholds(likely=args.likely, certain=args.certain)
    except ValueError as error:
        sys.stderr.write(f"dedupe: {error}\n")
        return EXIT_BAD_INPUT
    started = time.perf_counter()
    engine = MatchEngine(thresholds)
    try:
        with open(args.contacts, "rb") as binary:
            index = engine.build_index(read_contacts(binary, args.contacts), args.workers)
    except InputError as error:
        sys.stderr.write(f"dedupe: {error}\n")
        return EXIT_BAD_INPUT
    except OSError as error:
        sys.stderr.write(f"dedupe: cannot read {args.contacts}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    read = time.perf_counter()
    pairs = certain = 0
    try:
        with open(args.pairs, "w", newline="", encoding="utf-8") as output:
            writer = csv.writer(output)
            writer.writerow(["id_a", "id_b", "score", "reasons"])
            for match in engine.find_pairs(None, index=index):
                writer.writerow([match.id_a, match.id_b, match.score, match.reason_text])
                pairs += 1
                certain += match.level == "certain"
    except OSError as error:
        sys.stderr.write(f"dedupe: cannot write {args.pairs}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    done = time.perf_counter()
    _say(f"{len(index)} contacts read from {args.contacts}")
    _say(
        f"{pairs} pairs at or above {thresholds.likely} ({certain} certain, "
        f"{thresholds.certain}+) written to {args.pairs}"
    )
    _say(
        f"time: {done - started:.1f} s (reading and parsing {read - started:.1f} s, "
        f"matching {done - read:.1f} s)"
    )
    return 0
