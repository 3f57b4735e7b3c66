# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Normalisation and match keys of the pure-Python matching core (no database needed)."""

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat

from ..matching.normalise import (
    city_key,
    display_person_name,
    format_postcode,
    given_name_and_initials,
    house_number,
    match_keys,
    normalise_email,
    organisation_key,
    phone_e164,
    phone_international,
    phone_numbers,
    postcode_key,
    repair_email,
    surname_key,
)

# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        # the Netherlands
        ("06-12345678", "NL", "+31612345678"),
        ("06 12 34 56 78", "NL", "+31612345678"),
        ("0612345678", "NL", "+31612345678"),
        ("+31 (0)6 1234 5678", "NL", "+31612345678"),
        ("+31(0)6-12345678", "BE", "+31612345678"),
        ("0031 6 12345678", "NL", "+31612345678"),
        ("0031612345678", "DE", "+31612345678"),
        ("+31612345678", "NL", "+31612345678"),
        ("020-1234567", "NL", "+31201234567"),
        ("(020) 123 45 67", "NL", "+31201234567"),
        ("0570-612345", "NL", "+31570612345"),
        ("tel. 020 123 4567 (werk)", "NL", "+31201234567"),
        ("020-1234567 toestel 12", "NL", "+31201234567"),
        # Belgium
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0470/12.34.56", "BE", "+32470123456"),
        ("+32 (0)470 12 34 56", "NL", "+32470123456"),
        ("0032 2 512 34 56", "NL", "+3225123456"),
        ("02 512 34 56", "BE", "+3225123456"),
        ("09/233.44.55", "BE", "+3292334455"),
        # Germany
        ("+49 30 123456", "NL", "+4930123456"),
        ("030 1234567", "DE", "+49301234567"),
        ("+49 (0)30 1234567", "BE", "+49301234567"),
        ("0049 171 1234567", "NL", "+491711234567"),
        ("0171 1234567", "DE", "+491711234567"),
        # A Dutch visitor of a Flemish hall: no Belgian number, so a Dutch one.
        ("06-12345678", "BE", "+31612345678"),
        ("020 123 45 67", "BE", "+31201234567"),
        # ... but a number valid where it is read stays there.
        ("0475 12 34 56", "NL", "+31475123456"),
        ("09/233.44.55", "NL", "+3292334455"),
    ],
)
def test_phone_e164_reads_dutch_belgian_and_german_forms(raw, region, expected):
    assert phone_e164(raw, region) == expected


def test_a_number_valid_in_neither_neighbour_is_none():
    assert phone_e164("0612345", "BE") is None
    assert phone_e164("+32 6 12345678", "BE") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020-1234567 / 06-12345678", ("+31201234567", "+31612345678")),
        ("020-1234567/06-12345678", ("+31201234567", "+31612345678")),
        ("06 12345678 of 020 1234567", ("+31612345678", "+31201234567")),
        ("tel 020-1234567, fax 020-7654321", ("+31201234567", "+31207654321")),
        ("06-12345678 / 06 12 34 56 78", ("+31612345678",)),
        ("020/1234567", ("+31201234567",)),
        ("020-123", ()),
    ],
)
def test_phone_numbers_reads_every_number_in_one_field(raw, expected):
    """Exports often hold home and mobile in one field; both must still match."""
    assert phone_numbers(raw, "NL") == expected


def test_phone_numbers_keeps_a_belgian_number_with_a_slash_whole():
    assert phone_numbers("0477/12.34.56", "BE") == ("+32477123456",)


@pytest.mark.parametrize("raw", [None, False, "", "  ", "geen", "0612", "06-1234", "123", "n.v.t."])
def test_phone_e164_is_none_for_what_is_not_a_number(raw):
    assert phone_e164(raw, "NL") is None


def test_phone_e164_without_region_reads_dutch_numbers():
    assert phone_e164("06-12345678", None) == "+31612345678"
    assert phone_e164("06-12345678", "") == "+31612345678"


