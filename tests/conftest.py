"""Fixtures for the end-to-end tests: a real pretix, and a fault injector beside it.

- ``pretix_server`` (session): one pretix for the whole run (pretix_server.PretixServer),
  started from the template ./setup/test prepared, stopped by its PID at the end.
- ``pretix`` (function): a ``PretixClient`` on an organizer of the test's own, so the
  orders one test makes never show up in another's sync. ``pretix.url``,
  ``pretix.organizer`` and ``pretix.token`` are what a backend is configured with.
- ``pretix_many_orders`` (session): ``(client, event, codes)``, an organizer with 55
  orders in one event, more than one page of pretix's 50. Tests may change its orders
  but add none.
- ``fault_injector`` (function): a ``FaultInjector`` proxying to that pretix; point the
  connector at ``fault_injector.url`` and arm faults with ``fault_injector.arm(...)``.
"""

import pytest
from fault_injector import FaultInjector
from pretix_server import Buyer, PretixServer, Ticket


@pytest.fixture(scope="session")
def pretix_server(request, tmp_path_factory):
    server = PretixServer.from_environment(tmp_path_factory.mktemp("pretix"))
    server.start()
    request.config._culture_crm_pretix = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pretix(pretix_server):
    return pretix_server.new_organizer()


@pytest.fixture(scope="session")
def pretix_many_orders(pretix_server):
    client = pretix_server.new_organizer()
    event = client.create_event(
        "gijsbrecht", "Gijsbrecht van Aemstel", {"Regulier": "27.50"}, genre="Toneel"
    )
    buyer = Buyer("Anna", "de Vries", email="anna.devries@example.nl")
    codes = [
        client.create_order(event, buyer, [Ticket("Regulier", consent=index % 2 == 0)])["code"]
        for index in range(55)
    ]
    return client, event, codes


@pytest.fixture
def fault_injector(pretix_server):
    injector = FaultInjector(pretix_server.url)
    injector.start()
    try:
        yield injector
    finally:
        injector.stop()


def pytest_terminal_summary(terminalreporter):
    """Say how long pretix took to start, so a slow start shows in every run's log."""
    server = getattr(terminalreporter.config, "_culture_crm_pretix", None)
    if server is not None and server.startup_seconds is not None:
        terminalreporter.write_line(
            f"pretix {server.url} started in {server.startup_seconds:.1f} s"
        )
