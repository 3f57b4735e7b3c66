"""The pretix connector against a real pretix (started once per session by conftest.py).

Every state asserted here is one pretix itself produced through its REST API: the tests
place, pay, cancel, refund, expire, change and delete orders, then read them back through
``PretixAdapter`` the way the scheduled sync does.
"""

import datetime as dt

import pytest
from pretix_server import ANNA, CONSENT_QUESTION, PIET, PRICES, Ticket, WebhookRecorder

from odoo.addons.culture_crm_ticketing.connectors.pretix import PretixAdapter
from odoo.addons.culture_crm_ticketing.connectors.records import ConnectionFailure, message_text


def adapter_for(client, **options):
    return PretixAdapter(
        client.url,
        client.organizer,
        client.token,
        consent_questions={CONSENT_QUESTION: "newsletter"},
        **options,
    )


def sync(adapter, cursor=None):
    """All orders from ``cursor`` on, as the importer would see them, and the cursor
    it would store at the end."""
    orders, errors, last_cursor = [], [], cursor
    for page in adapter.iter_pages(cursor):
        orders.extend(page.orders)
        errors.extend(page.errors)
        last_cursor = page.next_cursor
    return orders, errors, last_cursor


def one_order(client, event, code):
    return adapter_for(client).fetch_order(event.slug, code)


@pytest.fixture
def many_orders(pretix_many_orders):
    return pretix_many_orders


@pytest.fixture
def hamlet(pretix):
    return pretix.create_event("hamlet", "Hamlet", PRICES, genre="Toneel, Klassiek")


# --- connection ---------------------------------------------------------------------------
def test_connection_test_names_the_organizer_and_its_orders(many_orders):
    client, _event, _codes = many_orders
    assert message_text(adapter_for(client).test_connection()).endswith(": 55 orders")


def test_connection_test_fails_on_a_wrong_token(pretix):
    adapter = PretixAdapter(pretix.url, pretix.organizer, "x" * 64, max_attempts=1)
    with pytest.raises(ConnectionFailure, match="token"):
        adapter.test_connection()


def test_connection_test_fails_on_an_unknown_organizer(pretix):
    adapter = PretixAdapter(pretix.url, "bestaat-niet", pretix.token, max_attempts=1)
    with pytest.raises(ConnectionFailure):
        adapter.test_connection()


# --- paging and the cursor ----------------------------------------------------------------
def test_paging_yields_every_order_once_over_several_pages(many_orders):
    client, event, codes = many_orders
    pages = list(adapter_for(client).iter_pages(None))
    ids = [order.external_id for page in pages for order in page.orders]
    assert len(pages) >= 2
    assert all(len(page.orders) <= 50 for page in pages)
    assert sorted(ids) == sorted(f"{event.slug}-{code}" for code in codes)


def test_every_page_carries_a_cursor_to_store(many_orders):
    client, _event, _codes = many_orders
    pages = list(adapter_for(client).iter_pages(None))
    assert all(page.next_cursor for page in pages)


def test_resuming_from_a_committed_page_loses_no_order(many_orders):
    client, event, codes = many_orders
    adapter = adapter_for(client)
    first_page = next(adapter.iter_pages(None))
    rest, _errors, _cursor = sync(adapter, first_page.next_cursor)
    seen = {order.external_id for order in first_page.orders + rest}
    assert seen == {f"{event.slug}-{code}" for code in codes}


def test_order_changed_while_paging_is_still_read(many_orders):
    """An order of page one that changes before page two is read must not push another
    order past the page boundary (it would with pretix's numbered pages)."""
    client, event, codes = many_orders
    adapter = adapter_for(client)
    pages = adapter.iter_pages(None)
    first_page = next(pages)
    changed = first_page.orders[0].external_id.rsplit("-", 1)[1]
    client.update_email(event, changed, "anna.nieuw@example.nl")
    later = [order for page in pages for order in page.orders]
    seen = {order.external_id for order in first_page.orders + later}
    assert seen == {f"{event.slug}-{code}" for code in codes}
    assert any(
        order.external_id.endswith(changed) and order.buyer.email == "anna.nieuw@example.nl"
        for order in later
    )