@pytest.mark.parametrize(
    "raw",
    [
        "+31 06 12345678",
        "+31 (0)06 12345678",
        "0031 (0)20 1234567",
        "+49 0 30 1234567",
        "31201234567",
        "+32 0470 12 34 56",
        "+3161234567",
        "06123456789",
        "0800-1234",
        "0900-1234567",
        "085-1234567",
        "+31 97012345678",
        "+44 20 7946 0958",
        "+1 212 555 0100",
        "0032 470 12 34 5",
    ],
)
@pytest.mark.parametrize("region", ["NL", "BE", "DE"])
def test_phone_e164_agrees_with_libphonenumber_on_odd_forms(raw, region):
    # The fast path for NL/BE/DE must give libphonenumber's own answer: in the region,
    # else, for a number written without country code, in the neighbour's (NL, BE).
    def libphonenumber(region):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    expected = libphonenumber(region)
    if expected is None and region in ("NL", "BE") and not raw.startswith(("+", "00")):
        expected = libphonenumber({"NL": "BE", "BE": "NL"}[region])
    assert phone_e164(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("06-12345678", "NL", "+31 6 12345678"),
        ("0031 20 1234567", "NL", "+31 20 123 4567"),
        ("0470 12 34 56", "BE", "+32 470 12 34 56"),
        ("030 1234567", "DE", "+49 30 1234567"),
    ],
)
def test_phone_international_gives_the_display_form(raw, region, expected):
    assert phone_international(raw, region) == expected


def test_phone_international_is_none_when_unparsable():
    assert phone_international("bel me", "NL") is None


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Jan.Jansen@Example.NL ", "jan.jansen@example.nl"),
        ("J.deVries@Gmail.com", "j.devries@gmail.com"),
        ("Jan Jansen <jan@jansen.nl>", "jan@jansen.nl"),
        ("mailto:Info@Theater.be", "info@theater.be"),
        ("piet+tickets@xs4all.nl", "piet+tickets@xs4all.nl"),
        # Typed at the desk: spaces around the '@' or a dot, a comma for the last dot.
        ("jan @ziggo.nl", "jan@ziggo.nl"),
        ("Jan@ ziggo .nl", "jan@ziggo.nl"),
        ("anna@hotmail,com", "anna@hotmail.com"),
    ],
)
def test_normalise_email_trims_and_lower_cases(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw", [None, False, "", "geen", "jan@", "@example.nl", "jan@example", "a..b@x.nl"]
)
def test_normalise_email_is_none_for_what_is_not_an_address(raw):
    assert normalise_email(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jan @ Ziggo.nl", "Jan@Ziggo.nl"),  # case kept: it is what the contact shows
        ("anna@hotmail,com", "anna@hotmail.com"),
        ("jan@x.co,uk", "jan@x.co.uk"),
        ("jan@ziggo.nl", None),  # nothing to repair
        ("jan@x.nl, piet@y.nl", None),  # two addresses: not one typing error
        ("Jan de Vries <jan@x.nl>", None),
        ("jan@@x.nl", None),
        ("geen", None),
    ],
)
def test_repair_email_mends_only_a_typing_error_that_leaves_one_address(raw, expected):
    assert repair_email(raw) == expected


# --- postcodes and house numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("1234ab", "NL", "1234 AB"),
        ("1234  ab", "NL", "1234 AB"),
        ("NL-1234 AB", "NL", "1234 AB"),
        (" 1234 AB ", "NL", "1234 AB"),
        ("1234ab", None, "1234 AB"),
        ("B-1000", "BE", "1000"),
        ("9000", "BE", "9000"),
        ("D-10115", "DE", "10115"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
    ],
)
def test_format_postcode_gives_the_national_form(raw, country, expected):
    assert format_postcode(raw, country) == expected


def test_format_postcode_keeps_what_it_cannot_read():
    assert format_postcode(" 12345 ", "NL") == "12345"
    assert format_postcode("onbekend", "NL") == "onbekend"


def test_postcode_key_is_one_compact_form_for_all_written_forms():
    assert {postcode_key(z, "NL") for z in ("1234ab", "1234 AB", "NL-1234 ab")} == {"1234AB"}
    assert postcode_key("B-1000", "BE") == "1000"
    assert postcode_key("", "NL") is None


