"""Orders through their whole life in a real pretix, read back one at a time.

pretix places, pays, cancels, refunds, expires, changes and deletes each order through its
own REST API; ``PretixAdapter.fetch_order`` (what a webhook triggers) then reads it. Each
test reads only its own orders by code, so the module shares one organizer and event;
the tests that sync whole organizers live in test_pretix_adapter.py.
"""

from decimal import Decimal

import pytest
from pretix_server import ANNA, CONSENT_QUESTION, PIET, PRICES, Ticket

from odoo.addons.culture_crm_ticketing.connectors.pretix import PretixAdapter
from odoo.addons.culture_crm_ticketing.connectors.records import message_text


@pytest.fixture(scope="module")
def pretix(pretix_server):
    """One organizer for the whole module (overrides conftest's one per test)."""
    return pretix_server.new_organizer()


@pytest.fixture(scope="module")
def hamlet(pretix):
    return pretix.create_event("hamlet", "Hamlet", PRICES, genre="Toneel, Klassiek")


def adapter_for(client):
    return PretixAdapter(
        client.url,
        client.organizer,
        client.token,
        consent_questions={CONSENT_QUESTION: "newsletter"},
    )


def one_order(client, event, code):
    return adapter_for(client).fetch_order(event.slug, code)


# --- the order lifecycle ------------------------------------------------------------------
def test_placed_order_is_pending_with_its_tickets(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier"), Ticket("CJP")])
    record = one_order(pretix, hamlet, order["code"])
    assert record.state == "pending"
    assert sorted((t.ticket_type, t.price) for t in record.tickets) == [
        ("CJP", Decimal("15.00")),
        ("Regulier", Decimal("27.50")),
    ]
    assert record.total == Decimal("42.50")
    assert record.currency == "EUR"


def test_paid_order_is_paid_with_its_payment_date(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    pretix.mark_paid(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert record.state == "paid"
    assert record.paid_at is not None
    assert not any(ticket.canceled for ticket in record.tickets)


def test_canceled_unpaid_order_is_canceled_with_canceled_tickets(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    pretix.cancel(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert record.state == "canceled"
    assert all(ticket.canceled for ticket in record.tickets)


def test_order_canceled_after_payment_without_refund_is_canceled(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
    pretix.cancel(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert (record.state, record.refunded_amount) == ("canceled", Decimal(0))


def test_refunded_and_canceled_order_is_refunded(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    pretix.mark_paid(hamlet, order["code"])
    pretix.refund(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert (record.state, record.refunded_amount) == ("refunded", Decimal("27.50"))
    assert all(ticket.canceled for ticket in record.tickets)


def test_refund_after_the_cancellation_turns_the_order_refunded(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
    pretix.cancel(hamlet, order["code"])
    pretix.refund(hamlet, order["code"], cancel=False)
    record = one_order(pretix, hamlet, order["code"])
    assert (record.state, record.refunded_amount) == ("refunded", Decimal("27.50"))


def test_partly_refunded_order_that_stays_valid_is_paid(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
    pretix.refund(hamlet, order["code"], amount="5.00", cancel=False)
    record = one_order(pretix, hamlet, order["code"])
    assert (record.state, record.refunded_amount) == ("paid", Decimal("5.00"))


def test_canceled_with_a_cancellation_fee_keeps_the_order_paid_but_not_its_tickets(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], paid=True)
    pretix.cancel(hamlet, order["code"], cancellation_fee="2.50")
    record = one_order(pretix, hamlet, order["code"])
    assert record.state == "paid"
    assert record.total == Decimal("2.50")
    assert all(ticket.canceled for ticket in record.tickets)


def test_expired_order_is_expired_with_invalid_tickets(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    pretix.expire(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert record.state == "expired"
    assert all(ticket.canceled for ticket in record.tickets)


def test_changed_order_shows_added_tickets_and_canceled_ones(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier"), Ticket("CJP")], paid=True)
    cjp = next(p["id"] for p in order["positions"] if p["item"] == hamlet.items["CJP"])
    pretix.change_positions(
        hamlet, order["code"], add=[Ticket("Regulier", attendee=PIET)], remove=[cjp]
    )
    record = one_order(pretix, hamlet, order["code"])
    tickets = {ticket.external_id: ticket for ticket in record.tickets}
    assert tickets[str(cjp)].canceled
    assert len(tickets) == 3
    assert [t.attendee.email for t in record.tickets if not t.canceled].count(PIET.email) == 1


def test_deleted_test_mode_order_is_fetched_as_deleted(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")], testmode=True)
    pretix.delete(hamlet, order["code"])
    record = one_order(pretix, hamlet, order["code"])
    assert (record.external_id, record.state) == (f"hamlet-{order['code']}", "deleted")


def test_refetching_by_external_id_gives_the_current_state(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    adapter = adapter_for(pretix)
    external_id = adapter.fetch_order("hamlet", order["code"]).external_id
    pretix.mark_paid(hamlet, order["code"])
    assert adapter.refetch_order(external_id).state == "paid"


# --- people and consent -------------------------------------------------------------------
def test_buyer_carries_name_contact_address_and_language(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier")])
    buyer = one_order(pretix, hamlet, order["code"]).buyer
    assert (buyer.name, buyer.given_name, buyer.family_name) == (
        "Anna de Vries",
        "Anna",
        "de Vries",
    )
    assert (buyer.email, buyer.phone) == ("anna.devries@example.nl", "+31612345678")
    assert (buyer.street, buyer.zip, buyer.city, buyer.country_code) == (
        "Keizersgracht 12",
        "1015 CS",
        "Amsterdam",
        "NL",
    )
    assert buyer.language == "nl"


def test_attendee_of_a_ticket_can_differ_from_the_buyer(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier"), Ticket("CJP", attendee=PIET)])
    record = one_order(pretix, hamlet, order["code"])
    assert sorted(ticket.attendee.email for ticket in record.tickets) == [
        "anna.devries@example.nl",
        "piet.jansen@example.nl",
    ]


def test_consent_answer_maps_to_the_backends_purpose(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier", consent=True)])
    record = one_order(pretix, hamlet, order["code"])
    assert [(c.question, c.granted, c.purpose) for c in record.consents] == [
        (CONSENT_QUESTION, True, "newsletter")
    ]


def test_refused_consent_is_a_consent_answer_too(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier", consent=False)])
    record = one_order(pretix, hamlet, order["code"])
    assert [(c.granted, c.purpose) for c in record.consents] == [(False, "newsletter")]


def test_unmapped_question_gives_no_consent(hamlet, pretix):
    order = pretix.create_order(hamlet, ANNA, [Ticket("Regulier", consent=True)])
    adapter = PretixAdapter(pretix.url, pretix.organizer, pretix.token, consent_questions={})
    assert adapter.fetch_order("hamlet", order["code"]).consents == ()


def test_consent_is_taken_from_the_buyers_own_ticket(hamlet, pretix):
    order = pretix.create_order(
        hamlet,
        ANNA,
        [Ticket("Regulier", consent=True), Ticket("CJP", attendee=PIET, consent=False)],
    )
    record = one_order(pretix, hamlet, order["code"])
    assert [c.granted for c in record.consents] == [True]


# --- what real box offices send -------------------------------------------------------------
def place(client, event, positions, **order):
    """An order posted to pretix as its box office, POS or a reseller would make it."""
    payload = {
        "email": None,
        "locale": "nl",
        "sales_channel": "web",
        "status": "p",
        "payment_provider": "manual",
        "send_email": False,
        **order,
        "positions": positions,
    }
    return client.post(f"events/{event.slug}/orders/", payload)


def test_box_office_sale_without_email_or_name_is_an_order_with_its_ticket(hamlet, pretix):
    order = place(pretix, hamlet, [{"item": hamlet.items["Regulier"]}])
    record = one_order(pretix, hamlet, order["code"])
    assert (record.state, record.buyer.email, record.buyer.name) == ("paid", None, None)
    assert [ticket.price for ticket in record.tickets] == [Decimal("27.50")]


def test_business_address_without_a_person_takes_the_ticket_holders_name(hamlet, pretix):
    positions = [
        {"item": hamlet.items["Regulier"]},  # a first ticket nobody's name is on
        {
            "item": hamlet.items["Regulier"],
            "attendee_name_parts": {"given_name": "Piet", "family_name": "Puk"},
        },
    ]
    address = {
        "company": "Acme B.V.",
        "is_business": True,
        "name_parts": {"_scheme": "given_family"},
        "country": "NL",
    }
    order = place(pretix, hamlet, positions, email="inkoop@acme.nl", invoice_address=address)
    buyer = one_order(pretix, hamlet, order["code"]).buyer
    assert (buyer.name, buyer.given_name, buyer.company) == ("Piet Puk", "Piet", "Acme B.V.")


def test_business_without_any_person_is_known_by_its_company(hamlet, pretix):
    address = {"company": "Stichting Cultuurfonds", "is_business": True, "country": "NL"}
    order = place(
        pretix,
        hamlet,
        [{"item": hamlet.items["Regulier"]}],
        email="info@cultuurfonds.nl",
        invoice_address=address,
    )
    assert one_order(pretix, hamlet, order["code"]).buyer.name == "Stichting Cultuurfonds"


@pytest.mark.parametrize(
    ("name_parts", "name"),
    [
        (
            {
                "_scheme": "salutation_title_given_family_degree",
                "salutation": "Mr",
                "title": "Dr.",
                "given_name": "Jan",
                "family_name": "de Boer",
                "degree": "MSc",
            },
            "Jan de Boer",
        ),
        ({"_scheme": "family_comma_given", "given_name": "Jan", "family_name": "Berg"}, "Jan Berg"),
        (
            {
                "_scheme": "calling_full",
                "full_name": "Johannes Petrus Jansen",
                "calling_name": "Hans",
            },
            "Johannes Petrus Jansen",
        ),
        (
            {
                "_scheme": "full_transcription",
                "full_name": "山田花子",
                "latin_transcription": "Yamada",
            },
            "山田花子",
        ),
    ],
)
def test_buyer_name_of_every_name_scheme_is_the_persons_own(hamlet, pretix, name_parts, name):
    address = {"name_parts": name_parts, "country": "NL"}
    order = place(
        pretix,
        hamlet,
        [{"item": hamlet.items["Regulier"]}],
        email="naam@example.nl",
        invoice_address=address,
    )
    assert one_order(pretix, hamlet, order["code"]).buyer.name == name


@pytest.fixture(scope="module")
def questions(hamlet, pretix):
    """A choice question in words, a multiple-choice one and a free-text one."""
    items = list(hamlet.items.values())

    def question(identifier, kind, options=()):
        return pretix.post(
            f"events/{hamlet.slug}/questions/",
            {
                "question": {"nl": identifier, "en": identifier},
                "type": kind,
                "required": False,
                "items": items,
                "identifier": identifier,
                "options": [
                    {"answer": {"nl": nl, "en": en}, "identifier": code} for nl, en, code in options
                ],
            },
        )

    made = [
        question(
            "INFO",
            "C",
            [("Ja, houd me op de hoogte", "Yes, keep me posted", "OPTIN"), ("Nee", "No", "OPTOUT")],
        ),
        question(
            "POST", "M", [("Nieuwsbrief", "Newsletter", "NB"), ("Brochure", "Brochure", "BR")]
        ),
        question("OPMERKING", "T"),
    ]
    return {q["identifier"]: q for q in made}


def answered(pretix, hamlet, questions, answers, locale="en"):
    """An order whose ticket answers ``answers`` ({identifier: option codes or text})."""
    rows = []
    for identifier, value in answers.items():
        question = questions[identifier]
        options = {option["identifier"]: option["id"] for option in question["options"]}
        if isinstance(value, list):
            rows.append(
                {"question": question["id"], "answer": "x", "options": [options[v] for v in value]}
            )
        else:
            rows.append({"question": question["id"], "answer": value})
    position = {"item": hamlet.items["Regulier"], "answers": rows}
    return place(pretix, hamlet, [position], email="antwoord@example.nl", locale=locale)["code"]


def consents_of(pretix, hamlet, code, mapping):
    adapter = PretixAdapter(pretix.url, pretix.organizer, pretix.token, consent_questions=mapping)
    record = adapter.fetch_order(hamlet.slug, code)
    return {c.question: c.granted for c in record.consents}, record.warnings


def test_choice_answer_in_the_buyers_language_is_read_from_its_option(hamlet, pretix, questions):
    yes = answered(pretix, hamlet, questions, {"INFO": ["OPTIN"]})
    no = answered(pretix, hamlet, questions, {"INFO": ["OPTOUT"]}, locale="nl")
    assert consents_of(pretix, hamlet, yes, {"INFO": "newsletter"}) == ({"INFO": True}, ())
    assert consents_of(pretix, hamlet, no, {"INFO": "newsletter"}) == ({"INFO": False}, ())


def test_each_option_of_a_multiple_choice_question_maps_to_its_own_purpose(
    hamlet, pretix, questions
):
    code = answered(pretix, hamlet, questions, {"POST": ["BR"]})
    mapping = {"POST/NB": "newsletter", "POST/BR": "brochure"}
    assert consents_of(pretix, hamlet, code, mapping) == ({"POST/NB": False, "POST/BR": True}, ())


def test_answer_that_is_neither_yes_nor_no_is_a_warning_not_a_consent(hamlet, pretix, questions):
    code = answered(pretix, hamlet, questions, {"OPMERKING": "graag rolstoelplek", "POST": ["NB"]})
    consents, warnings = consents_of(pretix, hamlet, code, {"OPMERKING": "x", "POST": "y"})
    assert consents == {}
    assert len(warnings) == 2
    assert "graag rolstoelplek" in message_text(warnings[0])
    assert "POST/OPTION" in message_text(warnings[1])
