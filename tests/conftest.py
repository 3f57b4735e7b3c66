"""Fixtures for the end-to-end tests: a real pretix, and a fault injector beside it.

- ``pretix_server`` (session): one pretix for the whole run (pretix_server.PretixServer),
  started from the template ./setup/test prepared, stopped by its PID at the end.
- ``pretix`` (function): a ``PretixClient`` on an organizer of the test's own, so the
  orders one test makes never show up in another's sync. ``pretix.url``,
  ``pretix.organizer`` and ``pretix.token`` are what a backend is configured with.
- ``fault_injector`` (function): a ``FaultInjector`` proxying to that pretix; point the
  connector at ``fault_injector.url`` and arm faults with ``fault_injector.arm(...)``.
"""

import pytest
from fault_injector import FaultInjector
from pretix_server import PretixServer


@pytest.fixture(scope="session")
def pretix_server(tmp_path_factory):
    server = PretixServer.from_environment(tmp_path_factory.mktemp("pretix"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pretix(pretix_server):
    return pretix_server.new_organizer()


@pytest.fixture
def fault_injector(pretix_server):
    injector = FaultInjector(pretix_server.url)
    injector.start()
    try:
        yield injector
    finally:
        injector.stop()
