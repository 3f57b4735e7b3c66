"""A local HTTP proxy in front of the real pretix that misbehaves on request.

Used beside the real pretix, never instead of it: every answer that is not an armed fault
is pretix's own. Point a connector at ``injector.url`` instead of pretix's address, then
arm what should go wrong::

    injector = FaultInjector(pretix_url)
    injector.start()
    injector.arm("status", status=500, times=2)            # two HTTP 500s, then normal
    injector.arm("rate_limit", retry_after="1")            # one 429 with Retry-After: 1
    injector.arm("timeout", delay=2)                       # answers nothing for 2 s
    injector.arm("malformed_json", path="/orders/")        # 200 with broken JSON
    injector.arm("truncate", path="/orders/")              # pretix's answer, cut in half
    injector.arm("missing_fields", fields=["status"], index=3)   # drop a field of result 3
    injector.arm("reset")                                  # closes without an answer
    injector.go_down()   # connection refused until injector.come_back()
    injector.stop()

A fault applies to the next ``times`` requests whose path contains ``path`` (``times``
None: every one until ``disarm()``). ``injector.log`` lists what was requested and which
fault answered it. Only 127.0.0.1 is ever listened on or proxied to.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
import time
import urllib.parse

import requests

FAULTS = {
    "status",
    "rate_limit",
    "timeout",
    "malformed_json",
    "truncate",
    "missing_fields",
    "mutate",
    "reset",
}
HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "server",
    "date",
}


@dataclasses.dataclass
class Fault:
    kind: str
    path: str | None = None
    times: int | None = 1
    status: int = 500
    retry_after: str = "1"
    delay: float = 2.0
    fields: tuple[str, ...] = ()
    index: int | None = None
    mutate: object = None  # a callable(json) -> json for "mutate"

    def matches(self, path):
        return self.path is None or self.path in path


class FaultInjector:
    """A threaded proxy on 127.0.0.1 (stdlib http.server) with armable faults."""

    def __init__(self, upstream_url, port=0):
        parsed = urllib.parse.urlsplit(upstream_url)
        if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fault injector only proxies to this machine")
        self.upstream = upstream_url.rstrip("/")
        self._port = port
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None
        self.log: list[tuple[str, str, str | None]] = []
        self.upstream_session = requests.Session()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._port}"

    # --- lifecycle ------------------------------------------------------------------------
    def start(self):
        handler = type("Handler", (_Handler,), {"injector": self})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def go_down(self):
        """Stop listening: connections are refused until ``come_back()``."""
        self.stop()

    def come_back(self):
        """Listen again on the same port."""
        self.start()

    # --- faults -----------------------------------------------------------------------------
    def arm(self, kind, path=None, times=1, **options):
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {sorted(FAULTS)}")
        if "fields" in options:
            options["fields"] = tuple(options["fields"])
        fault = Fault(kind=kind, path=path, times=times, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def disarm(self):
        with self._lock:
            self._faults.clear()

    def _take_fault(self, path):
        with self._lock:
            for fault in self._faults:
                if fault.matches(path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def faults_answered(self, kind=None):
        """How many requests a fault (of ``kind``) answered."""
        return sum(1 for _m, _p, fault in self.log if fault and (kind is None or fault == kind))


class _Handler(http.server.BaseHTTPRequestHandler):
    injector: FaultInjector
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the stdlib's signature
        pass  # the injector keeps its own log

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def _handle(self):
        injector = self.injector
        fault = injector._take_fault(self.path)
        injector.log.append((self.command, self.path, fault.kind if fault else None))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if fault is None:
            self._proxy(body)
        else:
            getattr(self, f"_fault_{fault.kind}")(fault, body)

    # --- talking to pretix ----------------------------------------------------------------
    def _upstream(self, body):
        headers = {
            key: value for key, value in self.headers.items() if key.lower() not in HOP_HEADERS
        }
        # pretix builds its ``next`` links from the Host header: keep ours so that the
        # connector follows them through the injector too.
        headers["Host"] = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        return self.injector.upstream_session.request(
            self.command,
            self.injector.upstream + self.path,
            data=body,
            headers=headers,
            timeout=60,
            allow_redirects=False,
        )

    def _send(self, status, body, headers=(), content_type="application/json", length=None):
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _passed_headers(self, response):
        return [
            (key, value)
            for key, value in response.headers.items()
            if key.lower() not in HOP_HEADERS and key.lower() != "content-type"
        ]

    def _proxy(self, body):
        response = self._upstream(body)
        self._send(
            response.status_code,
            response.content,
            self._passed_headers(response),
            response.headers.get("Content-Type", "application/json"),
        )

    # --- faults -----------------------------------------------------------------------------
    def _fault_status(self, fault, body):
        self._send(fault.status, json.dumps({"detail": "injected server error"}).encode())

    def _fault_rate_limit(self, fault, body):
        self._send(
            429,
            json.dumps({"detail": "Request was throttled."}).encode(),
            [("Retry-After", fault.retry_after)],
        )

    def _fault_timeout(self, fault, body):
        time.sleep(fault.delay)
        self.close_connection = True

    def _fault_reset(self, fault, body):
        self.close_connection = True

    def _fault_malformed_json(self, fault, body):
        self._send(200, b'{"count": 3, "next": null, "results": [{"code": "AB', [])

    def _fault_truncate(self, fault, body):
        response = self._upstream(body)
        content = response.content[: max(1, len(response.content) // 2)]
        self._send(response.status_code, content, self._passed_headers(response))

    def _fault_missing_fields(self, fault, body):
        def drop(record):
            for field in fault.fields:
                record.pop(field, None)

        self._rewrite(body, fault.index, drop)

    def _fault_mutate(self, fault, body):
        response = self._upstream(body)
        data = fault.mutate(response.json())
        self._send(response.status_code, json.dumps(data).encode(), self._passed_headers(response))

    def _rewrite(self, body, index, change):
        """Change one result (``index``) or every result of pretix's answer."""
        response = self._upstream(body)
        data = response.json()
        records = data["results"] if isinstance(data, dict) and "results" in data else [data]
        targets = records if index is None else records[index : index + 1]
        for record in targets:
            change(record)
        self._send(response.status_code, json.dumps(data).encode(), self._passed_headers(response))
