"""A real pretix for the tests: started once per test session, seeded through its API.

``./setup/test`` installs pretix into a virtualenv of its own and builds a template
database (setup/lib/pretix.sh); it exports where they are. This module copies that
template, bootstraps an organizer with an API token through ``python -m pretix shell``,
serves it with ``runserver`` on a free 127.0.0.1 port and stops it by its PID.

``PretixClient`` seeds events and drives orders through their whole life with pretix's
own REST API, so every state the connector sees is one pretix itself produced:

    server = PretixServer.from_environment(tmp_dir)
    server.start()
    client = server.client()
    event = client.create_event("hamlet", "Hamlet", items={"Regulier": "27.50"})
    order = client.create_order(event, buyer=Buyer(...), tickets=[Ticket("Regulier")])
    client.mark_paid(event, order["code"])
    server.stop()

No Odoo import here: the harness runs in Odoo's venv but talks to pretix over HTTP.
"""

from __future__ import annotations

import configparser
import ctypes
import dataclasses
import datetime as dt
import hashlib
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import requests

ORGANIZER = "schouwburg"
ORGANIZER_NAME = "Stadsschouwburg De Kade"
CONSENT_QUESTION = "NIEUWSBRIEF"
START_TIMEOUT = 180
# Organizers made ready ahead, so that tests can each have one to themselves (an
# organizer's order list is what the connector reads, so sharing one would mix tests).
SPARE_ORGANIZERS = 48
# Plugins the organizer needs before its events can use them (banktransfer is a
# hybrid organizer/event plugin; manual payments are how the tests pay orders).
ORGANIZER_PLUGINS = ["pretix.plugins.banktransfer"]
EVENT_PLUGINS = [
    "pretix.plugins.banktransfer",
    "pretix.plugins.manualpayment",
    "pretix.plugins.sendmail",
    "pretix.plugins.statistics",
]


def api_token(organizer):
    """The fixed 64-character team token of a test organizer."""
    return hashlib.sha256(f"culture-crm-test-pretix:{organizer}".encode()).hexdigest()


def bootstrap_script(organizers):
    """Python for ``pretix shell``: organizers, each with an all-powerful team and token."""
    rows = [(slug, name, api_token(slug)) for slug, name in organizers]
    return f"""
from django_scopes import scopes_disabled
from pretix.base.models import Organizer, Team
with scopes_disabled():
    for slug, name, token in {rows!r}:
        organizer, _ = Organizer.objects.get_or_create(slug=slug, defaults={{"name": name}})
        team, _ = Team.objects.get_or_create(
            organizer=organizer, name="Culture CRM",
            defaults=dict(all_events=True, all_event_permissions=True,
                          all_organizer_permissions=True))
        if not team.tokens.filter(token=token).exists():
            team.tokens.create(name="Culture CRM tests", token=token)
print("culture-crm bootstrap done")
"""


try:  # looked up here, not in the forked child: the test process runs threads
    _PRCTL = ctypes.CDLL(None).prctl
except (AttributeError, OSError):  # not Linux
    _PRCTL = None
PR_SET_PDEATHSIG = 1


def _stop_with_parent():
    """In the child before exec: ask Linux to SIGTERM pretix when pytest dies, so a
    killed test run leaves no pretix behind (elsewhere, stop() is all there is)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


class PretixUnavailable(RuntimeError):
    """pretix is not installed or did not start: the suite fails, it never skips."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class PretixInstallation:
    """Where setup/lib/pretix.sh put pretix: its Python, its settings, its template."""

    python: Path
    home: Path
    template: Path

    @classmethod
    def from_environment(cls):
        default_home = Path(
            os.environ.get("CULTURE_CRM_HOME")
            or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share") / "culture-crm"
        )
        python = Path(
            os.environ.get("CULTURE_CRM_PRETIX_PYTHON") or default_home / "pretix-venv/bin/python"
        )
        home = Path(os.environ.get("CULTURE_CRM_PRETIX_HOME") or default_home / "pretix")
        template = os.environ.get("CULTURE_CRM_PRETIX_TEMPLATE")
        if not template:
            # Run outside ./setup/test (plain pytest): take the one template there is.
            found = sorted(home.glob("template-*.sqlite3"))
            template = found[-1] if found else home / "template-missing.sqlite3"
        installation = cls(python=python, home=home, template=Path(template))
        missing = [
            str(path)
            for path in (python, home / "pretix.cfg", installation.template)
            if not path.exists()
        ]
        if missing:
            raise PretixUnavailable(
                "pretix is not installed for the tests (missing: "
                + ", ".join(missing)
                + "). Run ./setup/test, which installs it (setup/lib/pretix.sh)."
            )
        return installation


