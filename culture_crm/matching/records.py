# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The records the duplicate engine takes and gives: a contact, a match, the thresholds."""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Contact:
    """One contact as the engine sees it; every field but ``id`` and ``name`` is optional.

    ``country_code`` (ISO alpha-2) is the region for phone numbers written without a
    country code; ``birth_year`` and ``parent_id`` (the company a person works for) are
    used only to tell people apart.
    """

    id: int
    name: str
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country_code: str | None = None
    is_company: bool = False
    birth_year: int | None = None
    parent_id: int | None = None


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score limits: a pair at ``likely`` or above is proposed to a steward, a pair at
    ``certain`` or above is safe enough to merge without reading it twice.

    The defaults come from the score's design (see ``scoring.py``): 70 is reached by a
    full name plus one shared address or phone, or initials plus surname plus an
    address (the rule Spektrix uses on its own); 90 needs a name plus a personal
    identifier (e-mail, mobile) or plenty of evidence together.
    """

    likely: int = 70
    certain: int = 90

    def __post_init__(self):
        if not 0 < self.likely <= self.certain <= 100:
            raise ValueError(
                f"thresholds must satisfy 0 < likely <= certain <= 100, "
                f"got likely={self.likely}, certain={self.certain}"
            )

    def level(self, score):
        """'certain', 'likely', or None below the likely threshold."""
        if score >= self.certain:
            return "certain"
        if score >= self.likely:
            return "likely"
        return None


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class Match:
    """A scored pair of contacts, always with ``id_a < id_b`` (compared as given)."""

    id_a: int
    id_b: int
    score: int
    reasons: list = field(default_factory=list)
    level: str = "likely"

    @property
    def reason_text(self):
        """The reasons as one line: 'same e-mail; surname 100, first name matches'."""
        return "; ".join(self.reasons)
