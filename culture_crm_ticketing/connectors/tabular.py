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
import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
from decimal import Decimal

from odoo.tools.translate import LazyTranslate

from .records import ConnectionFailure, TranslatedError

_lt = LazyTranslate(__name__)


class UnreadableValue(TranslatedError, ValueError):
    """A cell that does not read as what its column holds."""


class UnreadableFile(ConnectionFailure):
    """The file as a whole cannot be read (no header, a mapped column missing...): nothing
    of it is imported, and the message says what to fix."""


DELIMITERS = (";", ",", "\t")
DATE_FORMATS = tuple(
    f"{date} {time}".strip()
    for date in (
        "%d-%m-%Y",
        "%d/%m/%Y",
        "%d.%m.%Y",
        "%d-%m-%y",
        "%d/%m/%y",
        "%d.%m.%y",
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y%m%d",
    )
    for time in ("%H:%M:%S", "%H:%M", "")
)
TRUE_WORDS = {
    *("ja", "j", "yes", "y", "true", "waar", "1", "x", "akkoord", "oui", "wahr", "si"),
    *("opt-in", "optin", "aangevinkt", "checked", "aan", "on", "wel", "ingeschreven"),
    *("subscribed", "\u2713", "\u2714", "\u2611"),
}
FALSE_WORDS = {
    *("nee", "n", "no", "false", "onwaar", "0", "non", "nein", "falsch"),
    *("opt-out", "optout", "uit", "off", "niet", "geen", "uitgeschreven", "unsubscribed"),
    *("niet akkoord", "not checked", "\u2717", "\u2610"),
}
# Currency signs and codes around an amount, and the spaces (also non-breaking) in it.
_CURRENCY = re.compile(
    r"[€$£¥\s\u00a0\u202f]|(?<![A-Za-z])(?:(?i:euros?)|EUR|USD|GBP|CHF|DKK|SEK|NOK|PLN|CZK|US)(?![A-Za-z])"
)
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
FREE_WORDS = {"gratis", "free", "kostenlos", "gratuit", "vrijkaart", "nihil"}


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
        raise UnreadableFile(_lt("the file is empty"))
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    else:
        table = _read_csv(decode(content))
    return _split_header(table, is_header)


def _split_header(table, is_header):
    if not table:
        raise UnreadableFile(_lt("the file has no header row"))
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
    rows = [row for row in table[start + 1 :] if _row_key(row[1]) != header_key]
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
            _lt(
                "the file is not valid CSV near line %(line)s: %(error)s",
                line=reader.line_num,
                error=error,
            )
        ) from None
    return table


def _read_xlsx(content):
    try:
        import openpyxl  # only files that need it pay for the import
    except ImportError:  # pragma: no cover - openpyxl ships with Odoo
        raise UnreadableFile(_lt("reading XLSX files needs the Python package openpyxl")) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            _lt("the file is not a readable XLSX workbook (%(error)s)", error=error)
        ) from None
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
        raise UnreadableFile(_lt("the workbook's first sheet has no header row"))
    return table


