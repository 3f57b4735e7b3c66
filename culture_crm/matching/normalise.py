# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Normalisation of Dutch, Belgian and German contact data, and the match keys built on it.

Pure functions: no Odoo, no database. The CRM stores their results as indexed match keys;
``./setup/dedupe`` and the benchmarks call them directly. Every function accepts whatever a
person might have typed (``None``, ``False``, stray spaces) and never raises on bad input:
it returns ``None`` (or the stripped original, for display values) instead.
"""

import re
import unicodedata
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "NL"

# --- text folding ---------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Letters that NFKD does not decompose but people type as their ASCII cousins: the
# German sharp s, the Danish and Norwegian o and ae, the Polish l, the Turkish dotless i
# (U+0131, which systems without it write as a plain i: 'Yilmaz'), the Croatian d.
_FOLD_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "\u0131": "i",
        "đ": "d",
        "Đ": "D",
    }
)


def fold(text):
    """Return ``text`` lower-cased with diacritics removed ('Müller' -> 'muller').

    Apostrophes of every kind become ASCII "'", so "'t" and "\u2019t" compare equal.
    """
    if not text:
        return ""
    text = str(text).translate(_APOSTROPHES).translate(_FOLD_EXTRA)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def _text(raw):
    """The stripped string form of a field value; Odoo's False and None become ''."""
    if raw is None or raw is False:
        return ""
    return str(raw).strip()


# --- phone numbers --------------------------------------------------------------------------

# Labels and remarks people put around a number ("tel. 020-1234567 (werk)"). Letters left in
# would be read by libphonenumber as a vanity number (W=9, E=3...), so they must go.
_PHONE_REMARK = re.compile(r"\([^)]*[^\d\s)][^)]*\)|\[[^\]]*\]")
_PHONE_EXTENSION = re.compile(
    r"(?:ext|extension|toestel|tst|post|x)\.?\s*:?\s*\d{1,6}\s*$", re.IGNORECASE
)
_PHONE_LETTERS = re.compile(r"[^\W\d_]+\.?:?")


def _clean_phone(raw):
    text = _text(raw)
    if not text:
        return ""
    text = _PHONE_REMARK.sub(" ", text)
    text = _PHONE_EXTENSION.sub("", text)
    text = _PHONE_LETTERS.sub(" ", text)
    return text.strip()


# Countries whose numbers the fast path reads itself; libphonenumber's full parser (about
# four times slower) handles everything else. Both give the same answer: the fast path
# only strips the written form to digits and checks them against libphonenumber's own
# metadata patterns.
_FAST_COUNTRIES = {31: "NL", 32: "BE", 49: "DE"}
_FAST_REGION_CODES = {region: code for code, region in _FAST_COUNTRIES.items()}
_TYPE_DESCS = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
_VALIDATORS = {}
_NON_DIGITS = re.compile(r"\D")


def _validator(region):
    """(general pattern, [(possible lengths, pattern)]) from libphonenumber's metadata."""
    validator = _VALIDATORS.get(region)
    if validator is None:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
        general = re.compile(metadata.general_desc.national_number_pattern)
        types = []
        for name in _TYPE_DESCS:
            desc = getattr(metadata, name, None)
            if desc is None or desc.national_number_pattern is None:
                continue
            lengths = set(desc.possible_length or metadata.general_desc.possible_length)
            types.append((lengths, re.compile(desc.national_number_pattern)))
        validator = _VALIDATORS[region] = (general, types)
    return validator


def _fast_e164(text, region):
    """E.164 of a valid Dutch, Belgian or German number, else None (ask libphonenumber)."""
    trunk_written = "(0)" in text
    text = text.replace("(0)", "")
    digits = _NON_DIGITS.sub("", text)
    start = text.lstrip(" ([")[:1]
    if start == "+" or digits.startswith("00"):
        digits = digits[2:] if start != "+" else digits
        code = int(digits[:2]) if len(digits) > 2 else 0
        if code not in _FAST_COUNTRIES:
            return None
        # '+31 06...': the trunk 0 written after the country code is dropped.
        national = digits[2:]
        if national.startswith("0") and not trunk_written:
            national = national[1:]
    else:
        code = _FAST_REGION_CODES.get(region)
        if code is None:
            return None
        national = digits[1:] if digits.startswith("0") else digits
    general, types = _validator(_FAST_COUNTRIES[code])
    if not general.fullmatch(national):
        return None
    length = len(national)
    for lengths, pattern in types:
        if length in lengths and pattern.fullmatch(national):
            return f"+{code}{national}"
    return None


# A number written the national way that is no number in its own region is read in the
# neighbour's: the Dutch visitors of a Flemish hall type '06 12345678', which is no
# Belgian number. (The other way round cannot be told: a Belgian '0475 12 34 56' is also
# a valid number in Roermond.)
_NEIGHBOUR_REGIONS = {"NL": "BE", "BE": "NL"}


@lru_cache(maxsize=65536)
def _parse_phone(text, region):
    number = _parse_valid(text, region)
    if number is None and region in _NEIGHBOUR_REGIONS:
        international = text.lstrip(" ([").startswith(("+", "00"))
        if not international:
            number = _parse_valid(text, _NEIGHBOUR_REGIONS[region])
    return number


def _parse_valid(text, region):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return number