class PretixServer:
    """One pretix process on its own copy of the template database."""

    def __init__(self, installation: PretixInstallation, workdir: Path, port: int | None = None):
        self.installation = installation
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.organizer = ORGANIZER
        self.token = api_token(ORGANIZER)
        self._spare_organizers: list[str] = []
        self._organizer_count = 0
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None
        self.log_path = self.workdir / "runserver.log"

    @classmethod
    def from_environment(cls, workdir):
        return cls(PretixInstallation.from_environment(), workdir)

    # --- lifecycle ----------------------------------------------------------------------
    def _environment(self):
        env = dict(os.environ)
        for key in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
            env.pop(key, None)
        env.update(
            PRETIX_CONFIG_FILE=str(self.workdir / "pretix.cfg"),
            PYTHONPATH=str(self.installation.home),
            DJANGO_SETTINGS_MODULE="culture_pretix_settings",
        )
        return env

    def _prepare(self):
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.installation.template, data / "db.sqlite3")
        config = configparser.RawConfigParser()
        config.read(self.installation.home / "pretix.cfg", encoding="utf-8")
        config.set("pretix", "url", self.url)
        config.set("pretix", "datadir", str(data))
        config.set("database", "name", str(data / "db.sqlite3"))
        with open(self.workdir / "pretix.cfg", "w", encoding="utf-8") as handle:
            config.write(handle)

    def start(self):
        """Start pretix and wait until its API answers with our token."""
        started = time.monotonic()
        self._prepare()
        python = str(self.installation.python)
        env = self._environment()
        # Bootstrap and server start side by side: both spend most of their time
        # importing Django, and the server reads the database only per request.
        bootstrap = self._bootstrap_process(
            [(ORGANIZER, ORGANIZER_NAME), *self._next_spare_names(SPARE_ORGANIZERS)]
        )
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    python,
                    "-m",
                    "pretix",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                    "--skip-checks",
                ],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_stop_with_parent,
            )
        try:
            self._finish_bootstrap(bootstrap)
        except PretixUnavailable:
            self.stop()
            raise
        self._wait_until_up(started)
        self.startup_seconds = time.monotonic() - started

    def _next_spare_names(self, count):
        names = []
        for _ in range(count):
            self._organizer_count += 1
            slug = f"theater{self._organizer_count:02d}"
            names.append((slug, f"Theater {self._organizer_count:02d}"))
        self._spare_organizers.extend(slug for slug, _name in names)
        return names

    def _bootstrap_process(self, organizers):
        return subprocess.Popen(
            [
                str(self.installation.python),
                "-m",
                "pretix",
                "shell",
                "-c",
                bootstrap_script(organizers),
            ],
            cwd=self.workdir,
            env=self._environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    @staticmethod
    def _finish_bootstrap(bootstrap):
        try:
            output, _ = bootstrap.communicate(timeout=START_TIMEOUT)
        except subprocess.TimeoutExpired:
            bootstrap.kill()
            bootstrap.wait()
            raise PretixUnavailable("pretix's bootstrap shell did not finish") from None
        if bootstrap.returncode != 0 or "bootstrap done" not in output:
            raise PretixUnavailable(f"pretix's bootstrap failed:\n{output[-3000:]}")

    def new_organizer(self):
        """A client for an organizer no other test has used (bootstrapped ahead, more
        made through pretix's shell when they run out)."""
        if not self._spare_organizers:
            self._finish_bootstrap(self._bootstrap_process(self._next_spare_names(24)))
        slug = self._spare_organizers.pop(0)
        return PretixClient(self.url, slug, api_token(slug))

    def _wait_until_up(self, started):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.token}"
        while time.monotonic() - started < START_TIMEOUT:
            if self.process.poll() is not None:
                raise PretixUnavailable(
                    f"pretix's runserver exited with {self.process.returncode}:\n" + self.log_tail()
                )
            try:
                response = session.get(f"{self.url}/api/v1/organizers/", timeout=5)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            if response.status_code == 200:
                return
            time.sleep(0.2)
        self.stop()
        raise PretixUnavailable(
            f"pretix did not answer on {self.url} within {START_TIMEOUT} s:\n" + self.log_tail()
        )

    def log_tail(self, size=4000):
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return "(no log)"

    def stop(self):
        """Stop the server by its PID (it was started alone in a session of its own)."""
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self):
        return PretixClient(self.url, self.organizer, self.token)

    @property
    def sent_mail_dir(self):
        return self.workdir / "data" / "mail"


