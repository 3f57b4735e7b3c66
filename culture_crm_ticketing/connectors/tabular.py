"""Reading spreadsheet exports as Dutch box offices make them.

``read_table(content, filename)`` turns the bytes of a CSV or XLSX file into its header
row and its data rows (with their row numbers as a spreadsheet shows them), whatever the
file's shape:

- XLSX (by name or by its zip signature): the first sheet, header = first non-empty row;
- CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or Windows-1252
  (Excel's classic Dutch "CSV (gescheiden door lijstscheidingsteken)");
- delimiter ``;`` (Dutch Excel), ``,`` or tab, detected from the header line.

The value parsers read what such files hold: ``parse_decimal`` ("27,50", "€ 1.234,56",
"1,234.56", XLSX numbers), ``parse_datetime`` (dd-mm-yyyy, dd/mm/yyyy hh:mm, dd.mm.yyyy,
ISO, XLSX dates; local time of ``tz`` -> UTC) and ``parse_bool`` (ja/nee, yes/no, 1/0...).
Each raises ``ValueError`` with a message fit for a sync issue.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

from .records import ConnectionFailure


class UnreadableFile(ConnectionFailure):
    """The file as a whole cannot be read (no header, a mapped column missing...): nothing
    of it is imported, and the message says what to fix."""


DELIMITERS = (";", ",", "\t")
DATE_FORMATS = (
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%y %H:%M",
    "%d-%m-%y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "akkoord", "oui", "wahr"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", "non", "nein", "falsch"}
_CURRENCY = re.compile(r"[€$£\s]|EUR|eur|\u00a0")


# --- reading the file ---------------------------------------------------------------------
# A header row is looked for among this many first non-empty rows (report titles, export
# dates and filter lines come above it in some systems' exports).
HEADER_SEARCH_ROWS = 30


def read_table(content: bytes, filename: str | None = None, is_header=None):
    """Return ``(headers, rows)``: the header cells (stripped strings) and a list of
    ``(row number, [cell, ...])`` for each non-empty data row.

    ``is_header(cells)`` tells the header row from lines above it (a report title, the
    export date...): the first of the first ``HEADER_SEARCH_ROWS`` non-empty rows it
    accepts is the header, and the rows above it are not data. Without it, or when no row
    is accepted, the first non-empty row is the header. A row that repeats the header
    (exports glued together, a header on every printed page) is not data either."""
    if not content:
        raise UnreadableFile("the file is empty")
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    else:
        table = _read_csv(decode(content))
    return _split_header(table, is_header)


def _split_header(table, is_header):
    if not table:
        raise UnreadableFile("the file has no header row")
    start = 0
    if is_header is not None:
        start = next(
            (
                index
                for index, (_number, cells) in enumerate(table[:HEADER_SEARCH_ROWS])
                if is_header([str(cell).strip() for cell in cells])
            ),
            0,
        )
    headers = [str(cell).strip() for cell in table[start][1]]
    header_key = _row_key(headers)
    rows = [(number, cells) for number, cells in table[start + 1 :] if _row_key(cells) != header_key]
    return headers, rows


def _row_key(cells):
    key = [str(cell).strip().casefold() for cell in cells]
    while key and not key[-1]:
        key.pop()
    return key


def decode(content: bytes) -> str:
    """Text of a CSV file: BOMs first, then UTF-16 without a BOM (every other byte
    zero), then UTF-8, then Windows-1252 (which decodes anything, so it goes last)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    sample = content[:2000]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        odd_zeros = sample[1::2].count(0)
        encoding = "utf-16-le" if odd_zeros >= sample[0::2].count(0) else "utf-16-be"
        return content.decode(encoding, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter of ``; , tab`` that a line of the file's start has most of, outside
    quotes: the header line has the most, even below a title line, and a header like
    "Prijs, incl. btw" in quotes must not decide it."""
    counts = dict.fromkeys(DELIMITERS, 0)
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        unquoted = re.sub(r'"[^"]*"', "", line)
        for delimiter in DELIMITERS:
            counts[delimiter] = max(counts[delimiter], unquoted.count(delimiter))
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


_SEPARATOR_HINT = re.compile(r'^"?sep=(.)"?\r?\n', re.IGNORECASE)


def _read_csv(text):
    # Excel writes (and reads) a first line "sep=;" naming the delimiter.
    # Excel hides that line: the row numbers it shows start below it.
    hint = _SEPARATOR_HINT.match(text)
    if hint:
        delimiter, text = hint.group(1), text[hint.end() :]
    else:
        delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        # Numbered as a spreadsheet numbers rows (a quoted line break stays in its row).
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                table.append((number, cells))
    except csv.Error as error:
        raise UnreadableFile(
            f"the file is not valid CSV near line {reader.line_num}: {error}"
        ) from None
    return table


def _read_xlsx(content):
    try:
        import openpyxl  # only files that need it pay for the import
    except ImportError:  # pragma: no cover - openpyxl ships with Odoo
        raise UnreadableFile("reading XLSX files needs the Python package openpyxl") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"the file is not a readable XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if value is None else value for value in values]
            if any(str(cell).strip() for cell in cells):
                table.append((number, cells))
    finally:
        workbook.close()
    if not table:
        raise UnreadableFile("the workbook's first sheet has no header row")
    return table


# --- values -------------------------------------------------------------------------------
def parse_decimal(value) -> Decimal | None:
    """A money amount as Dutch (or English) exports write it; None when empty."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _CURRENCY.sub("", str(value))
    if text in ("", "-"):
        return None
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")  # 1.234,56
        else:
            text = text.replace(",", "")  # 1,234.56
    elif "," in text:
        text = text.replace(",", ".")  # 27,50
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.234 (Dutch thousands)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None


def parse_datetime(value, tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """A date (and time) in the formats Dutch exports use, read as local time in ``tz``
    and returned in UTC; None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        text = " ".join(str(value).replace("T", " ").split())
        parsed = None
        if re.search(r"[+-]\d\d:?\d\d$|Z$", text):
            try:
                parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
            except ValueError:
                parsed = None
        for date_format in DATE_FORMATS if parsed is None else ():
            try:
                parsed = dt.datetime.strptime(text, date_format)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(f"{value!r} is not a date (expected e.g. 31-12-2026 20:15)")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(dt.UTC)


def parse_bool(value) -> bool | None:
    """ja/nee, yes/no, true/false, 1/0, x; None for a value that says neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = str(value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def cell_text(value) -> str | None:
    """A cell as stripped text (XLSX numbers without a trailing .0); None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    text = str(value).strip()
    return text or None
