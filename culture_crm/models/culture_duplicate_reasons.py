# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The engine's reasons in the reader's language.

The matching core is pure Python and explains a score in English ('surname 100, first
name initial matches'). Candidates store those words, so a scan in any language gives
the same text; the review screen shows them translated. A reason this table does not
know is shown as the engine wrote it.
"""

import re


def _phrases(env):
    _ = env._
    return {
        "first name matches": _("first name matches"),
        "first name matches one of the given names": _("first name matches one of the given names"),
        "first names differ": _("first names differ"),
        "first names one letter apart": _("first names one letter apart"),
        "no first name to compare": _("no first name to compare"),
        "initials differ": _("initials differ"),
        "initials match": _("initials match"),
        "first name initial matches": _("first name initial matches"),
        "first name initial matches the formal name": _(
            "first name initial matches the formal name"
        ),
        "titles differ (Mr/Mrs)": _("titles differ (Mr/Mrs)"),
        "name words equal, order differs": _("name words equal, order differs"),
        "same E.164 mobile": _("same E.164 mobile"),
        "same E.164 phone": _("same E.164 phone"),
        "same building, other house number addition": _(
            "same building, other house number addition"
        ),
        "same building, one without the house number addition": _(
            "same building, one without the house number addition"
        ),
        "postcode+number equal": _("postcode+number equal"),
        "same family e-mail": _("same family e-mail"),
        "same e-mail": _("same e-mail"),
        "same e-mail mailbox": _("same e-mail mailbox"),
        "same e-mail but for dots or a +tag": _("same e-mail but for dots or a +tag"),
        "same e-mail but for a typing error in the domain": _(
            "same e-mail but for a typing error in the domain"
        ),
        "junior and senior": _("junior and senior"),
        "one is marked junior or senior": _("one is marked junior or senior"),
        "work and private e-mail": _("work and private e-mail"),
        "family and personal e-mail": _("family and personal e-mail"),
        "same birth year": _("same birth year"),
        "same city": _("same city"),
        "same postcode, house number unknown": _("same postcode, house number unknown"),
        "same city, other address": _("same city, other address"),
        "different e-mail addresses": _("different e-mail addresses"),
        "same e-mail domain": _("same e-mail domain"),
        "person against organisation": _("person against organisation"),
    }


def _patterns(env, phrases):
    _ = env._
    return [
        (
            re.compile(r"^surname (\d+), (.+)$"),
            lambda m: _(
                "surname %(score)s, %(given)s",
                score=m[1],
                given=phrases.get(m[2], m[2]),
            ),
        ),
        (
            re.compile(r"^same switchboard number \((\d+) contacts\)$"),
            lambda m: _("same switchboard number (%(count)s contacts)", count=m[1]),
        ),
        (
            re.compile(r"^postcode\+number equal, shared by (\d+) contacts$"),
            lambda m: _("postcode+number equal, shared by %(count)s contacts", count=m[1]),
        ),
        (
            re.compile(r"^street (\d+) and number equal, same city$"),
            lambda m: _("street %(score)s and number equal, same city", score=m[1]),
        ),
        (
            re.compile(r"^email local part (\d+), domain alike$"),
            lambda m: _("email local part %(score)s, domain alike", score=m[1]),
        ),
        (
            re.compile(r"^birth years differ \((\d+), (\d+)\)$"),
            lambda m: _("birth years differ (%(a)s, %(b)s)", a=m[1], b=m[2]),
        ),
        (
            re.compile(r"^organisation name (\d+)$"),
            lambda m: _("organisation name %(score)s", score=m[1]),
        ),
        (
            re.compile(r"^'(.*)' against '(.*)'$"),
            lambda m: _("'%(a)s' against '%(b)s'", a=m[1], b=m[2]),
        ),
    ]


def translate_reasons(env, reasons):
    """The engine's reasons (English, one a line) in the language of ``env``."""
    phrases = _phrases(env)
    patterns = _patterns(env, phrases)
    translated = []
    for reason in reasons:
        text = phrases.get(reason)
        if text is None:
            text = next(
                (render(found) for pattern, render in patterns if (found := pattern.match(reason))),
                reason,
            )
        translated.append(text)
    return translated
