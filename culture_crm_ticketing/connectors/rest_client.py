"""A JSON-over-HTTP client that survives what ticketing APIs do on a bad day.

Shared by the HTTP adapters (pretix today). It retries what is worth retrying and turns
everything else into the two errors the importer understands:

- timeouts, refused connections and 5xx answers are retried a bounded number of times
  with a growing pause, then raise ``ConnectionFailure``;
- 429 honours ``Retry-After`` (seconds or an HTTP date), up to ``max_retry_after``
  seconds a wait; a longer wait, or too many of them, raises ``ConnectionFailure`` so the
  sync stops and the scheduler tries later instead of blocking a worker;
- 401/403 and other 4xx raise ``ConnectionFailure`` at once (retrying will not help);
  404 raises ``NotFound`` so a caller can tell "gone" from "unreachable";
- a body that is not JSON raises ``MalformedResponse`` (a ``ConnectionFailure``): the
  caller decides whether that loses a page (stop) or one record (a sync issue).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time

import requests
from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema

from odoo.tools.translate import LazyTranslate

from .records import ConnectionFailure

_lt = LazyTranslate(__name__)


class NotFound(ConnectionFailure):
    """The resource does not exist (HTTP 404): deleted, or never there."""


class MalformedResponse(ConnectionFailure):
    """The server answered 200 with a body that is not the JSON it promised."""

    def __init__(self, message, body=None):
        super().__init__(message)
        self.body = body


class RestClient:
    """GET JSON with bounded retries. One instance per backend and sync run."""

    def __init__(
        self,
        headers=None,
        timeout=(5, 30),
        max_attempts=4,
        backoff=0.5,
        max_retry_after=120,
        session=None,
        sleep=time.sleep,
    ):
        self.session = session or requests.Session()
        self.session.headers.update(headers or {})
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep

    def get_json(self, url, params=None):
        """GET ``url`` and return ``(decoded JSON, response headers)``."""
        response = self._get(url, params)
        try:
            return response.json(), response.headers
        except ValueError:
            raise MalformedResponse(
                _lt(
                    "%(url)s answered with a body that is not valid JSON (%(size)s bytes)",
                    url=_short(url),
                    size=len(response.content),
                ),
                body=response.text[:2000],
            ) from None

    def _get(self, url, params):
        last_problem = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except requests.Timeout:
                last_problem = _lt(
                    "%(url)s did not answer within %(seconds)s s",
                    url=_short(url),
                    seconds=self._read_timeout(),
                )
            except (InvalidURL, InvalidSchema, MissingSchema) as error:
                raise ConnectionFailure(
                    _lt("%(url)s is not a valid address: %(error)s", url=_short(url), error=error)
                ) from error
            except requests.ConnectionError as error:
                last_problem = _lt(
                    "could not connect to %(url)s (%(reason)s)",
                    url=_short(url),
                    reason=_reason(error),
                )
            except requests.RequestException as error:
                # A connection cut mid-answer and the like: worth another try.
                last_problem = _lt(
                    "%(url)s broke off its answer (%(reason)s)",
                    url=_short(url),
                    reason=_reason(error),
                )
            else:
                status = response.status_code
                if status < 400:
                    return response
                if status == 429:
                    wait = retry_after_seconds(response.headers.get("Retry-After"))
                    if wait > self.max_retry_after:
                        raise ConnectionFailure(
                            _lt(
                                "%(url)s is rate limited for %(seconds)s s; the sync resumes "
                                "on its next run",
                                url=_short(url),
                                seconds=round(wait),
                            )
                        )
                    last_problem = _lt("%(url)s is rate limited (HTTP 429)", url=_short(url))
                    if attempt < self.max_attempts:
                        self._sleep(wait)
                    continue
                if status >= 500:
                    last_problem = _lt(
                        "%(url)s answered HTTP %(status)s", url=_short(url), status=status
                    )
                elif status == 404:
                    raise NotFound(_lt("%(url)s was not found (HTTP 404)", url=_short(url)))
                elif status in (401, 403):
                    raise ConnectionFailure(
                        _lt(
                            "%(url)s refused the API token (HTTP %(status)s): check the token "
                            "and its team's permissions",
                            url=_short(url),
                            status=status,
                        )
                    )
                else:
                    raise ConnectionFailure(
                        _lt(
                            "%(url)s answered HTTP %(status)s: %(body)s",
                            url=_short(url),
                            status=status,
                            body=response.text[:300],
                        )
                    )
            if attempt < self.max_attempts:
                self._sleep(self.backoff * 2 ** (attempt - 1))
        raise ConnectionFailure(
            _lt(
                "%(problem)s, %(attempts)s attempts",
                problem=last_problem,
                attempts=self.max_attempts,
            )
        )

    def _read_timeout(self):
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout


def retry_after_seconds(value, default=1.0):
    """Seconds to wait from a ``Retry-After`` header: a number or an HTTP date."""
    if not value:
        return default
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _short(url):
    return url.split("?", 1)[0]


def _reason(error):
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "Connection reset"):
        if marker in text:
            return marker.lower()
    return text[:200]