# --- values -------------------------------------------------------------------------------
def parse_decimal(value) -> Decimal | None:
    """A money amount as Dutch (or English) exports write it; None when empty.

    Reads "27,50", "€ 1.234,56", "1,234.56", "12,50 EUR", "€ 12,-" (whole euros), a
    refund as "-12,50", "12,50-", "\u221212,50" or "(12,50)", Excel's text mark "'12,50",
    and "gratis"/"free" as 0."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise UnreadableValue(_lt("%(value)r is not an amount", value=value))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
        if not amount.is_finite():
            raise UnreadableValue(_lt("%(value)r is not an amount", value=value))
        return amount
    text = str(value).strip().lstrip("'").translate(_MINUS_SIGNS)
    if text.casefold() in FREE_WORDS:
        return Decimal(0)
    text = _CURRENCY.sub("", text)
    if text in ("", "-"):
        return None
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    text = re.sub(r"[.,][-=]{1,2}$", "", text)  # 12,- or 12,-- : whole euros
    if text.endswith("-") and not text.startswith("-"):  # 12,50- (bookkeeping refund)
        text = "-" + text[:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")  # 1.234,56
        else:
            text = text.replace(",", "")  # 1,234.56
    elif re.fullmatch(r"[-+]?\d{1,3}(,\d{3}){2,}", text):
        text = text.replace(",", "")  # 1,000,000
    elif "," in text:
        text = text.replace(",", ".")  # 27,50
    elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.234 (Dutch thousands)
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", text):
        raise UnreadableValue(_lt("%(value)r is not an amount", value=value))
    return Decimal(text)


def parse_datetime(value, tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """A date (and time) in the formats Dutch exports use, read as local time in ``tz``
    and returned in UTC; None when empty.

    Besides the numeric forms (``DATE_FORMATS``, ISO with an offset) it reads written
    months and weekdays in Dutch, English, German and French ("za 6 december 2026
    20:15 uur", "6 dec. 2026", "Sat, Dec 6, 2026"), times as "20.15", "20u15" or "8:15 PM", and
    Excel's serial day numbers (a date cell exported without its date format)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _excel_serial(value)
    else:
        parsed = _parse_date_text(str(value))
    if parsed is None:
        raise UnreadableValue(
            _lt("%(value)r is not a date (expected e.g. 31-12-2026 20:15)", value=value)
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(dt.UTC)


MONTHS = {
    **dict.fromkeys(("januari", "january", "janvier", "januar", "jan", "janv"), 1),
    **dict.fromkeys(("februari", "february", "fevrier", "februar", "feb", "febr", "fev"), 2),
    **dict.fromkeys(("maart", "march", "mars", "marz", "mrt", "mar", "maa"), 3),
    **dict.fromkeys(("april", "avril", "apr", "avr"), 4),
    **dict.fromkeys(("mei", "may", "mai"), 5),
    **dict.fromkeys(("juni", "june", "juin", "jun"), 6),
    **dict.fromkeys(("juli", "july", "juillet", "jul", "juil"), 7),
    **dict.fromkeys(("augustus", "august", "aout", "aug"), 8),
    **dict.fromkeys(("september", "septembre", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "octobre", "okt", "oct"), 10),
    **dict.fromkeys(("november", "novembre", "nov"), 11),
    **dict.fromkeys(("december", "decembre", "dezember", "dec", "dez"), 12),
}
_WEEKDAYS = (
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|mi|fr|sa|so|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mer|jeu|ven|sam|dim"
)
_WEEKDAY = re.compile(rf"^(?:{_WEEKDAYS})\.?,?\s+")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\.?[\s-]*([a-z]{3,9})\.?[\s,-]*(\d{2}|\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_TIME_WORDS = re.compile(r"(?<=\d)\s*(?:uur|u\.|h)\s*$|\b(?:om|at|um|a)\s+(?=\d)")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
# A 12-hour time at the end: "7:30 pm", "7.30PM", "7 p.m.", "12:05:09 am".
_TWELVE_HOUR = re.compile(
    r"\s*(?:at\s+)?(?<!\d)(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<half>[ap])\.?\s?m\.?$"
)


def _parse_date_text(text):
    text = " ".join(text.split())
    text = re.sub(r"(\d)T(\d)", r"\1 \2", text)
    if re.search(r"[+-]\d\d:?\d\d$|Z$", text):
        with contextlib.suppress(ValueError):  # not ISO after all: try the Dutch forms
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    if _SERIAL.fullmatch(text):
        return _excel_serial(float(text.replace(",", ".")))
    text = _month_as_number(_without_accents(text).lower())
    text = _twenty_four_hour(text)
    text = _TIME_WORDS.sub("", text).strip().replace(",", " ")
    text = re.sub(r"(?<= )(\d{1,2})[.uh](\d{2})$", r"\1:\2", " ".join(text.split()))
    text = re.sub(r"(:\d\d)[.,]\d+$", r"\1", text)  # fractions of a second
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format)
        except ValueError:
            continue
    return None


def _twenty_four_hour(text):
    """ "6-12-2026 7:30 pm" -> "6-12-2026 19:30"; unchanged without am/pm, or with an
    hour a 12-hour clock does not have (then the date is refused as unreadable)."""
    found = _TWELVE_HOUR.search(text)
    if not found:
        return text
    hour = int(found.group("hour"))
    if not 1 <= hour <= 12:
        return text
    hour = hour % 12 + (12 if found.group("half") == "p" else 0)
    clock = f"{hour:02d}:{found.group('minute') or '00'}"
    if found.group("second"):
        clock += f":{found.group('second')}"
    return f"{text[: found.start()]} {clock}".strip()


def _month_as_number(text):
    """ "za 6 dec. 2026 20:15" -> "6-12-2026 20:15"; unchanged when no month is written."""
    text = _WEEKDAY.sub("", text)
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        found = pattern.match(text)
        if found and found.group(month_group) in MONTHS:
            day, month = found.group(day_group), MONTHS[found.group(month_group)]
            return f"{day}-{month}-{found.group(3)}{text[found.end() :]}"
    return text


def _without_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _excel_serial(number):
    """Excel's day number (46000 is 9 Dec 2025) as a datetime; None outside 1955-2119, where
    a number is no date a box office exports."""
    if not 20000 <= number <= 80000:
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=number)).replace(microsecond=0)


def parse_bool(value) -> bool | None:
    """ja/nee, yes/no, true/false, 1/0, x, opt-in/opt-out, and answers that start with
    one of those ("Ja, graag", "Nee, liever niet"); None for a value that says neither
    (empty, or "misschien")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = " ".join(str(value or "").split()).lower().rstrip(".!")
    for candidate in (text, re.split(r"[\s,;:.!()/-]+", text, maxsplit=1)[0]):
        if candidate in TRUE_WORDS:
            return True
        if candidate in FALSE_WORDS:
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