@pytest.mark.parametrize("region", ["NL", "BE", ""])
def test_postcode_key_takes_the_country_written_before_the_postcode(region):
    """'B-2000' on a contact without a country (the Netherlands by default) is still
    Antwerp, and meets '2000' on a Belgian contact."""
    assert postcode_key("B-2000", region) == postcode_key("2000", "BE") == "2000"
    assert postcode_key("NL-1234 ab", region) == "1234AB"


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("Kerkstraat 12", "12"),
        ("Kerkstraat 12-A", "12A"),
        ("Kerkstraat 12a", "12A"),
        ("Kerkstraat 12 a", "12A"),
        ("Dorpsweg 12 bis", "12BIS"),
        ("Lange Voorhout 7hs", "7HS"),
        ("Lange Voorhout 7 huis", "7HS"),
        ("Kerkstraat 7-1", "7-1"),
        ("Kerkstraat 7 II", "7II"),
        ("Meir 12 bus 3", "12-3"),
        ("Rue Neuve 12 bte 4", "12-4"),
        ("2e Hugo de Grootstraat 5", "5"),
        ("Plein 1944 12", "12"),
        ("Hauptstraße 5a", "5A"),
    ],
)
def test_house_number_takes_number_and_addition(street, expected):
    assert house_number(street) == expected


@pytest.mark.parametrize("street", [None, False, "", "Markt"])
def test_house_number_is_none_without_a_number(street):
    assert house_number(street) is None


# --- personal names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Jan van der Berg",
        "Berg, Jan van der",
        "J. vd Berg",
        "J. v.d. Berg",
        "J.v.d. Berg",
        "Van Den Berg J.",
        "van der Berg, J.",
        "Berg van der, J.",
        "Dhr. J. van der Berg",
        "de heer J. van der Berg",
        "VAN DER BERG Jan",
        "jan van der berg",
        "Jan van den Berg",
        "Mw. drs. A.M. van de Berg",
    ],
)
def test_surname_key_of_van_der_berg_forms_is_berg(name):
    assert surname_key(name) == "berg"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anne in 't Veld", "veld"),
        ("A. in t Veld", "veld"),
        ("Pieter van 't Hof", "hof"),
        ("Jan ter Horst", "horst"),
        ("Jan ten Cate", "cate"),
        ("Joost Op de Beeck", "beeck"),
        ("Kees uit den Bogaard", "bogaard"),
        ("Bram v. Dijk", "dijk"),
        ("Karel De Smet", "smet"),
        ("Luc Van den Berghe", "berghe"),
        ("Luc Vandenberghe", "berghe"),
        ("PEETERS Jan", "peeters"),
        ("Jürgen Müller", "muller"),
        ("Müller, Jürgen", "muller"),
        ("José García", "garcia"),
        ("Ahmet Y\u0131lmaz", "yilmaz"),
        ("Emre KILIÇ", "kilic"),
        ("Zbigniew Łukasik", "lukasik"),
        ("Ivana Đurić", "duric"),
        ("Freek de Jonge", "jonge"),
        ("Marieke Jansen-de Vries", "jansen-vries"),
        ("Marieke de Vries-van Dam", "vries-dam"),
        ("Ir. P.J. (Piet) van Oosten jr.", "oosten"),
        ("de Vries", "vries"),
        ("Jansen", "jansen"),
    ],
)
def test_surname_key_of_real_world_name_forms(name, expected):
    assert surname_key(name) == expected


def test_surname_key_keeps_names_that_merely_start_like_a_particle():
    assert surname_key("Sophie Dekker") == "dekker"
    assert surname_key("Tom Vanes") == "vanes"
    assert surname_key("Iris Terpstra") == "terpstra"


def test_surname_key_is_empty_for_an_empty_name():
    assert surname_key("") == ""
    assert surname_key(None) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jan van der Berg", ("jan", "J")),
        ("Berg, Jan van der", ("jan", "J")),
        ("J.W. de Vries", ("", "JW")),
        ("JW de Vries", ("", "JW")),
        ("J.W. (Jan) de Vries", ("jan", "JW")),
        ("Jan-Willem de Vries", ("jan-willem", "JW")),
        ("Van Den Berg J.", ("", "J")),
        ("Jansen J.P.", ("", "JP")),
        ("José García", ("jose", "J")),
        ("Anna Maria Jansen", ("anna maria", "AM")),
        ("PEETERS Jan", ("jan", "J")),
    ],
)
def test_given_name_and_initials(name, expected):
    assert given_name_and_initials(name) == expected