# Country names that exports write where a code belongs ('Nederland', 'Belgique').
_COUNTRY_NAMES = {
    "NL": "nederland|netherlands|the netherlands|holland|pays-bas|niederlande",
    "BE": "belgie|belgium|belgique|belgien",
    "DE": "duitsland|germany|deutschland|allemagne",
    "LU": "luxemburg|luxembourg",
    "FR": "frankrijk|france",
    "GB": "verenigd koninkrijk|united kingdom|great britain|engeland|england",
}
_COUNTRY_CODES = {name: code for code, names in _COUNTRY_NAMES.items() for name in names.split("|")}


def region_code(raw):
    """Return the ISO country code a contact's numbers and postcode are read in: a code
    as given ('nl' -> 'NL'), a country's name in Dutch, French, German or English
    ('België', 'Nederland') as its code, and the Netherlands for anything else."""
    text = fold(_text(raw)).strip(" .")
    if len(text) == 2 and text.isalpha():
        return "GB" if text == "uk" else text.upper()
    return _COUNTRY_CODES.get(text, DEFAULT_REGION)


def _phone(raw, region):
    text = _clean_phone(raw)
    if not text or sum(ch.isdigit() for ch in text) < 6:
        return None
    return _parse_phone(text, region_code(region))


def phone_e164(raw, region=DEFAULT_REGION):
    """Return the E.164 form of a phone number ('+31612345678'), or None.

    ``region`` is the ISO 3166 alpha-2 code used for numbers written without a country
    code ('NL', 'BE', 'DE'); an empty region means the Netherlands. Written forms such as
    '06-12345678', '+31 (0)6 1234 5678', '0031 6 12345678', '0470 12 34 56' (with 'BE')
    and '+49 30 123456' are understood, as are labels and remarks around the number
    ('tel. 020-1234567 (werk)'). Extensions are dropped. Returns None when the text is not
    a valid number for its country.
    """
    text = _clean_phone(raw)
    if not text or sum(ch.isdigit() for ch in text) < 6:
        return None
    region = region_code(region)
    fast = _fast_e164(text, region)
    if fast is not None:
        return fast
    number = _parse_phone(text, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Between two numbers in one field: '020-1234567 / 06-12345678', '..., ...', '... of ...'.
# A slash without spaces separates only when a whole number follows ('0477/12.34.56' is
# one Belgian number, and is read whole before any splitting).
_PHONE_SEPARATOR = re.compile(
    r"\s*[,;|&]\s*|\s+/\s+|\s+(?:of|en|or|and|ou|et)\s+|/(?=\s*(?:\+|00|0[1-9][\d .-]{7,}))",
    re.IGNORECASE,
)


def phone_numbers(raw, region=DEFAULT_REGION):
    """Return the E.164 numbers in a phone field, as a tuple: one for a field that
    holds one number, each for a field that holds several ('020-1234567 / 06-12345678',
    '06 12345678 of 020 1234567'), none for what holds no valid number."""
    whole = phone_e164(raw, region)
    if whole:
        return (whole,)
    parts = _PHONE_SEPARATOR.split(_text(raw))
    if len(parts) < 2:
        return ()
    numbers = (phone_e164(part, region) for part in parts)
    return tuple(dict.fromkeys(number for number in numbers if number))


def phone_international(raw, region=DEFAULT_REGION):
    """Return a phone number in international display form ('+31 6 12345678'), or None.

    Parses as :func:`phone_e164` does; None when the number is not valid.
    """
    number = _phone(raw, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- e-mail ---------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[a-z]{2,}")


# Typing errors of an address typed at a desk, each repaired only where it leaves one
# plain address: spaces around the '@' or the dots, and a comma for the last dot.
_EMAIL_LOOSE_SPACES = re.compile(r"\s*([@.])\s*")
_EMAIL_COMMA_TLD = re.compile(r"(@[^@\s,]+),([a-z]{2,6})$", re.IGNORECASE)
_EMAIL_WHOLE = re.compile(_EMAIL.pattern, re.IGNORECASE)


def repair_email(raw):
    """The address a typing error hides, or None when there is none to repair: 'jan @
    ziggo.nl' and 'jan@ziggo .nl' -> 'jan@ziggo.nl', 'jan@hotmail,com' ->
    'jan@hotmail.com'. Case is kept. An address that reads as it is, or text that holds
    more than one address, is not touched (None)."""
    text = _text(raw)
    if not text or _EMAIL_WHOLE.fullmatch(text) or text.count("@") != 1:
        return None
    repaired = _EMAIL_COMMA_TLD.sub(r"\1.\2", _EMAIL_LOOSE_SPACES.sub(r"\1", text))
    return repaired if _EMAIL_WHOLE.fullmatch(repaired) else None


def normalise_email(raw):
    """Return the e-mail address trimmed and lower-cased, or None if it is not an address.

    'Jan.Jansen@Example.NL ' -> 'jan.jansen@example.nl'. A display form
    ('Jan <jan@example.nl>') or a 'mailto:' link yields the bare address, and a typing
    error ``repair_email`` knows is repaired. Lower-casing the local part is, strictly,
    not allowed by RFC 5321, but no mail provider in use distinguishes case, and a
    contact database that does would keep duplicates apart.
    """
    text = (repair_email(raw) or _text(raw)).lower()
    if not text:
        return None
    if text.startswith("mailto:"):
        text = text[7:]
    found = _EMAIL.search(text)
    if not found:
        return None
    address = found.group(0).strip(".")
    local, _, domain = address.rpartition("@")
    if not local or ".." in address or domain.startswith("."):
        return None
    return address


_MAILBOX_NOISE = re.compile(r"\+.*$|[._-]")


def mailbox_handle(local):
    """An e-mail local part without its '+tag', dots, dashes and underscores: the part
    people keep when they write their address another way ('Jan.Smit+tickets' ->
    'jansmit')."""
    return _MAILBOX_NOISE.sub("", local or "")


# --- postcodes and house numbers ------------------------------------------------------------

_NL_POSTCODE = re.compile(r"^(?:NL[\s-]*)?([1-9]\d{3})\s*([A-Z]{2})$")
_BE_POSTCODE = re.compile(r"^(?:B|BE)?[\s-]*([1-9]\d{3})$")
_DE_POSTCODE = re.compile(r"^(?:D|DE)?[\s-]*(\d{5})$")


def format_postcode(raw, country_code=None):
    """Return the postcode in its national display form, or the stripped original.

    NL: '1234ab', '1234  AB', 'NL-1234 AB' -> '1234 AB'. BE: 'B-1000' -> '1000'.
    DE: 'D-10115' -> '10115'. Any other country, or text that does not parse, comes back
    stripped but otherwise as typed, so nothing a user entered is lost.
    """
    text = _text(raw)
    country = _text(country_code).upper()
    upper = text.upper()
    if country in ("NL", ""):
        found = _NL_POSTCODE.match(upper)
        if found:
            return f"{found.group(1)} {found.group(2)}"
        if not country:
            return text
    if country == "BE":
        found = _BE_POSTCODE.match(upper)
        if found:
            return found.group(1)
    if country == "DE":
        found = _DE_POSTCODE.match(upper)
        if found:
            return found.group(1)
    return text


# 'B-2000', 'NL-1234 AB', 'D-10115': the country written before the postcode.
_POSTCODE_COUNTRY = re.compile(r"^(NL|BE|B|DE|D|LU|L|FR|F)\s*-\s*(?=\d)", re.IGNORECASE)
_POSTCODE_COUNTRIES = {"B": "BE", "D": "DE", "L": "LU", "F": "FR"}


def postcode_key(raw, country_code=None):
    """Return a compact postcode for matching ('1234 ab' -> '1234AB'), or None when empty.

    Spaces, dashes and a country prefix are removed and letters upper-cased, so every
    written form of one postcode yields one key. A country prefix ('B-2000') outranks
    ``country_code``: a Belgian address on a contact without a country is still Belgian.
    """
    text = _text(raw)
    prefix = _POSTCODE_COUNTRY.match(text)
    if prefix:
        code = prefix.group(1).upper()
        country_code = _POSTCODE_COUNTRIES.get(code, code)
        text = text[prefix.end() :]
    formatted = format_postcode(text, country_code)
    key = re.sub(r"[^0-9A-Z]", "", formatted.upper())
    return key or None


# "12", "12a", "12-A", "12 bis", "7hs", "7-1", "7 II", "12 bus 3", "12/3", "12 b3"
_HOUSE_NUMBER = re.compile(
    r"""(?<![\w/-])(\d{1,5})                                      # the number
    (?:\s*[-/]?\s*(bis|ter|huis|hs|bg|[ivx]{1,4}(?![a-z])|[a-z]{1,2}(?![a-z]))
       |\s*[-/]\s*(\d{1,4}))?
    (?:\s*[,-]?\s*(?:bus|bte|box|b)\.?\s*(\w{1,4}))?             # Belgian box number
    [\s,.]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_HOUSE_NUMBER_ANYWHERE = re.compile(r"(?<![\w/-])(\d{1,5})(?![\d])\s*([a-z]{1,2}(?![a-z]))?", re.I)
_ADDITION_ALIASES = {"HUIS": "HS"}


@lru_cache(maxsize=65536)
def house_number(street):
    """Return the house number with its addition, compact and upper-case, or None.

    'Kerkstraat 12-A' -> '12A', 'Dorpsweg 12 bis' -> '12BIS', 'Lange Voorhout 7hs' ->
    '7HS', 'Kerkstraat 7-1' -> '7-1', 'Meir 12 bus 3' -> '12-3'. The number is the last
    one in the street line, so '2e Hugo de Grootstraat 5' gives '5'.
    """
    text = _text(street)
    if not text:
        return None
    found = _HOUSE_NUMBER.search(text)
    if not found:
        found = _HOUSE_NUMBER_ANYWHERE.search(text)
        if not found:
            return None
        number, addition, box = found.group(1), found.group(2), None
    else:
        number, letters, digits, box = found.groups()
        addition = letters or digits
    number = number.lstrip("0") or "0"
    result = number
    if addition:
        addition = addition.upper()
        addition = _ADDITION_ALIASES.get(addition, addition)
        result += f"-{addition}" if addition.isdigit() else addition
    if box:
        result += f"-{box.upper()}"
    return result


def house_number_base(street):
    """Return only the digits of the house number ('12-A' -> '12'), or None."""
    number = house_number(street)
    if not number:
        return None
    return re.match(r"\d+", number).group(0)


# --- personal names -------------------------------------------------------------------------

# Dutch and Flemish tussenvoegsels, plus the French and German particles that Belgian and
# German names carry. Multi-word ones ("van der") are runs of these tokens.
_PARTICLES = frozenset(
    """van der den de het te ter ten 't in op uit uijt aan bij onder over voor tot
    vd vd. v.d. v.d v/d vdr v. v vanden vander vande van't
    la le les du des del della di da dos das d' l' von zu vom zum dem am
    """.split()
)
# Joined Flemish spellings ('Vandenberghe' = 'Van den Berghe'); stripped only from a
# surname long enough that what remains is still a name.
_JOINED_PARTICLES = ("vanden", "vander", "vande", "van")
_TITLES = frozenset(
    """dhr dhr. mr mr. mevr mevr. mw mw. mevrouw meneer dr dr. drs drs. ir ir. ing ing.
    prof prof. bc bc. ds ds. mgr mgr. fam fam. familie msc ma ba bsc phd llm mba
    jr jr. sr sr. jun jun. sen sen. mrs mrs. ms ms. mme mme. mlle
    """.split()
)
_TITLE_PHRASES = re.compile(r"^\s*(?:de heer|den heer|de familie|dhr\. en mevr\.)\s", re.I)
_INITIALS = re.compile(
    r"^(?:[a-z]\.-?){1,6}[a-z]?\.?$|^[a-z]$|^(?:[a-z]\.)?[a-z]{2}\.$|^[a-z]\.?-[a-z]\.?$"
)
_JOINER_HYPHEN = re.compile(
    r"\s*-\s*(?=(?:van|de|den|der|ter|ten|te|in|op|uit|'t)\b)|(?<=\w)\s+-\s+"
)
_NAME_NOISE = re.compile(r"[^\w\s'./-]")
_PAREN = re.compile(r"\(([^)]*)\)")


_GLUED_PARTICLE = re.compile(r"^((?:[a-z]\.)+)(v\.\s?d\.?|v/d|vd\.?|v\.)$")
_VOWELS = frozenset("aeiouy")
# Token kinds: a plain word, initials, or a surname written in capitals ('PEETERS Jan').
WORD, INITIALS, CAPS_SURNAME = "", "I", "S"


def _name_tokens(name):
    """Split a personal name into folded tokens, with '-' tokens where a hyphen joins
    two surnames. Returns (tokens, kinds, call_name): kinds marks initials written in
    capitals ('JP') and surnames written in capitals ('PEETERS Jan'); call_name is the
    part in parentheses ('Johannes (Hans) Smit')."""
    text = _text(name).translate(_APOSTROPHES)
    call_name = ""
    found = _PAREN.search(text)
    if found:
        call_name = fold(found.group(1)).strip()
        text = _PAREN.sub(" ", text)
    text = _TITLE_PHRASES.sub(" ", text + " ")
    text = _JOINER_HYPHEN.sub(" - ", text)
    raw_tokens = _NAME_NOISE.sub(" ", text).split()
    # 'J.P.de Vries' and 'J.v.d. Berg' glue initials to the next word or particle.
    split_tokens = []
    for token in raw_tokens:
        for part in re.split(r"(?<=\.)(?=[A-Za-z]{2,}[^.]*$)", token):
            glued = _GLUED_PARTICLE.match(part.lower())
            if (
                glued
                and len(glued.group(1)) >= 2
                and not _is_capital_v(part[len(glued.group(1)) :])
            ):
                split_tokens.extend((part[: len(glued.group(1))], glued.group(2)))
            elif part:
                split_tokens.append(part)
    mixed_case = any(t[:1].isupper() and not t.isupper() for t in split_tokens)
    tokens, kinds = [], []
    for token in split_tokens:
        folded = fold(token)
        if folded.rstrip(".") in _TITLES or folded in _TITLES:
            continue
        if folded == "t" and tokens and tokens[-1] in ("in", "van", "op", "aan", "uit"):
            folded = "'t"
        kind = WORD
        if _is_capital_v(token) and (mixed_case or not tokens):
            # 'V. Klerks', 'Klerks V.': a capital V is Vera's initial; 'van' is 'v.'.
            kind = INITIALS
        elif mixed_case and token.isalpha() and token.isupper() and not _is_particle(folded):
            if len(token) == 2 or (len(token) == 3 and not _VOWELS & set(folded)):
                kind = INITIALS
                folded = "".join(f"{letter}." for letter in folded)
            elif len(token) >= 2:
                kind = CAPS_SURNAME
        tokens.append(folded)
        kinds.append(kind)
    return tokens, kinds, call_name


def _is_particle(token):
    return token in _PARTICLES or token == "'t"


def _is_capital_v(token):
    """True for 'V.' or 'V' as written: an initial, where 'v.' abbreviates 'van'."""
    return token in ("V.", "V")


def _is_name_particle(token, kind):
    """A particle where the token's kind allows one (a capital 'V.' is an initial)."""
    return kind != INITIALS and _is_particle(token)


def _is_initials(token, kind=WORD):
    if kind == INITIALS:
        return True
    if _is_particle(token):
        return False
    return bool(_INITIALS.match(token))


def _strip_joined_particle(word):
    for particle in _JOINED_PARTICLES:
        if word.startswith(particle) and len(word) - len(particle) >= 4:
            return word[len(particle) :]
    return word


def _surname_words(tokens):
    """The surname proper: particles removed, one word per part of a double surname."""
    words, current = [], []
    for token in tokens:
        if token == "-" or "-" in token:
            pieces = token.split("-") if token != "-" else ["", ""]
            if pieces[0]:
                current.append(pieces[0])
            for piece in pieces[1:]:
                words.append(current)
                current = [piece] if piece else []
            continue
        current.append(token)
    words.append(current)
    result = []
    for part in words:
        kept = [t.strip(".'") for t in part if not _is_particle(t) and t.strip(".'")]
        if not kept and part:
            kept = [part[-1].strip(".'")]
        if kept:
            result.append(_strip_joined_particle("".join(kept)))
    return [w for w in result if w]


# 'Jan de Vries', 'Anne-Marie van der Berg': the common shape, read without the full parser.
_SIMPLE_NAME = re.compile(
    r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?) "
    r"((?:(?:van|de|den|der|het|ter|ten|te|in|op|uit) )*)"
    r"([A-Z][a-z]+)"
)


@lru_cache(maxsize=65536)
def parse_person_name(name):
    """Split a Dutch or Flemish personal name into (given names, initials, particles, surname).

    Understands 'Jan van der Berg', 'Berg, Jan van der', 'van der Berg, J.', 'J. vd Berg',
    'Van Den Berg J.', 'J.W. (Jan) de Vries', 'Marieke Jansen-de Vries' and the Belgian
    'PEETERS Jan'. Returns a tuple of folded strings: given names ('jan', or '' when only
    initials are known), initials ('JW'), particles ('van der'), surname key ('berg';
    the parts of a double surname joined with '-': 'jansen-vries').
    """
    simple = _SIMPLE_NAME.fullmatch(name)
    if simple and not _is_particle(simple.group(1).lower()):
        given, particles, surname = simple.groups()
        initials = "".join(part[0] for part in given.split("-"))
        surname = _strip_joined_particle(surname.lower())
        return (given.lower(), initials, particles.strip(), surname)
    tokens, kinds, call_name = _name_tokens(name)
    if not tokens:
        return ("", "", "", "")
    if "," in name:
        given, particles, surname = _parse_comma_name(name)
    else:
        given, particles, surname = _parse_plain_name(tokens, kinds)
    given_names = [t for t in given if not _is_initials(t) and len(t.strip(".-")) > 1]
    initials = "".join(
        piece[0].upper()
        for t in given
        for piece in t.replace(".", " ").replace("-", " ").split()
        if piece[0].isalpha()
    )
    given_text = " ".join(t.strip(".") for t in given_names)
    if _is_call_name(call_name, initials):
        given_text = call_name
        initials = initials or call_name[0].upper()
    surname_text = "-".join(_surname_words(surname))
    particle_text = " ".join(_expand_particle(p) for p in particles)
    return (given_text, initials, particle_text, surname_text)


# Dutch and Flemish call names and the formal names they stand for. Registered names are
# Latin (Johannes, Cornelis); people are known by the short form.
_NICKNAME_GROUPS = [
    "johannes jan hans johan joop jo han hannes jean john sjaak",
    "cornelis kees cor cees niels",
    "petrus pieter piet peter pierre",
    "wilhelmus willem wim willy pim wil",
    "hendrikus hendrik henk rik henri harry hein",
    "gerardus gerard gert ger gerrit",
    "jacobus jacob jaap koos co sjaak",
    "adrianus adriaan adrie ad arie janus",
    "antonius anton toon ton teun antoon",
    "franciscus frans fons frank",
    "josephus jozef jos joep sjef joseph",
    "theodorus theo ted dorus",
    "bernardus bernard ben bernd",
    "albertus albert bert",
    "nicolaas klaas niek nico",
    "martinus maarten martin tinus",
    "lambertus bert lambert",
    "ludovicus lodewijk lode louis ludo",
    "alphonsus alfons fons",
    "maria mieke marie ria mia marijke mies maaike marieke",
    "geertruida truus trudy geertje truida",
    "johanna joke hanna hanneke jans jannie",
    "catharina toos tineke ina trijntje catrien katrien karin",
    "elisabeth els lies liesbeth betty elise bep beppie lisa",
    "cornelia corrie nel neeltje",
    "hendrika riek rika henny",
    "jacoba coby jacqueline",
    "petronella nel nelly pietje",
    "wilhelmina mien wilma willemien",
    "margaretha margriet greet grietje marga",
    "christina stien christien tineke",
    "alida aaltje alie",
]
NICKNAMES = {}
FORMAL_INITIALS = {}  # call name -> initials of the formal names it stands for
for _group in _NICKNAME_GROUPS:
    _names = _group.split()
    for _name in _names:
        NICKNAMES.setdefault(_name, set()).update(_names)
        FORMAL_INITIALS.setdefault(_name, set()).add(_names[0][0].upper())


def _is_call_name(text, initials):
    """True when the word in parentheses is the name the person goes by ('J.H.M.
    (Hans) van Rooij', 'Smit, Johannes (Hans)'), not a remark ('Jan Smit
    (penningmeester)'): one word that starts with one of the initials, or a call name of
    a formal name that does ('Hans' for Johannes)."""
    if not text or not initials or " " in text or _INITIALS.match(text):
        return False
    letters = {text[0].upper()} | FORMAL_INITIALS.get(text.split("-")[0], set())
    return bool(letters & set(initials))


# 'v.d.' stands for 'van de', 'van den' or 'van der': 'van d.' keeps that open.
_PARTICLE_ABBREVIATIONS = {
    "vd": "van d.",
    "vd.": "van d.",
    "v.d.": "van d.",
    "v.d": "van d.",
    "v/d": "van d.",
    "vdr": "van der",
    "v.": "van",
    "v": "van",
}


def _expand_particle(token):
    return _PARTICLE_ABBREVIATIONS.get(token, token)


def _parse_comma_name(text):
    """'Berg, Jan van der' / 'van der Berg, J.' / 'Berg van der, J.'"""
    left, _, right = text.partition(",")
    left_tokens, _, _ = _name_tokens(left)
    right_tokens, right_kinds, _ = _name_tokens(right.replace(",", " "))
    if right_tokens in (["v."], ["v"]):
        right_kinds = [INITIALS]  # 'Klerks, V.': a lone 'v.' is an initial
    leading, trailing = [], []
    while len(left_tokens) > 1 and _is_particle(left_tokens[0]):
        leading.append(left_tokens.pop(0))
    while len(left_tokens) > 1 and _is_particle(left_tokens[-1]):
        trailing.insert(0, left_tokens.pop())
    tail = []
    while right_tokens and _is_name_particle(right_tokens[-1], right_kinds[len(right_tokens) - 1]):
        tail.insert(0, right_tokens.pop())
    return right_tokens, leading + trailing + tail, left_tokens


def _parse_plain_name(tokens, kinds):
    """'Jan van der Berg' / 'J. vd Berg' / 'Van Den Berg J.' / 'Jansen J.P.' / 'PEETERS Jan'"""
    tokens, kinds = list(tokens), list(kinds)
    words = [
        k for t, k in zip(tokens, kinds, strict=True) if not _is_name_particle(t, k) and t != "-"
    ]
    if CAPS_SURNAME in words and any(k == WORD for k in words):
        return _parse_caps_surname(tokens, kinds)
    if len(tokens) > 1 and tokens[-1] in ("v", "v."):
        kinds[-1] = INITIALS  # 'Kamper V.': no name ends in 'van'
    trailing_initials = []
    while len(tokens) > 1 and _is_initials(tokens[-1], kinds[-1]) and tokens[-1] != "-":
        trailing_initials.insert(0, tokens.pop())
        kinds.pop()
    n = len(tokens)
    start = None
    if "-" in tokens:
        start = max(tokens.index("-") - 1, 0)
        while start > 0 and _is_particle(tokens[start - 1]):
            start -= 1
    else:
        for i, token in enumerate(tokens):
            if _is_name_particle(token, kinds[i]) and any(
                not _is_particle(t) and not _is_initials(t, k)
                for t, k in zip(tokens[i + 1 :], kinds[i + 1 :], strict=True)
            ):
                start = i
                break
    if start is None:
        start = 0 if trailing_initials else n - 1
        # 'J. P. Jansen': leading initials are never the surname.
        while start < n - 1 and _is_initials(tokens[start], kinds[start]):
            start += 1
    given = tokens[:start] + trailing_initials
    surname = tokens[start:]
    if start == 0 and not trailing_initials and _is_name_particle(tokens[0], kinds[0]):
        # A name that opens with its tussenvoegsel has the surname first ('De Smet Luc',
        # 'Van den Broeck Marie-Thérèse'): the words after the surname's first word are
        # given names, unless another particle shows a longer surname. With initials
        # at the end, those are the given names ('Van Haspengouw Hesbaye J.').
        word = next(i for i, t in enumerate(tokens) if not _is_particle(t))
        rest = tokens[word + 1 :]
        if rest and not any(_is_particle(t) or t == "-" for t in rest):
            given, surname = rest, tokens[: word + 1]
    return given, [t for t in surname if _is_particle(t)], surname


def _parse_caps_surname(tokens, kinds):
    """'PEETERS Jan', 'Jan VAN DEN BERGHE': the capitals are the surname."""
    first = kinds.index(CAPS_SURNAME)
    last = len(kinds) - 1 - kinds[::-1].index(CAPS_SURNAME)
    while first > 0 and _is_particle(tokens[first - 1]):
        first -= 1
    surname = tokens[first : last + 1]
    given = tokens[:first] + tokens[last + 1 :]
    return given, [t for t in surname if _is_particle(t)], surname


_MALE_TITLES = re.compile(r"^\s*(?:dhr\b|de heer\b|heer\b|meneer\b)", re.I)
_FEMALE_TITLES = re.compile(
    r"^\s*(?:mevr\b|mevrouw\b|mw\b|mevr\.|mej\b|mejuffrouw\b|mme\b|mrs\b)", re.I
)


# A given name or initials as written after the comma of 'Vries, Jan de': 'Jan',
# 'Anne-Marie', 'J.', 'J.P.', '(Hans)'. A word in lower case ('afd.') is no given name.
_GIVEN_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'.](?=[^\W\d_]))*\.?|\([^\W\d_]+\)")
# Words that make 'X, Y' an organisation's name rather than 'Surname, Given' (beside the
# legal forms, below).
_ORGANISATION_WORDS = frozenset(
    """gemeente provincie school basisschool college universiteit hogeschool afdeling afd
    theater theatre schouwburg museum bibliotheek stadsschouwburg orkest koor ministerie
    """.split()
)


def display_person_name(name):
    """A person's name as a contact shows it: 'Vries, Jan de' -> 'Jan de Vries', 'van
    der Berg, J.' -> 'J. van der Berg', 'Berg van der, J.P.' -> 'J.P. van der Berg'.

    Only 'Surname, Given' is turned round, and only where the part after the comma is
    given names or initials (capitals, dots, a call name in parentheses) and neither
    part names an organisation; anything else is returned as it is ('Gemeente Utrecht,
    afd. Cultuur', 'Bakker, Jansen & Co').
    """
    text = _text(name)
    left, comma, right = text.partition(",")
    if not comma or "," in right or any(ch.isdigit() for ch in text):
        return text
    surname, given = left.split(), right.split()
    if not surname or not given or len(surname) > 4:
        return text
    words = {fold(word).strip(".") for word in surname + given}
    if words & _ORGANISATION_WORDS or words & _LEGAL_FORMS:
        return text
    particles = []
    while len(surname) > 1 and _is_particle(fold(surname[-1])):
        particles.insert(0, surname.pop())  # 'Berg van der'
    while given and _is_particle(fold(given[-1])):
        particles.insert(0, given.pop())  # 'Jan de'
    if not given or len(given) > 4:
        return text
    for word in given:
        if not _GIVEN_WORD.fullmatch(word) or not word.lstrip("(")[0].isupper():
            return text
    return " ".join([*given, *particles, *surname])


def title_gender(name):
    """Return 'm' for a name that starts with 'Dhr.'/'de heer', 'f' for 'Mevr.'/'Mw.',
    else None. 'Dhr. J. Jansen' and 'Mevr. J. Jansen' are two people."""
    text = _text(name)
    if _MALE_TITLES.match(text):
        return "m"
    if _FEMALE_TITLES.match(text):
        return "f"
    return None


def surname_key(name):
    """Return the matching key of a personal surname: particles off, diacritics folded.

    'Jan van der Berg', 'Berg, Jan van der', 'J. vd Berg' and 'Van Den Berg J.' all give
    'berg'; 'Müller' gives 'muller'; the Flemish 'Vandenberghe' gives 'berghe', as does
    'Van den Berghe'. A double surname keeps both parts: 'Jansen-de Vries' ->
    'jansen-vries'. Empty string when the name holds no surname.
    """
    return parse_person_name(_text(name))[3]


def given_name_and_initials(name):
    """Return (given names, initials) of a personal name, e.g. ('jan willem', 'JW').

    Given names are folded (lower-case, no diacritics) and empty when the name has only
    initials ('J.W. de Vries' -> ('', 'JW')). A call name in parentheses wins:
    'J.W. (Jan) de Vries' -> ('jan', 'JW').
    """
    given, initials, _particles, _surname = parse_person_name(_text(name))
    return given, initials


# --- Dutch sound-alike key ------------------------------------------------------------------

_PHONETIC_RULES = [
    (re.compile(r"sch$"), "s"),  # Bosch / Bos
    (re.compile(r"sch"), "sg"),
    (re.compile(r"eij|eiy|ij|ei|ey|y"), "y"),  # Meijer / Meyer / Meier, Heijden / Heyden
    (re.compile(r"ph"), "f"),
    (re.compile(r"ch"), "g"),
    (re.compile(r"ck|c(?=[aoukl])|q"), "k"),  # Claasen / Klaasen
    (re.compile(r"c"), "s"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dt$|d$"), "t"),  # Smid / Smit, Brandt / Brant
    (re.compile(r"v"), "f"),
    (re.compile(r"z"), "s"),
    (re.compile(r"ae|aa"), "a"),  # Claessen / Klaasen
    (re.compile(r"ou|au"), "au"),
    (re.compile(r"uy|ui"), "ui"),
    (re.compile(r"(?<=[^aeiou])h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),  # Janssen / Jansen
    (re.compile(r"[^a-z]"), ""),
]


@lru_cache(maxsize=200_000)
def sound_key(word):
    """Return a Dutch sound-alike key: 'Janssen' and 'Jansen', 'Meijer' and 'Meyer',
    'Bosch' and 'Bos', 'Smid' and 'Smit' share one. Input is a folded word."""
    key = word or ""
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key


# --- organisations --------------------------------------------------------------------------

_LEGAL_FORMS = frozenset(
    """stichting st stg sticht vereniging ver vzw ivzw asbl aisbl bv nv vof cv cvba cvoa bvba
    sprl srl sa scrl commv comm v ua wa ba io coop cooperatie cooperatieve gmbh ag ev kg ohg
    ltd llc inc plc co holding
    """.split()
)
_ARTICLES = frozenset("de het 't t een the le la les l' l".split())
# Words a name is as often written without: 'Koninklijke Harmonie' is 'Harmonie', and
# 'Rabobank Utrecht e.o.' (en omstreken) is 'Rabobank Utrecht'.
_ORG_OPTIONAL_WORDS = frozenset("koninklijke kon eo".split())
# How schools write their kind: 'OBS De Regenboog' is 'Openbare Basisschool De Regenboog'.
_ORG_EXPANSIONS = {
    "obs": "openbare basisschool",
    "cbs": "christelijke basisschool",
    "pcbs": "protestants christelijke basisschool",
    "rkbs": "rooms katholieke basisschool",
    "kbs": "katholieke basisschool",
    "bs": "basisschool",
    "sbo": "speciaal basisonderwijs",
    "roc": "regionaal opleidingencentrum",
}
_ORG_ABBREVIATION = re.compile(r"\b((?:[a-z]\.){2,}[a-z]?)(?=\s|$|[,)])")
_ORG_NOISE = re.compile(r"[^\w']+")


def organisation_key(name):
    """Return the matching key of an organisation name: legal forms and articles off.

    'Stichting Het Concertgebouw', 'Het Concertgebouw N.V.' and 'concertgebouw' all give
    'concertgebouw'; 'St. Vrienden van de Opera' and 'Vrienden van de Opera (stg.)' give
    'vrienden van opera'. Removed: legal forms (Stichting, St., Stg., B.V., N.V., V.O.F.,
    Vereniging, vzw, asbl, Coöperatie U.A., GmbH...), articles ('de', 'het', "'t"),
    'Koninklijke', 'e.o.', punctuation and diacritics. '&' reads as 'en'; 'St.' inside a
    name is 'Sint'; school kinds are written out ('OBS' is 'openbare basisschool'). Words
    are joined with one space.
    """
    text = fold(_text(name)).replace("&", " en ").replace("+", " en ")
    if not text:
        return ""
    text = _ORG_ABBREVIATION.sub(lambda m: m.group(1).replace(".", ""), text)
    tokens = [t.strip("'") if t != "'t" else t for t in _ORG_NOISE.split(text.replace(".", " "))]
    tokens = [t for t in tokens if t and t not in _ORG_OPTIONAL_WORDS]
    # 'St.' opening or closing the name is Stichting; inside it, a saint ('Harmonie St.
    # Caecilia' is 'Harmonie Sint-Caecilia').
    tokens = ["sint" if t == "st" and 0 < i < len(tokens) - 1 else t for i, t in enumerate(tokens)]
    tokens = [word for t in tokens for word in _ORG_EXPANSIONS.get(t, t).split()]
    kept = [t for t in tokens if t and t not in _LEGAL_FORMS and t not in _ARTICLES]
    if not kept:
        kept = [t for t in tokens if t and t not in _ARTICLES] or [t for t in tokens if t]
    return " ".join(kept)


# --- cities ---------------------------------------------------------------------------------

_CITY_ALIASES = {
    "'s-gravenhage": "den haag",
    "s-gravenhage": "den haag",
    "the hague": "den haag",
    "'s-hertogenbosch": "den bosch",
    "s-hertogenbosch": "den bosch",
    "bruxelles": "brussel",
    "brussels": "brussel",
    "anvers": "antwerpen",
    "gand": "gent",
    "liege": "luik",
    "mons": "bergen",
    "louvain": "leuven",
    "malines": "mechelen",
    "bruges": "brugge",
}


def city_key(city):
    """Return a folded city name for matching; "'s-Gravenhage" and 'Den Haag' agree."""
    text = re.sub(r"\s+", " ", fold(_text(city))).strip(" ,.")
    text = re.sub(r"\s*\((?:nl|nb|zh|nh|ut|gld|ov|dr|fr|gr|li|ze|fl)\)$", "", text)
    return _CITY_ALIASES.get(text, text)


# --- all keys at once ----------------------------------------------------------------------


def match_keys(contact):
    """Return every match key of one contact, computed once.

    ``contact`` is a mapping with any of: name, email, phone, mobile, street, zip, city,
    country_code, is_company. The result holds:

    - ``phones``: tuple of distinct E.164 numbers of phone and mobile;
    - ``email_key``: normalised e-mail, or None;
    - ``postcode_number_key``: 'postcode|house number' ('1234AB|12'), or None;
    - ``house_number``: full house number with addition ('12A'), or None;
    - ``surname_key`` and ``surname_city_key`` ('berg|amsterdam'), persons only;
    - ``surname_sound_city_key`` ('brk|amsterdam'): the engine's own blocking key, the
      sound-alike surname (see :func:`sound_key`) with the city, so that 'Janssen' and
      'Jansen' in one city meet (one per part of a double surname, joined with ' ');
    - ``given_name`` and ``initials``, persons only;
    - ``organisation_key``, companies only;
    - ``city_key``.
    Keys that do not apply are None (strings) or empty.
    """
    region = region_code(contact.get("country_code"))
    phones = []
    for field in ("phone", "mobile"):
        phones.extend(phone_numbers(contact.get(field), region))
    phones = list(dict.fromkeys(phones))
    postcode = postcode_key(contact.get("zip"), region)
    number = house_number(contact.get("street"))
    base = re.match(r"\d+", number).group(0) if number else None
    city = city_key(contact.get("city")) or None
    name = _text(contact.get("name"))
    keys = {
        "phones": tuple(phones),
        "email_key": normalise_email(contact.get("email")),
        "postcode_number_key": f"{postcode}|{base}" if postcode and base else None,
        "house_number": number,
        "city_key": city,
        "surname_key": None,
        "surname_city_key": None,
        "surname_sound_city_key": None,
        "given_name": None,
        "initials": None,
        "organisation_key": None,
    }
    if contact.get("is_company") and contact.get("is_company") not in ("0", "false", "False"):
        keys["organisation_key"] = organisation_key(name) or None
    else:
        given, initials, _particles, surname = parse_person_name(name)
        keys["surname_key"] = surname or None
        keys["given_name"] = given or None
        keys["initials"] = initials or None
        if surname and city:
            keys["surname_city_key"] = f"{surname}|{city}"
            keys["surname_sound_city_key"] = " ".join(
                f"{sound_key(part)}|{city}" for part in surname.split("-")
            )
    return keys
