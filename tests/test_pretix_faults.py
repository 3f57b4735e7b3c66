"""The pretix connector when pretix misbehaves: a fault injector proxies to the real pretix
and breaks chosen answers. After every fault the connector either delivers every order
exactly once or stops with ConnectionFailure before yielding anything of the failed
request, so a stored cursor never skips an order.
"""

import pytest
from pretix_server import Buyer, Ticket

from odoo.addons.culture_crm_ticketing.connectors.pretix import PretixAdapter
from odoo.addons.culture_crm_ticketing.connectors.records import ConnectionFailure, RecordError

ANNA = Buyer("Anna", "de Vries", email="anna.devries@example.nl")
ORDERS_PATH = "/orders/?"  # the organizer's order list, not one order


@pytest.fixture(scope="module")
def seeded(pretix_server):
    """An organizer with three orders in one event, shared by the module: these tests
    only read it, through the injector."""
    client = pretix_server.new_organizer()
    event = client.create_event("faust", "Faust", {"Regulier": "25.00"})
    codes = [client.create_order(event, ANNA, [Ticket("Regulier")])["code"] for _ in range(3)]
    return client, event, codes


def adapter_through(injector, client, **options):
    options = {"timeout": (5, 30), "max_attempts": 3, "backoff": 0.01, **options}
    return PretixAdapter(injector.url, client.organizer, client.token, **options)


def synced_ids(adapter, cursor=None):
    return sorted(order.external_id for page in adapter.iter_pages(cursor) for order in page.orders)


def expected_ids(event, codes):
    return sorted(f"{event.slug}-{code}" for code in codes)


def test_a_few_server_errors_are_retried_and_nothing_is_lost(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("status", path=ORDERS_PATH, status=500, times=2)
    assert synced_ids(adapter_through(fault_injector, client)) == expected_ids(event, codes)
    assert fault_injector.faults_answered("status") == 2


def test_persistent_server_errors_stop_the_sync_without_a_page(fault_injector, seeded):
    client, _event, _codes = seeded
    fault_injector.arm("status", path=ORDERS_PATH, status=503, times=None)
    pages = adapter_through(fault_injector, client).iter_pages(None)
    with pytest.raises(ConnectionFailure, match="503"):
        next(pages)
    assert fault_injector.faults_answered("status") == 3


def test_rate_limit_is_honoured_and_the_sync_goes_on(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("rate_limit", path=ORDERS_PATH, retry_after="1")
    assert synced_ids(adapter_through(fault_injector, client)) == expected_ids(event, codes)
    assert fault_injector.faults_answered("rate_limit") == 1


def test_rate_limit_longer_than_allowed_stops_the_sync_at_once(fault_injector, seeded):
    client, _event, _codes = seeded
    fault_injector.arm("rate_limit", path=ORDERS_PATH, retry_after="3600")
    adapter = adapter_through(fault_injector, client, max_retry_after=60)
    with pytest.raises(ConnectionFailure, match="rate limited"):
        next(adapter.iter_pages(None))
    assert fault_injector.faults_answered("rate_limit") == 1


def test_a_timeout_is_retried(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("timeout", path=ORDERS_PATH, delay=3)
    adapter = adapter_through(fault_injector, client, timeout=(2, 2))
    assert synced_ids(adapter) == expected_ids(event, codes)


def test_pretix_that_never_answers_in_time_stops_the_sync(fault_injector, seeded):
    client, _event, _codes = seeded
    fault_injector.arm("timeout", path=ORDERS_PATH, delay=3, times=None)
    adapter = adapter_through(fault_injector, client, timeout=(2, 2), max_attempts=2)
    with pytest.raises(ConnectionFailure, match="did not answer"):
        next(adapter.iter_pages(None))


def test_a_connection_closed_without_answer_is_retried(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("reset", path=ORDERS_PATH)
    assert synced_ids(adapter_through(fault_injector, client)) == expected_ids(event, codes)


def test_pretix_down_stops_the_sync_and_it_resumes_when_back(fault_injector, seeded):
    client, event, codes = seeded
    adapter = adapter_through(fault_injector, client)
    fault_injector.go_down()
    with pytest.raises(ConnectionFailure, match="could not connect"):
        next(adapter.iter_pages(None))
    fault_injector.come_back()
    assert synced_ids(adapter) == expected_ids(event, codes)


def test_pretix_down_fails_the_connection_test(fault_injector, seeded):
    client, _event, _codes = seeded
    fault_injector.go_down()
    with pytest.raises(ConnectionFailure):
        adapter_through(fault_injector, client).test_connection()


def test_malformed_json_page_stops_the_sync_without_a_page(fault_injector, seeded):
    client, _event, _codes = seeded
    fault_injector.arm("malformed_json", path=ORDERS_PATH)
    with pytest.raises(ConnectionFailure, match="not valid JSON"):
        next(adapter_through(fault_injector, client).iter_pages(None))


def test_truncated_page_stops_the_sync_and_a_rerun_reads_everything(fault_injector, seeded):
    client, event, codes = seeded
    adapter = adapter_through(fault_injector, client)
    fault_injector.arm("truncate", path=ORDERS_PATH)
    with pytest.raises(ConnectionFailure):
        next(adapter.iter_pages(None))
    assert synced_ids(adapter) == expected_ids(event, codes)


def test_order_missing_a_field_becomes_a_record_error_and_the_page_goes_on(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("missing_fields", path=ORDERS_PATH, fields=["status"], index=1)
    pages = list(adapter_through(fault_injector, client).iter_pages(None))
    orders = [order for page in pages for order in page.orders]
    errors = [error for page in pages for error in page.errors]
    assert len(orders) == 2
    assert len(errors) == 1
    assert "status" in str(errors[0])
    assert errors[0].external_id in expected_ids(event, codes)
    assert errors[0].payload["code"] in codes


def test_order_with_a_wrong_type_becomes_a_record_error(fault_injector, seeded):
    client, _event, _codes = seeded

    def break_total(data):
        data["results"][0]["total"] = {"amount": "25.00"}
        return data

    fault_injector.arm("mutate", path=ORDERS_PATH, mutate=break_total)
    pages = list(adapter_through(fault_injector, client).iter_pages(None))
    errors = [error for page in pages for error in page.errors]
    assert [("total" in str(error), error.payload["total"]) for error in errors] == [
        (True, {"amount": "25.00"})
    ]


def test_single_order_with_malformed_json_is_a_record_error(fault_injector, seeded):
    client, event, codes = seeded
    fault_injector.arm("malformed_json", path=f"/orders/{codes[0]}/")
    with pytest.raises(RecordError) as caught:
        adapter_through(fault_injector, client).fetch_order(event.slug, codes[0])
    assert caught.value.external_id == f"{event.slug}-{codes[0]}"


def test_failure_on_a_later_page_keeps_what_was_committed_and_resumes(
    fault_injector, pretix_many_orders
):
    """The sync dies on page two; resuming from page one's cursor delivers the rest."""
    client, event, codes = pretix_many_orders
    adapter = adapter_through(fault_injector, client)
    pages = adapter.iter_pages(None)
    committed = next(pages)
    fault_injector.arm("status", path=ORDERS_PATH, status=502, times=None)
    with pytest.raises(ConnectionFailure):
        next(pages)
    fault_injector.disarm()
    rest = synced_ids(adapter, committed.next_cursor)
    delivered = {order.external_id for order in committed.orders} | set(rest)
    assert sorted(delivered) == expected_ids(event, codes)