@pytest.mark.parametrize(
    ("name", "initials", "surname"),
    [
        ("Mevr. V. Klerks", "V", "klerks"),
        ("Klerks, V.", "V", "klerks"),
        ("Kamper V.", "V", "kamper"),
        ("J.V. Klerks", "JV", "klerks"),
        ("J.W.V. de Vries", "JWV", "vries"),
        ("Jong, V. de", "V", "jong"),
    ],
)
def test_a_capital_v_is_an_initial_not_van(name, initials, surname):
    """Vera, Vincent and Veerle are written 'V.'; only 'v.' abbreviates 'van'."""
    assert given_name_and_initials(name) == ("", initials)
    assert surname_key(name) == surname


@pytest.mark.parametrize(
    ("name", "given", "surname"),
    [
        ("De Smet Luc", "luc", "smet"),
        ("Van Den Broeck Marie-Thérèse", "marie-therese", "broeck"),
        ("van der Berg Jan", "jan", "berg"),
        ("In 't Veld Els", "els", "veld"),
        ("De Jong", "", "jong"),
    ],
)
def test_a_name_that_opens_with_its_tussenvoegsel_has_the_surname_first(name, given, surname):
    assert given_name_and_initials(name)[0] == given
    assert surname_key(name) == surname


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("J.H.M. (Hans) van Rooij", "hans"),
        ("Smit, Johannes (Hans)", "hans"),
        ("C. (Kees) de Boer", "kees"),
        ("Jan van den Berg (penningmeester)", "jan"),
        ("J. van den Berg (voorzitter)", ""),
    ],
)
def test_a_call_name_in_parentheses_but_not_a_remark(name, given):
    assert given_name_and_initials(name)[0] == given


@pytest.mark.parametrize("name", ["J. v. Dijk", "Dijk, J. v.", "J.v.d. Dijk", "Jan v Dijk"])
def test_a_small_v_before_the_surname_is_still_van(name):
    assert given_name_and_initials(name)[1] == "J"
    assert surname_key(name) == "dijk"


# --- organisations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Stichting Het Concertgebouw",
        "Concertgebouw N.V.",
        "Het Concertgebouw",
        "St. Concertgebouw",
        "Stg. Het Concertgebouw",
        "CONCERTGEBOUW B.V.",
        "'t Concertgebouw BV",
    ],
)
def test_organisation_key_strips_legal_forms_and_articles(name):
    assert organisation_key(name) == "concertgebouw"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Vereniging Vrienden van de Opera", "vrienden van opera"),
        ("Vrienden van de Opera (stg.)", "vrienden van opera"),
        ("Vzw De Vooruit", "vooruit"),
        ("De Vooruit vzw", "vooruit"),
        ("Théâtre de la Monnaie asbl", "theatre monnaie"),
        ("Coöperatie Podiumkunst U.A.", "podiumkunst"),
        ("V.O.F. Bakkerij de Graaf", "bakkerij graaf"),
        ("Jansen & Zn. B.V.", "jansen en zn"),
        ("Muziekgebouw aan 't IJ", "muziekgebouw aan ij"),
        ("Koninklijke Harmonie St. Caecilia", "harmonie sint caecilia"),
        ("Harmonie Sint-Caecilia", "harmonie sint caecilia"),
        ("OBS De Regenboog", "openbare basisschool regenboog"),
        ("Openbare Basisschool De Regenboog", "openbare basisschool regenboog"),
        ("RKBS Sint Jozef", "rooms katholieke basisschool sint jozef"),
        ("Rabobank Utrecht e.o.", "rabobank utrecht"),
    ],
)
def test_organisation_key_of_real_world_forms(name, expected):
    assert organisation_key(name) == expected


def test_organisation_key_keeps_a_name_that_is_only_a_legal_form():
    assert organisation_key("Stichting") == "stichting"