def test_incremental_sync_reads_only_orders_changed_since_the_cursor(hamlet, pretix):
    first = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    second = pretix.create_order(hamlet, PIET, [Ticket("CJP")])
    adapter = adapter_for(pretix)
    _orders, _errors, cursor = sync(adapter)
    pretix.mark_paid(hamlet, second["code"])
    third = pretix.create_order(hamlet, PIET, [Ticket("Regulier")])
    orders, _errors, _cursor = sync(adapter, cursor)
    assert {order.external_id: order.state for order in orders} == {
        f"hamlet-{second['code']}": "paid",
        f"hamlet-{third['code']}": "pending",
    }
    assert f"hamlet-{first['code']}" not in {order.external_id for order in orders}


def test_sync_from_the_last_cursor_reads_nothing_when_nothing_changed(hamlet, pretix):
    pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    adapter = adapter_for(pretix)
    _orders, _errors, cursor = sync(adapter)
    orders, errors, _cursor = sync(adapter, cursor)
    assert (orders, errors) == ([], [])


# --- test mode ---------------------------------------------------------------------------
def test_test_mode_orders_are_marked_as_such(hamlet, pretix):
    live = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    test = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], testmode=True)
    orders, _errors, _cursor = sync(adapter_for(pretix))
    testmode = {order.external_id: order.testmode for order in orders}
    assert testmode == {f"hamlet-{live['code']}": False, f"hamlet-{test['code']}": True}


# --- performances and event series --------------------------------------------------------
@pytest.fixture
def kleinkunst(pretix):
    return pretix.create_event(
        "kleinkunst",
        "Kleinkunstavonden",
        {"Regulier": "19.50"},
        genre="Cabaret",
        subevents=[
            ("Kleinkunst: Najaar", dt.datetime(2027, 10, 1, 18, 0, tzinfo=dt.UTC)),
            ("Kleinkunst: Winter", dt.datetime(2027, 12, 3, 19, 0, tzinfo=dt.UTC)),
        ],
    )


def test_ticket_for_a_date_of_a_series_names_that_date(kleinkunst, pretix):
    order = pretix.create_order(
        kleinkunst, ANNA, [Ticket("Regulier", subevent=kleinkunst.subevents[1])]
    )
    record = one_order(pretix, kleinkunst, order["code"])
    assert [t.performance_external_id for t in record.tickets] == [
        f"kleinkunst/{kleinkunst.subevents[1]}"
    ]


def test_performances_are_plain_events_and_the_dates_of_series(hamlet, kleinkunst, pretix):
    performances = {
        performance.external_id: performance
        for page in adapter_for(pretix).iter_performance_pages()
        for performance in page.performances
    }
    first, second = (f"kleinkunst/{sub}" for sub in kleinkunst.subevents)
    assert set(performances) == {"hamlet", first, second}
    assert performances[second].name == "Kleinkunst: Winter"
    assert performances[second].date_begin == dt.datetime(2027, 12, 3, 19, 0, tzinfo=dt.UTC)
    assert performances[second].genres == ("Cabaret",)
    assert performances["hamlet"].genres == ("Toneel", "Klassiek")
    assert performances["hamlet"].venue.startswith("Grote Zaal")


def test_performance_sync_from_its_cursor_reads_only_changed_dates(kleinkunst, pretix):
    adapter = adapter_for(pretix)
    cursor = list(adapter.iter_performance_pages())[-1].next_cursor
    pretix.patch(
        f"events/kleinkunst/subevents/{kleinkunst.subevents[0]}/",
        {"name": {"nl": "Kleinkunst: Najaar (extra)"}},
    )
    changed = [
        performance.external_id
        for page in adapter.iter_performance_pages(cursor)
        for performance in page.performances
        if "/" in performance.external_id
    ]
    assert changed == [f"kleinkunst/{kleinkunst.subevents[0]}"]


def test_one_performance_is_fetched_by_its_external_id(kleinkunst, pretix):
    external_id = f"kleinkunst/{kleinkunst.subevents[0]}"
    performance = adapter_for(pretix).fetch_performance(external_id)
    assert (performance.external_id, performance.name) == (external_id, "Kleinkunst: Najaar")


# --- webhooks -----------------------------------------------------------------------------
def test_webhook_posts_the_minimal_trigger_for_a_placed_order(hamlet, pretix):
    recorder = WebhookRecorder()
    try:
        pretix.create_webhook(recorder.url)
        order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
        body = recorder.wait_for(lambda body: body.get("code") == order["code"])
    finally:
        recorder.stop()
    assert body is not None, "pretix sent no webhook"
    assert {key: body[key] for key in ("organizer", "event", "code", "action")} == {
        "organizer": pretix.organizer,
        "event": "hamlet",
        "code": order["code"],
        "action": "pretix.event.order.placed",
    }
