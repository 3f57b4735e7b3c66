# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local HTTP server that answers the few pretix API calls the connector makes.

Not pretix (tests/test_pretix_sync_e2e.py runs against the real one): a stand-in that
serves pretix-shaped JSON for the ticketing benchmark, which needs 100,000 orders and
more than a real pretix on a 2-core machine could produce in time. Plain Python, no Odoo.

    python tests/benchmarks/pretix_shaped_server.py --orders 100000 --buyers 60000

prints its address, then serves until killed. ``POST /bench/change?count=1000`` makes
that many orders change (paid ones are canceled, the others paid) as of now, for the
incremental sync.

Orders come from a ``source``: any object with ``count_since(since)`` and
``slice_since(since, offset, limit)`` returning payloads ordered by ``last_modified``,
and ``get(event, code)``. ``ListSource`` keeps a list; the benchmark generates orders.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from faker.providers.address.nl_NL import Provider as AddressNL
from faker.providers.person.nl_NL import Provider as PersonNL

PAGE_SIZE = 50


def iso(moment):
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text):
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class ListSource:
    """Orders kept in a list; ``put`` adds or replaces one (its ``last_modified`` moves)."""

    def __init__(self, orders=()):
        self.orders = {}
        for payload in orders:
            self.put(payload)

    def put(self, payload):
        self.orders[(payload["event"], payload["code"])] = payload

    def delete(self, event, code):
        self.orders.pop((event, code), None)

    def _sorted(self, since):
        rows = sorted(self.orders.values(), key=lambda p: (p["last_modified"], p["code"]))
        if since is None:
            return rows
        keys = [parse_iso(p["last_modified"]) for p in rows]
        return rows[bisect.bisect_left(keys, since) :]

    def count_since(self, since):
        return len(self._sorted(since))

    def slice_since(self, since, offset, limit):
        return self._sorted(since)[offset : offset + limit]

    def get(self, event, code):
        return self.orders.get((event, code))