def test_city_key_knows_dutch_and_belgian_alternative_names():
    assert city_key("'s-Gravenhage") == city_key("Den Haag") == "den haag"
    assert city_key("Bruxelles") == city_key("Brussel")
    assert city_key(" AMSTERDAM ") == "amsterdam"


# --- all keys at once -----------------------------------------------------------------------


def test_match_keys_of_a_person():
    keys = match_keys(
        {
            "name": "Berg, Jan van der",
            "email": " J.vdBerg@Example.NL",
            "phone": "020-1234567",
            "mobile": "06-12345678",
            "street": "Kerkstraat 12a",
            "zip": "1234ab",
            "city": "Amsterdam",
            "country_code": "NL",
        }
    )
    assert keys["phones"] == ("+31201234567", "+31612345678")
    assert keys["email_key"] == "j.vdberg@example.nl"
    assert keys["postcode_number_key"] == "1234AB|12"
    assert keys["house_number"] == "12A"
    assert keys["surname_key"] == "berg"
    assert keys["surname_city_key"] == "berg|amsterdam"
    assert (keys["given_name"], keys["initials"]) == ("jan", "J")
    assert keys["organisation_key"] is None


def test_match_keys_sound_key_brings_spelling_variants_together():
    jansen = match_keys({"name": "Jan Jansen", "city": "Delft"})
    janssen = match_keys({"name": "J. Janssen", "city": "DELFT"})
    assert jansen["surname_sound_city_key"] == janssen["surname_sound_city_key"]
    assert jansen["surname_city_key"] != janssen["surname_city_key"]


@pytest.mark.parametrize(
    ("name_a", "name_b"),
    [
        ("Peter van der Heijden", "P. vd Heyden"),
        ("Jan Meijer", "Jan Meyer"),
        ("Els Reijnders", "Els Reynders"),
        ("Anna Kuijpers", "Anna Kuypers"),
    ],
)
def test_match_keys_sound_key_takes_ij_and_y_as_one_sound(name_a, name_b):
    a = match_keys({"name": name_a, "city": "Tilburg"})
    b = match_keys({"name": name_b, "city": "Tilburg"})
    assert a["surname_sound_city_key"] == b["surname_sound_city_key"]


def test_match_keys_reads_two_numbers_in_one_phone_field():
    keys = match_keys({"name": "Jan Jansen", "phone": "020-1234567 / 06-12345678"})
    assert keys["phones"] == ("+31201234567", "+31612345678")


def test_match_keys_of_an_organisation():
    keys = match_keys({"name": "Stichting Het Concertgebouw", "is_company": True, "city": "A'dam"})
    assert keys["organisation_key"] == "concertgebouw"
    assert keys["surname_key"] is None


def test_match_keys_uses_the_contact_country_for_phones():
    keys = match_keys({"name": "Luc Peeters", "phone": "0470 12 34 56", "country_code": "BE"})
    assert keys["phones"] == ("+32470123456",)


def test_match_keys_of_an_empty_contact_are_empty():
    keys = match_keys({})
    assert keys["phones"] == ()
    assert keys["email_key"] is None
    assert keys["postcode_number_key"] is None
    assert keys["surname_key"] is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Vries, Jan de", "Jan de Vries"),
        ("van der Berg, J.", "J. van der Berg"),
        ("Berg van der, J.P.", "J.P. van der Berg"),
        ("Peeters, Els", "Els Peeters"),
        ("De Smet, Luc", "Luc De Smet"),
        ("Jansen, Anne-Marie", "Anne-Marie Jansen"),
        ("Smit, Johannes (Hans)", "Johannes (Hans) Smit"),
        # Not a person's 'Surname, Given': as it is.
        ("Jan de Vries", "Jan de Vries"),
        ("Gemeente Utrecht, afd. Cultuur", "Gemeente Utrecht, afd. Cultuur"),
        ("Theater Rotterdam, Kassa", "Theater Rotterdam, Kassa"),
        ("Bakker, Jansen & Co", "Bakker, Jansen & Co"),
        ("Kerkstraat 12, Utrecht", "Kerkstraat 12, Utrecht"),
        ("Vries, Jan, de", "Vries, Jan, de"),
    ],
)
def test_display_person_name_turns_surname_first_round(name, shown):
    assert display_person_name(name) == shown
