# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytest

from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from ..connectors.records import PersonRecord
from ..pipeline.identity import is_placeholder_email, is_placeholder_name, parse_house_emails
from .common import TicketingCase, order, page, person, ticket


class TestIdentityResolution(TicketingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create(
            {
                "name": "Anna de Vries",
                "email": "Anna@Example.nl",
                "zip": "3511 AB",
                "street": "Oudegracht 12",
            }
        )
        cls.kees = Partner.create(
            {"name": "Kees Bakker", "phone": "+31 6 12345678", "zip": "1012 AB"}
        )
        cls.maria = Partner.create(
            {
                "name": "Maria Jansen",
                "zip": "2511 CV",
                "street": "Lange Voorhout 7",
                "city": "Den Haag",
            }
        )

    def test_a_buyer_is_found_by_email(self):
        self.sync(page(order("I1", buyer=person("A. de Vries", "anna@example.nl"))))
        found = self.order_of("I1")
        self.assertEqual(found.partner_id, self.anna)
        self.assertEqual((found.match_method, found.match_state), ("email", "confirmed"))
        self.assertEqual(found.match_confidence, 1.0)

    def test_a_buyer_whose_email_was_mistyped_at_the_desk_is_found_by_email(self):
        self.sync(page(order("I13", buyer=person("Anna de Vries", "anna @example,nl"))))
        found = self.order_of("I13")
        self.assertEqual((found.partner_id, found.match_method), (self.anna, "email"))

    def test_another_person_buying_with_a_contacts_email_is_queued_not_merged_into_it(self):
        """Piet buys with the household address that Anna's contact holds: linked to
        Anna only provisionally, and a steward decides (a new contact, or Anna after all)."""
        self.backend.reviewer_id = self.env.ref("base.user_admin")
        self.sync(page(order("I7", buyer=person("Piet de Vries", "anna@example.nl"))))
        found = self.order_of("I7")
        self.assertEqual(found.partner_id, self.anna, "linked provisionally")
        self.assertEqual((found.match_method, found.match_state), ("email", "review"))
        self.assertLess(found.match_confidence, 0.7)
        self.assertEqual(self.backend.review_count, 1)

    def test_a_buyer_without_a_name_is_the_contact_holding_the_email(self):
        self.sync(page(order("I8", buyer=person("", "anna@example.nl"))))
        found = self.order_of("I8")
        self.assertEqual(found.partner_id, self.anna)
        self.assertEqual((found.match_method, found.match_state), ("email", "confirmed"))

    def test_another_first_name_on_a_contacts_mobile_is_queued(self):
        buyer = person("Piet Bakker", "piet@example.nl", phone="06 12 34 56 78")
        self.sync(page(order("I9", buyer=buyer)))
        found = self.order_of("I9")
        self.assertEqual((found.partner_id, found.match_state), (self.kees, "review"))

    def test_a_buyer_is_found_by_phone_written_otherwise(self):
        buyer = person("Kees Bakker", "kees.nieuw@example.nl", phone="06-12 34 56 78")
        self.sync(page(order("I2", buyer=buyer)))
        found = self.order_of("I2")
        self.assertEqual(found.partner_id, self.kees)
        self.assertEqual(found.match_method, "phone")

    def test_a_buyer_is_found_by_a_mobile_given_beside_a_landline(self):
        """An export with a phone and a mobile column: the contact holds the mobile, the
        order's phone is the family's landline, which nobody in the CRM has."""
        buyer = person(
            "Kees Bakker", "kees.werk@example.nl", phone="010 123 45 67", mobile="0612345678"
        )
        self.sync(page(order("I10", buyer=buyer)))
        found = self.order_of("I10")
        self.assertEqual((found.partner_id, found.match_method), (self.kees, "phone"))

    def test_a_new_buyer_keeps_both_numbers(self):
        buyer = person("Sanne Smit", "sanne@example.nl", phone="050 123 4567", mobile="06-87654321")
        self.sync(page(order("I11", buyer=buyer)))
        sanne = self.contact("sanne@example.nl")
        self.assertEqual((sanne.phone, sanne.mobile), ("+31 50 123 4567", "+31 6 87654321"))
        self.assertEqual(self.order_of("I11").match_method, "new")

    def test_a_buyer_like_a_contact_by_name_and_address_is_queued_not_guessed(self):
        self.backend.reviewer_id = self.env.ref("base.user_admin")
        buyer = person("Maria Jansen", None, zip="2511CV", street="Lange Voorhout 7")
        self.sync(page(order("I3", buyer=buyer)))
        found = self.order_of("I3")
        self.assertEqual(found.partner_id, self.maria, "linked provisionally")
        self.assertEqual((found.match_method, found.match_state), ("fuzzy", "review"))
        self.assertEqual(found.match_confidence, 0.75)
        self.assertEqual(
            found.activity_ids.activity_type_id,
            self.env.ref("culture_crm_ticketing.mail_activity_review_match"),
        )
        self.assertEqual(self.backend.review_count, 1)

    def test_a_buyer_above_the_certain_threshold_is_linked_without_review(self):
        self.env["ir.config_parameter"].set_param("culture_crm.duplicate_threshold_certain", 75)
        buyer = person("Maria Jansen", None, zip="2511CV", street="Lange Voorhout 7")
        self.sync(page(order("I4", buyer=buyer)))
        found = self.order_of("I4")
        self.assertEqual(found.partner_id, self.maria)
        self.assertEqual((found.match_method, found.match_state), ("fuzzy", "confirmed"))

    def test_a_buyer_like_two_contacts_names_both_as_candidates(self):
        household = self.env["res.partner"].create(
            {"name": "M. Jansen", "zip": "2511 CV", "street": "Lange Voorhout 7"}
        )
        buyer = person("Maria Jansen", None, zip="2511 CV", street="Lange Voorhout 7")
        self.sync(page(order("I5", buyer=buyer)))
        found = self.order_of("I5")
        self.assertEqual(found.match_state, "review")
        self.assertEqual(found.match_candidate_ids, self.maria | household)
        self.assertEqual(found.partner_id, self.maria, "the likeliest one, provisionally")

    def test_two_contacts_sharing_the_buyers_email_are_told_apart_by_name(self):
        self.env["res.partner"].create({"name": "Piet de Vries", "email": "anna@example.nl"})
        self.sync(page(order("I11", buyer=person("Anna de Vries", "anna@example.nl"))))
        found = self.order_of("I11")
        self.assertEqual(found.partner_id, self.anna)
        self.assertEqual((found.match_method, found.match_state), ("email", "confirmed"))

    def test_a_steward_settles_a_queued_buyer(self):
        buyer = person("Maria Jansen", None, zip="2511CV", street="Lange Voorhout 7")
        self.sync(page(order("I6", buyer=buyer)))
        queued = self.order_of("I6")
        self.assertEqual(queued.match_state, "review")
        queued.action_confirm_match()
        self.assertEqual((queued.match_state, queued.match_method), ("confirmed", "manual"))
        self.assertEqual(queued.match_confidence, 1.0)
        self.assertEqual(queued.ticket_ids.partner_id, self.maria)
        self.assertEqual(self.maria.audience_order_count, 1)

    def test_a_steward_may_decide_the_buyer_is_someone_new(self):
        buyer = person("Jansen, Maria", None, zip="2511CV", street="Lange Voorhout 7")
        self.sync(page(order("I7", buyer=buyer)))
        queued = self.order_of("I7")
        queued.action_new_contact()
        self.assertNotEqual(queued.partner_id, self.maria)
        self.assertEqual(queued.partner_id.name, "Maria Jansen", "given name first")
        self.assertEqual(queued.ticket_ids.partner_id, queued.partner_id)
        self.assertEqual(self.maria.audience_order_count, 0)

    def test_an_unknown_buyer_becomes_a_new_contact_in_the_audience(self):
        buyer = person("Sanne Smit", "sanne@example.nl", zip="9711 AA", city="Groningen")
        self.sync(page(order("I6", buyer=buyer)))
        sanne = self.contact("sanne@example.nl")
        self.assertEqual(sanne.name, "Sanne Smit")
        self.assertEqual(sanne.zip, "9711 AA")
        self.assertEqual(self.order_of("I6").match_method, "new")
        audience = self.env.ref("culture_crm.relation_type_audience")
        role = sanne.culture_role_ids.filtered(lambda r: r.relation_type_id == audience)
        self.assertEqual(role.source, "ticketing")

    def test_a_new_buyers_language_is_read_from_a_code_or_a_name(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        languages = {"nl-informal": "nl_NL", "Nederlands": "nl_NL", "NL": "nl_NL", "Klingon": None}
        for n, (language, lang) in enumerate(languages.items()):
            email = f"taal{n}@example.nl"
            buyer = person(f"Taal Tester{n}", email, language=language)
            self.sync(page(order(f"L{n}", buyer=buyer)))
            expected = lang or self.env["res.partner"].default_get(["lang"])["lang"]
            self.assertEqual(self.contact(email).lang, expected, language)

    def test_a_bare_language_code_is_read_in_the_halls_country(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["res.lang"]._activate_lang("nl_BE")
        for code, email in (("nl", "sanne@example.nl"), ("be", "els@example.be")):
            self.backend.default_country_id = self.env.ref(f"base.{code}")
            buyer = person(f"Koper {code}", email, language="nl")
            self.sync(page(order(f"L-{code}", buyer=buyer)))
        self.assertEqual(self.contact("sanne@example.nl").lang, "nl_NL")
        self.assertEqual(self.contact("els@example.be").lang, "nl_BE", "Flemish at a Flemish hall")
        self.backend.default_country_id = self.env.ref("base.nl")
        buyer = person("Jef Maes", "jef@example.be", language="nl-informal", country_code="BE")
        self.sync(page(order("L-jef", buyer=buyer)))
        self.assertEqual(self.contact("jef@example.be").lang, "nl_BE", "a Fleming at a Dutch hall")

    def test_a_new_buyer_written_surname_first_is_shown_given_name_first(self):
        """Exports that write 'Vries, Jan de' in one name column: the contact reads as
        a letter is addressed, the order keeps what the ticketing system said."""
        self.sync(page(order("I14", buyer=person("Vries, Jan de", "jan.devries@example.nl"))))
        self.assertEqual(self.contact("jan.devries@example.nl").name, "Jan de Vries")
        self.assertEqual(self.order_of("I14").buyer_name, "Vries, Jan de")

    def test_one_new_buyer_with_several_orders_becomes_one_contact(self):
        buyer = person("Sanne Smit", "sanne@example.nl")
        self.sync(page(order("I8", buyer=buyer), order("I12", buyer=buyer)))
        self.assertEqual(len(self.contact("sanne@example.nl")), 1)
        self.assertEqual(self.contact("sanne@example.nl").audience_order_count, 2)

    def test_desk_sales_typed_with_the_box_office_address_stay_anonymous(self):
        self.backend.house_emails = "kassa@dekade.nl\n"
        self.sync(
            page(
                order("K1", buyer=person("Kassa", "kassa@dekade.nl")),
                order("K2", buyer=person("Kassaverkoop", "Kassa@DeKade.nl")),
                order("K3", buyer=person("Anoniem", "geen@email.nl")),
            )
        )
        for code in ("K1", "K2", "K3"):
            with self.subTest(order=code):
                desk_sale = self.order_of(code)
                self.assertTrue(desk_sale, self.Issue.search([]).mapped("error"))
                self.assertFalse(desk_sale.partner_id)
                self.assertTrue(desk_sale.buyer_email, "what the box office typed is kept")
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.assertFalse(Partner.search([("email", "in", ("kassa@dekade.nl", "geen@email.nl"))]))
        self.assertFalse(Partner.search([("name", "in", ("Kassa", "Kassaverkoop", "Anoniem"))]))

    def test_a_sale_at_the_desk_without_any_buyer_data_is_imported_without_a_buyer(self):
        """pretixPOS and most box offices sell at the desk without asking who buys."""
        self.sync(page(order("POS1", buyer=PersonRecord())))
        desk_sale = self.order_of("POS1")
        self.assertTrue(desk_sale, self.Issue.search([]).mapped("error"))
        self.assertFalse(desk_sale.partner_id)
        self.assertEqual(len(desk_sale.ticket_ids), 2)
        self.assertFalse(desk_sale.ticket_ids.partner_id)

    def test_named_buyers_behind_a_placeholder_address_are_told_apart(self):
        self.sync(
            page(
                order("G1", buyer=person("Sanne Smit", "geen@email.nl", zip="9711 AA")),
                order("G2", buyer=person("Bram Jansen", "geen@email.nl", zip="1012 AB")),
                order("G3", buyer=person("Kees Bakker", "onbekend@dekade.nl", phone="0612345678")),
            )
        )
        sanne, bram = self.order_of("G1").partner_id, self.order_of("G2").partner_id
        self.assertEqual(sanne.name, "Sanne Smit")
        self.assertEqual(bram.name, "Bram Jansen")
        self.assertFalse(sanne.email or bram.email, "a placeholder is nobody's address")
        self.assertEqual(self.order_of("G3").partner_id, self.kees, "found by phone")

    def test_one_new_buyer_with_two_addresses_and_one_mobile_in_a_batch_is_one_contact(self):
        """As it would be over two syncs: the second order is hers by her mobile."""
        self.sync(
            page(
                order("M1", buyer=person("Sanne Smit", "sanne@werk.nl", phone="0687654321")),
                order("M2", buyer=person("Sanne Smit", "sanne@thuis.nl")),
                order("M3", buyer=person("Sanne Smit", "sanne@thuis.nl", phone="06-87654321")),
            )
        )
        sanne = self.order_of("M1").partner_id
        self.assertTrue(sanne)
        self.assertEqual(self.order_of("M2").partner_id, sanne)
        self.assertEqual(self.order_of("M3").partner_id, sanne)
        self.assertEqual(sanne.audience_order_count, 3)

    def test_a_new_buyer_like_an_earlier_new_buyer_of_the_batch_is_queued_as_over_two_syncs(
        self,
    ):
        self.backend.reviewer_id = self.env.ref("base.user_admin")
        first = person("Joost Mulder", "joost@mulder.nl", zip="3512 JE", street="Nieuwegracht 40")
        again = person("Joost Mulder", None, zip="3512JE", street="Nieuwegracht 40")
        self.sync(page(order("W1", buyer=first), order("W2", buyer=again)))
        joost = self.order_of("W1").partner_id
        found = self.order_of("W2")
        self.assertEqual(found.partner_id, joost, "linked provisionally")
        self.assertEqual((found.match_method, found.match_state), ("fuzzy", "review"))
        self.assertEqual(found.match_candidate_ids, joost)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Joost Mulder")]), 1)

        # The same two orders over two syncs (another box office) end the same way.
        other = self.backend.copy({"name": "Kassa Zomerfestival"})
        self.sync(page(order("W1", buyer=first)), backend=other)
        self.sync(page(order("W2", buyer=again)), backend=other)
        found_later = self.order_of("W2", backend=other)
        self.assertEqual(found_later.partner_id, joost)
        self.assertEqual((found_later.match_method, found_later.match_state), ("fuzzy", "review"))
        self.assertEqual(found_later.match_confidence, found.match_confidence)

    def test_a_household_sharing_a_landline_in_a_batch_stays_two_contacts(self):
        self.sync(
            page(
                order("H1", buyer=person("Lies Kok", None, phone="030-2345678")),
                order("H2", buyer=person("Gert Kok", None, phone="030 234 5678")),
            )
        )
        lies, gert = self.order_of("H1").partner_id, self.order_of("H2").partner_id
        self.assertTrue(lies and gert)
        self.assertNotEqual(lies, gert)
        self.assertEqual((lies.name, gert.name), ("Lies Kok", "Gert Kok"))

    def test_an_attendee_is_matched_when_the_backend_says_so(self):
        self.backend.match_attendees = True
        seat = ticket(attendee=person("Kees Bakker", "kees@example.nl"))
        self.sync(page(order("I9", tickets=[seat, ticket()])))
        kees = self.contact("kees@example.nl")
        visitors = self.order_of("I9").ticket_ids.partner_id
        self.assertEqual(visitors, self.anna | kees)
        self.assertEqual(kees.audience_visits_total, 1)

    def test_attendees_are_the_buyer_unless_the_backend_says_otherwise(self):
        seat = ticket(attendee=person("Kees Bakker", "kees@example.nl"))
        self.sync(page(order("I10", tickets=[seat])))
        self.assertEqual(self.order_of("I10").ticket_ids.partner_id, self.anna)
        self.assertFalse(self.contact("kees@example.nl"))


class TestStewardReview(TicketingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.maria = cls.env["res.partner"].create(
            {"name": "Maria Jansen", "zip": "2511 CV", "street": "Lange Voorhout 7"}
        )
        cls.steward = new_test_user(
            cls.env, login="tix_steward", groups="culture_crm.group_culture_user"
        )

    def queued(self):
        buyer = person("Maria Jansen", None, zip="2511CV", street="Lange Voorhout 7")
        self.sync(page(order("S1", buyer=buyer)))
        return self.order_of("S1").with_user(self.steward)

    def test_a_culture_user_confirms_a_queued_buyer(self):
        queued = self.queued()
        queued.action_confirm_match()
        self.assertEqual(queued.match_state, "confirmed")
        self.assertEqual(queued.sudo().ticket_ids.partner_id, self.maria)

    def test_a_culture_user_links_another_contact(self):
        other = self.env["res.partner"].create({"name": "Maria Jansen-Smit"})
        queued = self.queued()
        queued.partner_id = other
        self.assertEqual(queued.sudo().ticket_ids.partner_id, other)
        self.assertEqual(queued.match_method, "manual")
        self.assertEqual(other.audience_order_count, 1)

    def test_a_culture_user_cannot_change_what_the_ticketing_system_says(self):
        queued = self.queued()
        with self.assertRaises(AccessError):
            queued.write({"state": "canceled"})


@pytest.mark.parametrize(
    ("email", "placeholder"),
    [
        ("geen@email.nl", True),
        ("Geen.Email@gmail.com", True),
        ("no-reply@theater.nl", True),
        ("onbekend@dekade.nl", True),
        ("x@x.nl", True),
        ("xxx@hotmail.com", True),
        ("kassa@dekade.nl", True),  # listed by the backend below
        ("iedereen@mytheatre.nl", True),  # its whole domain is listed
        ("j@jansmit.nl", False),
        ("anna@example.nl", False),
        ("info@bakkerij-smit.nl", False),
        ("kassa@anderetheater.nl", False),
        ("", False),
    ],
)
def test_placeholder_addresses(email, placeholder):
    house = parse_house_emails("Kassa@DeKade.nl; @mytheatre.nl")
    assert is_placeholder_email(email, house) is placeholder


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("Kassa", True),
        ("KASSA VERKOOP", True),
        ("N.v.t.", True),
        ("Walk-in", True),
        ("-", True),
        ("Anoniem ", True),
        ("Jan Kassa", False),
        ("Gast, Peter", False),
        ("Zoë", False),
        ("", False),
    ],
)
def test_placeholder_names(name, placeholder):
    assert is_placeholder_name(name) is placeholder