# --- seeding and the order lifecycle, through pretix's REST API ----------------------------
@dataclasses.dataclass(frozen=True)
class Buyer:
    given_name: str
    family_name: str
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str = "NL"
    company: str | None = None

    def name_parts(self):
        return {
            "_scheme": "given_family",
            "given_name": self.given_name,
            "family_name": self.family_name,
        }


# Buyers and prices the adapter and order tests share.
ANNA = Buyer(
    "Anna",
    "de Vries",
    email="anna.devries@example.nl",
    phone="+31612345678",
    street="Keizersgracht 12",
    zipcode="1015 CS",
    city="Amsterdam",
)
PIET = Buyer("Piet", "Jansen", email="piet.jansen@example.nl")
PRICES = {"Regulier": "27.50", "CJP": "15.00"}


@dataclasses.dataclass(frozen=True)
class Ticket:
    """One position to order: a ticket type by name, optionally a date of a series."""

    ticket_type: str
    subevent: int | None = None
    attendee: Buyer | None = None
    consent: bool | None = None
    price: str | None = None


@dataclasses.dataclass
class SeededEvent:
    slug: str
    name: str
    items: dict[str, int]
    questions: dict[str, int]
    subevents: list[int] = dataclasses.field(default_factory=list)


class PretixApiError(AssertionError):
    """pretix refused a call the test expected to work; the message has its answer."""


