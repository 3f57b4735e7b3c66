"""Audience knowledge from ticket history: visits, RFM scores, segments, genres.

A visit is a performance a contact attended with a valid ticket (two tickets for one
show are one visit). The segment reads as a person would say it:

- New: their first visit or paid order was less than 12 months ago;
- Lost: nothing for more than 36 months;
- Lapsed: nothing for more than 18 months;
- Loyal: at least 3 visits in the last 12 months;
- Returning: everyone else who came back.

RFM scores (1 to 5, 5 best) place a contact among the whole audience: recency in days
since the last visit or paid order, frequency in lifetime visits, monetary in revenue.
The quintile cut points are recomputed nightly over everyone; between two nights a
batch scores its contacts against the last cut points, so scores stay comparable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

NEW, RETURNING, LOYAL, LAPSED, LOST = "new", "returning", "loyal", "lapsed", "lost"
NEW_DAYS = 365
LAPSED_DAYS = 548  # 18 months
LOST_DAYS = 1096  # 36 months
LOYAL_VISITS_12M = 3
GENRE_HALF_LIFE_DAYS = 365
TOP_GENRES = 3

# Until the first nightly run measured the audience, cut points a small venue would see.
DEFAULT_CUTS = {
    "recency": [60, 180, 365, 730],
    "frequency": [1, 2, 4, 8],
    "monetary": [30, 75, 150, 400],
}


@dataclasses.dataclass
class Figures:
    """What the ticket history says about one contact."""

    first_visit: dt.date | None = None
    last_visit: dt.date | None = None
    next_visit: dt.date | None = None
    visits_12m: int = 0
    visits_total: int = 0
    first_order: dt.date | None = None
    last_order: dt.date | None = None
    orders: int = 0
    revenue: float = 0.0
    tickets: int = 0
    ticket_revenue: float = 0.0
    genre_weights: dict = dataclasses.field(default_factory=dict)

    @property
    def average_ticket_price(self):
        return round(self.ticket_revenue / self.tickets, 2) if self.tickets else 0.0

    @property
    def last_activity(self):
        """The last visit, or the last paid order of someone who has not come yet."""
        dates = [day for day in (self.last_visit, self.last_order) if day]
        return max(dates) if dates else None

    @property
    def latest_ticket_activity(self):
        """The latest day this contact bought, came, or holds a ticket for."""
        dates = [day for day in (self.last_visit, self.next_visit, self.last_order) if day]
        return max(dates) if dates else None

    @property
    def first_activity(self):
        dates = [day for day in (self.first_visit, self.first_order) if day]
        return min(dates) if dates else None


def segment(figures, today):
    """The contact's audience segment, or None for someone without ticket history."""
    last, first = figures.last_activity, figures.first_activity
    if last is None:
        return None
    idle = (today - last).days
    if idle > LOST_DAYS:
        return LOST
    if idle > LAPSED_DAYS:
        return LAPSED
    if (today - first).days <= NEW_DAYS:
        return NEW
    if figures.visits_12m >= LOYAL_VISITS_12M:
        return LOYAL
    return RETURNING


def recency_days(figures, today):
    last = figures.last_activity
    return None if last is None else max((today - last).days, 0)


def score_higher_better(value, cuts):
    """1 to 5: one more for each cut point the value exceeds."""
    return 1 + sum(1 for cut in cuts if value > cut)


def score_lower_better(value, cuts):
    """5 to 1: one less for each cut point the value exceeds (recency in days)."""
    return 5 - sum(1 for cut in cuts if value > cut)


def rfm_scores(figures, today, cuts):
    """(recency, frequency, monetary) scores 1-5, or (0, 0, 0) without ticket history."""
    days = recency_days(figures, today)
    if days is None:
        return 0, 0, 0
    return (
        score_lower_better(days, cuts.get("recency") or DEFAULT_CUTS["recency"]),
        score_higher_better(
            figures.visits_total, cuts.get("frequency") or DEFAULT_CUTS["frequency"]
        ),
        score_higher_better(figures.revenue, cuts.get("monetary") or DEFAULT_CUTS["monetary"]),
    )


def genre_weight(visit_day, today):
    """A visit's weight in genre affinity: 1 today, halving every year back."""
    age = max((today - visit_day).days, 0)
    return math.pow(0.5, age / GENRE_HALF_LIFE_DAYS)


def top_genres(weights, count=TOP_GENRES):
    """The genres (ids) with the highest weight, best first; ties by id for stability."""
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return [genre for genre, weight in ranked[:count] if weight > 0]