class PretixShapedServer:
    """Serves one organizer: events (with items), orders from a source, and a count of
    the requests it answered (``requests``)."""

    def __init__(self, organizer="dekade", source=None, events=None):
        self.organizer = organizer
        self.source = source or ListSource()
        self.events = dict(events or {})  # slug -> {"event": {...}, "items": [...]}
        self.requests = 0
        self._server = None
        self._thread = None

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self):
        handler = type("Handler", (_Handler,), {"stub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # --- data ------------------------------------------------------------------------------
    def add_event(self, slug, name, date_from, items=(("Regulier", 1),), genre=None):
        event = {
            "slug": slug,
            "name": {"nl": name},
            "date_from": iso(date_from),
            "date_to": iso(date_from + dt.timedelta(hours=2)),
            "location": {"nl": "Grote Zaal"},
            "has_subevents": False,
            "currency": "EUR",
            "meta_data": {"genre": genre} if genre else {},
        }
        self.events[slug] = {
            "event": event,
            "items": [
                {"id": item_id, "name": {"nl": item_name}, "admission": True}
                for item_name, item_id in items
            ],
        }
        return event

    # --- answering ---------------------------------------------------------------------------
    def answer_post(self, path, query):
        return 404, None

    def answer(self, path, query):
        prefix = f"/api/v1/organizers/{self.organizer}"
        if not path.startswith(prefix):
            return 404, None
        rest = path[len(prefix) :].strip("/").split("/")
        if rest == [""]:
            return 200, {"slug": self.organizer, "name": self.organizer}
        if rest == ["orders"]:
            return 200, self._orders(query, path)
        if rest == ["events"]:
            return 200, _listing([e["event"] for e in self.events.values()])
        if rest == ["subevents"]:
            return 200, _listing([])
        if len(rest) >= 2 and rest[0] == "events":
            event = self.events.get(rest[1])
            if event is None:
                return 404, None
            if len(rest) == 2:
                return 200, event["event"]
            if rest[2:] == ["items"]:
                return 200, _listing(event["items"])
            if len(rest) == 4 and rest[2] == "orders":
                payload = self.source.get(rest[1], rest[3])
                return (200, payload) if payload else (404, None)
        return 404, None

    def _orders(self, query, path):
        since = query.get("modified_since")
        since = parse_iso(since) if since else None
        size = min(int(query.get("page_size") or PAGE_SIZE), PAGE_SIZE)
        number = int(query.get("page") or 1)
        total = self.source.count_since(since)
        results = self.source.slice_since(since, (number - 1) * size, size)
        following = None
        if number * size < total:
            following_query = dict(query, page=str(number + 1))
            following = f"{path}?{urllib.parse.urlencode(following_query)}"
        return {"count": total, "next": following, "previous": None, "results": results}


def _listing(results):
    return {"count": len(results), "next": None, "previous": None, "results": results}


class _Handler(BaseHTTPRequestHandler):
    stub: PretixShapedServer

    def do_GET(self):
        self._reply(self.stub.answer)

    def do_POST(self):
        self._reply(self.stub.answer_post)

    def _reply(self, answer):
        parsed = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        generated = iso(dt.datetime.now(dt.UTC))
        self.stub.requests += 1
        status, body = answer(parsed.path, query)
        data = json.dumps(body if body is not None else {"detail": "Not found."}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Page-Generated", generated)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def pretix_order(
    event,
    code,
    email,
    name,
    status="p",
    positions=(),
    modified=None,
    placed=None,
    total=None,
    **extra,
):
    """A pretix order as its API returns it, with ``positions`` as (id, item id, price)."""
    placed = placed or dt.datetime.now(dt.UTC)
    modified = modified or placed
    rows = [
        {
            "id": position_id,
            "item": item_id,
            "subevent": None,
            "price": price,
            "attendee_name": name,
            "attendee_name_parts": {},
            "attendee_email": None,
            "canceled": False,
            "answers": [],
        }
        for position_id, item_id, price in positions
    ]
    payload = {
        "event": event,
        "code": code,
        "status": status,
        "testmode": False,
        "email": email,
        "phone": extra.pop("phone", None),
        "locale": "nl",
        "datetime": iso(placed),
        "payment_date": iso(placed) if status == "p" else None,
        "last_modified": iso(modified),
        "total": total if total is not None else f"{sum(float(p) for _i, _it, p in positions):.2f}",
        "invoice_address": {
            "name": name,
            "name_parts": {},
            "company": "",
            "street": extra.pop("street", ""),
            "zipcode": extra.pop("zipcode", ""),
            "city": extra.pop("city", ""),
            "country": "NL",
        },
        "positions": rows,
        "refunds": [],
    }
    payload.update(extra)
    return payload


# --- generated orders, for the benchmark ------------------------------------------------------
# Names and places as diverse as a Dutch audience's (Faker's nl_NL lists: 1,130
# surnames, 500 first names, 2,400 places), so namesakes occur about as often as in life.
GIVEN = sorted(set(PersonNL.first_names_male) | set(PersonNL.first_names_female))
FAMILY = sorted(set(PersonNL.last_names))
PLACES = sorted(set(AddressNL.cities))
STREETS = "Kerkstraat Dorpsstraat Molenweg Stationsweg Lindelaan Beukenlaan Schoolstraat".split()
GENRES = ["Toneel", "Dans", "Opera", "Jazz", "Cabaret", "Klassiek", "Pop", "Jeugd", "Musical"]
BASE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
PERFORMANCES = 200


def buyer_of(number):
    """The person with this number: same number, same person, in every run."""
    rng = random.Random(number * 2654435761 % 2**32)
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    city = rng.choice(PLACES)
    area = 10 + rng.randrange(89)
    slug = "".join(ch for ch in f"{given}.{family}".lower() if ch.isascii() and ch not in " '")
    letters = chr(65 + number % 26) + chr(65 + (number // 26) % 26)
    return {
        "given": given,
        "family": family,
        "name": f"{given} {family}",
        "email": f"{slug}.{number}@example.nl",
        "phone": f"06{20000000 + number:08d}",
        "street": f"{rng.choice(STREETS)} {1 + number % 180}",
        "zipcode": f"{area}{10 + number % 89:02d} {letters}",
        "city": city,
    }


class GeneratedSource:
    """``orders`` orders by ``buyers`` people, each order a pure function of its number.

    Order ``i`` was last modified at BASE_TIME + i seconds, so a ``modified_since``
    query is arithmetic; the orders ``change()`` touched move to the end, in the order
    they changed. Buyers repeat with a skew (a few come often, most once or twice), and
    how a buyer identifies changes by share of orders: e-mail only, e-mail and phone,
    phone only, or name and address only (``identity`` picks the share of each).
    """

    def __init__(self, orders, buyers, event_slugs):
        self.orders = orders
        self.buyers = buyers
        self.event_slugs = event_slugs
        self.changed = {}  # order number -> (last_modified, status)

    def buyer_number(self, number):
        rng = random.Random(number)
        return min(int(self.buyers * rng.random() ** 1.6), self.buyers - 1)

    def payload(self, number):
        rng = random.Random(number + 7)
        buyer = buyer_of(self.buyer_number(number))
        status = "p" if rng.random() < 0.87 else rng.choice("nnce")
        modified = BASE_TIME + dt.timedelta(seconds=number)
        if number in self.changed:
            modified, status = self.changed[number]
        placed = BASE_TIME + dt.timedelta(seconds=number)
        how = rng.random()  # how the buyer identifies this time
        email = buyer["email"] if how < 0.85 else None
        phone = buyer["phone"] if 0.55 < how < 0.95 else None
        event = self.event_slugs[number % len(self.event_slugs)]
        # Items: 1 is Regulier (27.50), 2 is CJP (15.00).
        positions = [
            (number * 4 + k, 1 + (number + k) % 2, "15.00" if (number + k) % 2 else "27.50")
            for k in range(1 + (rng.random() < 0.8) + (rng.random() < 0.15))
        ]
        payload = pretix_order(
            event,
            f"B{number:07d}",
            email,
            buyer["name"],
            status=status,
            positions=positions,
            modified=modified,
            placed=placed,
            phone=phone,
            street=buyer["street"],
            zipcode=buyer["zipcode"],
            city=buyer["city"],
        )
        payload["invoice_address"]["name_parts"] = {
            "_scheme": "given_family",
            "given_name": buyer["given"],
            "family_name": buyer["family"],
        }
        if status == "c" and rng.random() < 0.4:
            payload["refunds"] = [{"state": "done", "amount": payload["total"]}]
        return payload

    # --- the source interface ---------------------------------------------------------------
    def _start(self, since):
        if since is None:
            return 0
        seconds = (since - BASE_TIME).total_seconds()
        return max(0, min(self.orders, int(-(-seconds // 1))))

    def _numbers_since(self, since):
        start = self._start(since)
        base = (n for n in range(start, self.orders) if n not in self.changed)
        late = sorted(
            (n for n, (moment, _s) in self.changed.items() if since is None or moment >= since),
            key=lambda n: self.changed[n][0],
        )
        return itertools.chain(base, late), self.orders - start, late

    def count_since(self, since):
        _numbers, base_count, late = self._numbers_since(since)
        skipped = sum(1 for n in self.changed if n >= self._start(since))
        return base_count - skipped + len(late)

    def slice_since(self, since, offset, limit):
        numbers, _count, _late = self._numbers_since(since)
        return [self.payload(n) for n in itertools.islice(numbers, offset, offset + limit)]

    def get(self, event, code):
        number = int(code[1:])
        return self.payload(number) if 0 <= number < self.orders else None

    def change(self, count, seed=11):
        """``count`` orders change now: paid ones are canceled, the others paid."""
        rng = random.Random(seed + len(self.changed))
        now = dt.datetime.now(dt.UTC)
        changed = []
        for offset, number in enumerate(rng.sample(range(self.orders), count)):
            payload = self.payload(number)
            moment = now + dt.timedelta(microseconds=offset)
            self.changed[number] = (moment, "c" if payload["status"] == "p" else "p")
            changed.append((payload["event"], payload["code"]))
        return changed


class BenchServer(PretixShapedServer):
    """The generated organizer, with a ``/bench/change`` control endpoint."""

    def answer_post(self, path, query):
        if path == "/bench/change":
            orders = self.source.change(int(query.get("count") or 1000))
            return 200, {"changed": len(self.source.changed), "orders": orders}
        return 404, None


def serve(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--buyers", type=int, default=60_000)
    parser.add_argument("--organizer", default="bench")
    args = parser.parse_args(argv)
    slugs = [f"show-{n:03d}" for n in range(PERFORMANCES)]
    server = BenchServer(args.organizer, GeneratedSource(args.orders, args.buyers, slugs))
    for n, slug in enumerate(slugs):
        server.add_event(
            slug,
            f"Voorstelling {n}",
            BASE_TIME + dt.timedelta(days=2 * n),
            items=(("Regulier", 1), ("CJP", 2)),
            genre=GENRES[n % len(GENRES)],
        )
    server.start()
    sys.stdout.write(server.url + "\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    serve()