class PretixClient:
    """pretix's REST API as the tests use it: seed, order, pay, cancel, refund..."""

    def __init__(self, url, organizer, token):
        self.url = url.rstrip("/")
        self.organizer = organizer
        self.token = token
        self._prepared = set()  # plugins and meta properties known to be in place
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    # --- plumbing -----------------------------------------------------------------------------
    def request(self, method, path, expect=(200, 201, 204), **kwargs):
        if not path.startswith("http"):
            path = f"{self.url}/api/v1/organizers/{self.organizer}/{path.lstrip('/')}"
        response = self.session.request(method, path, timeout=60, **kwargs)
        if response.status_code not in expect:
            raise PretixApiError(
                f"{method} {path} answered {response.status_code}: {response.text[:2000]}"
            )
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def post(self, path, payload=None, **kwargs):
        return self.request("POST", path, json=payload if payload is not None else {}, **kwargs)

    def patch(self, path, payload):
        return self.request("PATCH", path, json=payload)

    def get_all(self, path, **params):
        """Every result of a paginated list."""
        results = []
        data = self.get(path, **params)
        while True:
            results.extend(data["results"])
            if not data.get("next"):
                return results
            data = self.request("GET", data["next"])

    # --- seeding ------------------------------------------------------------------------------
    def enable_organizer_plugins(self, plugins=tuple(ORGANIZER_PLUGINS)):
        if set(plugins) <= self._prepared:
            return
        current = set(self.get("")["plugins"] or [])
        wanted = current | set(plugins)
        if wanted != current:
            self.patch("", {"plugins": sorted(wanted)})
        self._prepared |= set(plugins)

    def ensure_meta_property(self, name):
        if f"meta:{name}" in self._prepared:
            return
        self._prepared.add(f"meta:{name}")
        existing = {prop["name"] for prop in self.get_all("event_meta_properties/")}
        if name not in existing:
            self.post(
                "event_meta_properties/",
                {"name": name, "default": "", "choices": [], "required": False},
            )

    def create_event(
        self,
        slug,
        name,
        items,
        date_from=None,
        location="Grote Zaal, Stadsschouwburg De Kade, Amsterdam",
        genre=None,
        subevents=(),
        consent_question=True,
    ):
        """An event with ticket types ``items`` ({name: price}), a quota for them, and a
        boolean newsletter question. ``subevents`` ((name, date_from), ...) makes it a
        series whose dates are the performances."""
        self.enable_organizer_plugins()
        date_from = date_from or (
            dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=30)
        )
        meta_data = {}
        if genre:
            self.ensure_meta_property("genre")
            meta_data["genre"] = genre
        self.post(
            "events/",
            {
                "name": {"nl": name, "en": name},
                "slug": slug,
                "currency": "EUR",
                "date_from": date_from.isoformat(),
                "date_to": (date_from + dt.timedelta(hours=2, minutes=30)).isoformat(),
                "location": {"nl": location},
                "has_subevents": bool(subevents),
                "plugins": EVENT_PLUGINS,
                "meta_data": meta_data,
                "timezone": "Europe/Amsterdam",
            },
        )
        self.patch(
            f"events/{slug}/settings/",
            {"locales": ["nl", "en"], "locale": "nl"},
        )
        item_ids = {}
        for item_name, price in items.items():
            item = self.post(
                f"events/{slug}/items/",
                {
                    "name": {"nl": item_name, "en": item_name},
                    "default_price": str(price),
                    "admission": True,
                    "active": True,
                    "personalized": True,
                },
            )
            item_ids[item_name] = item["id"]
        subevent_ids = []
        for sub_name, sub_date in subevents:
            subevent = self.post(
                f"events/{slug}/subevents/",
                {
                    "name": {"nl": sub_name, "en": sub_name},
                    "date_from": sub_date.isoformat(),
                    "date_to": (sub_date + dt.timedelta(hours=2)).isoformat(),
                    "active": True,
                    "location": {"nl": location},
                    # pretix refuses a subevent without it.
                    "meta_data": {},
                },
            )
            subevent_ids.append(subevent["id"])
            self.post(
                f"events/{slug}/quotas/",
                {
                    "name": f"Zaal {sub_name}",
                    "size": None,
                    "items": list(item_ids.values()),
                    "subevent": subevent["id"],
                },
            )
        if not subevents:
            self.post(
                f"events/{slug}/quotas/",
                {"name": "Zaal", "size": None, "items": list(item_ids.values())},
            )
        questions = {}
        if consent_question:
            question = self.post(
                f"events/{slug}/questions/",
                {
                    "question": {
                        "nl": "Nieuwsbrief ontvangen?",
                        "en": "Receive our newsletter?",
                    },
                    "type": "B",
                    "required": False,
                    "items": list(item_ids.values()),
                    "identifier": CONSENT_QUESTION,
                    "ask_during_checkin": False,
                },
            )
            questions[CONSENT_QUESTION] = question["id"]
        return SeededEvent(slug, name, item_ids, questions, subevent_ids)

    # --- orders -------------------------------------------------------------------------------
    def _position(self, event, ticket, buyer):
        attendee = ticket.attendee or buyer
        position = {
            "item": event.items[ticket.ticket_type],
            "attendee_name_parts": attendee.name_parts(),
            "attendee_email": attendee.email,
            "answers": [],
        }
        if ticket.subevent is not None:
            position["subevent"] = ticket.subevent
        if ticket.price is not None:
            position["price"] = ticket.price
        if ticket.consent is not None:
            position["answers"].append(
                {
                    "question": event.questions[CONSENT_QUESTION],
                    "answer": "True" if ticket.consent else "False",
                }
            )
        return position

    def create_order(self, event, buyer, tickets, testmode=False, paid=False, locale="nl"):
        """Place an order as a web sale: pending (or paid at once with ``paid``)."""
        invoice_address = {
            "name_parts": buyer.name_parts(),
            "street": buyer.street or "",
            "zipcode": buyer.zipcode or "",
            "city": buyer.city or "",
            "country": buyer.country,
            "company": buyer.company or "",
            "is_business": bool(buyer.company),
        }
        payload = {
            "email": buyer.email,
            "phone": buyer.phone,
            "locale": locale,
            "sales_channel": "web",
            "payment_provider": "banktransfer",
            "testmode": testmode,
            "status": "p" if paid else "n",
            "send_email": False,
            "invoice_address": invoice_address,
            "positions": [self._position(event, ticket, buyer) for ticket in tickets],
        }
        return self.post(f"events/{event.slug}/orders/", payload)

    def order(self, event, code):
        return self.get(f"events/{_slug(event)}/orders/{code}/", include_canceled_positions="true")

    def mark_paid(self, event, code):
        return self.post(f"events/{_slug(event)}/orders/{code}/mark_paid/", {"send_email": False})

    def cancel(self, event, code, cancellation_fee=None):
        payload = {"send_email": False}
        if cancellation_fee is not None:
            payload["cancellation_fee"] = str(cancellation_fee)
        return self.post(f"events/{_slug(event)}/orders/{code}/mark_canceled/", payload)

    def expire(self, event, code):
        return self.post(f"events/{_slug(event)}/orders/{code}/mark_expired/")

    def refund(self, event, code, amount=None, cancel=True):
        """Refund a paid order (all of it unless ``amount``), and cancel it with ``cancel``."""
        order = self.order(event, code)
        payment = next(p for p in order["payments"] if p["state"] == "confirmed")
        self.post(
            f"events/{_slug(event)}/orders/{code}/refunds/",
            {
                "state": "done",
                "source": "admin",
                "amount": str(amount if amount is not None else payment["amount"]),
                "payment": payment["local_id"],
                "provider": payment["provider"],
                "mark_canceled": cancel,
            },
        )
        return self.order(event, code)

    def change_positions(self, event, code, add=(), remove=(), buyer=None):
        """Add tickets (``Ticket``s) and cancel positions (their ids) of one order."""
        before = {position["id"] for position in self.order(event, code)["positions"]}
        payload = {
            "send_email": False,
            "create_positions": [
                {"item": event.items[ticket.ticket_type], "subevent": ticket.subevent}
                for ticket in add
            ],
            "cancel_positions": [{"position": position_id} for position_id in remove],
        }
        self.post(f"events/{event.slug}/orders/{code}/change/", payload)
        # pretix adds the positions bare; their attendees are set afterwards, as in its
        # back office.
        added = [p for p in self.order(event, code)["positions"] if p["id"] not in before]
        for ticket, position in zip(add, sorted(added, key=lambda p: p["positionid"]), strict=True):
            attendee = ticket.attendee or buyer
            if attendee:
                self.patch(
                    f"events/{event.slug}/orderpositions/{position['id']}/",
                    {
                        "attendee_name_parts": attendee.name_parts(),
                        "attendee_email": attendee.email,
                    },
                )
        return self.order(event, code)

    def update_email(self, event, code, email):
        return self.patch(f"events/{_slug(event)}/orders/{code}/", {"email": email})

    def delete(self, event, code):
        """Delete an order: pretix allows it for test-mode orders only."""
        return self.request("DELETE", f"events/{_slug(event)}/orders/{code}/")

    # --- webhooks -----------------------------------------------------------------------------
    def create_webhook(self, target_url, action_types=None, events=None):
        """A webhook that posts every order change (or ``action_types``) to target_url."""
        action_types = action_types or [
            "pretix.event.order.placed",
            "pretix.event.order.paid",
            "pretix.event.order.canceled",
            "pretix.event.order.reactivated",
            "pretix.event.order.expired",
            "pretix.event.order.modified",
            "pretix.event.order.contact.changed",
            "pretix.event.order.changed.*",
            "pretix.event.order.refund.created",
            "pretix.event.order.refund.done",
            "pretix.event.order.deleted",
        ]
        return self.post(
            "webhooks/",
            {
                "target_url": target_url,
                "enabled": True,
                "all_events": events is None,
                "limit_events": [_slug(event) for event in events or ()],
                "action_types": action_types,
            },
        )

    def delete_webhook(self, webhook_id):
        return self.request("DELETE", f"webhooks/{webhook_id}/")


def _slug(event):
    return event if isinstance(event, str) else event.slug


class WebhookRecorder:
    """A stdlib HTTP endpoint on 127.0.0.1 that keeps every JSON body posted to it,
    to see what pretix's webhooks send without Odoo in between."""

    def __init__(self):
        self.received: list[dict] = []
        self._event = threading.Event()
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    recorder.received.append(json.loads(self.rfile.read(length) or b"null"))
                finally:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    recorder._event.set()

            def log_message(self, format, *args):  # the stdlib's signature
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhook"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout=15):
        """The first received body that satisfies ``predicate``, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            for body in list(self.received):
                if predicate(body):
                    return body
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._event.wait(min(remaining, 0.5))
            self._event.clear()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
