# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.exceptions import AccessError

from .common import StewardshipCase


class TestDataDomainMembership(StewardshipCase):
    def test_contact_falls_in_the_domain_of_its_current_type(self):
        journalist = self._contact("Karin Kok", self.press)
        self.assertEqual(journalist.data_domain_ids, self.domain_press)

    def test_parent_type_in_scope_includes_its_sub_types(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        self.assertEqual(teacher.data_domain_ids, self.domain_education)

    def test_contact_with_types_of_two_domains_falls_in_both(self):
        both = self._contact("Els Beide", self.board, self.press)
        self.assertEqual(both.data_domain_ids, self.domain_education | self.domain_press)

    def test_contact_without_a_covered_type_has_no_domain(self):
        artist = self._contact("Ali Artiest", self.artist)
        self.assertFalse(artist.data_domain_ids)
        found = self.env["res.partner"].search(
            [("data_domain_ids", "=", False), ("id", "=", artist.id)]
        )
        self.assertEqual(found, artist)

    def test_ended_role_takes_the_contact_out_of_the_domain(self):
        journalist = self._contact("Karin Kok", self.press)
        journalist.culture_role_ids.write(
            {"date_start": self.today - timedelta(days=30), "date_end": self.today - timedelta(1)}
        )
        self.assertFalse(journalist.data_domain_ids)

    def test_widening_a_domain_scope_moves_its_contacts_in(self):
        artists = [self._contact(f"Artiest {n}", self.artist) for n in range(3)]
        self.domain_press.relation_type_ids |= self.artist
        for artist in artists:
            self.assertEqual(artist.data_domain_ids, self.domain_press)
        domain_members = self.env["res.partner"].search(
            [("data_domain_ids", "in", self.domain_press.ids)]
        )
        self.assertTrue(set(domain_members.ids) >= {a.id for a in artists})

    def test_narrowing_a_domain_scope_moves_its_contacts_out(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        self.domain_education.relation_type_ids = self.board
        self.assertFalse(teacher.data_domain_ids)

    def test_archived_domain_owns_no_contacts(self):
        journalist = self._contact("Karin Kok", self.press)
        self.domain_press.action_archive()
        self.assertFalse(journalist.data_domain_ids)
        self.domain_press.action_unarchive()
        self.assertEqual(journalist.data_domain_ids, self.domain_press)

    def test_new_domain_collects_existing_contacts(self):
        artist = self._contact("Ali Artiest", self.artist)
        artists_domain = self.env["culture.data.domain"].create(
            {"name": "Artiesten", "owner_id": self.owner.id, "relation_type_ids": self.artist.ids}
        )
        self.assertEqual(artist.data_domain_ids, artists_domain)
        self.assertIn(artist, artists_domain.partner_ids)

    def test_moving_a_type_under_a_parent_brings_its_contacts_into_the_parents_domain(self):
        artist = self._contact("Ali Artiest", self.artist)
        self.artist.parent_id = self.education
        self.assertEqual(artist.data_domain_ids, self.domain_education)

    def test_contact_shows_owners_and_stewards_of_its_domains(self):
        both = self._contact("Els Beide", self.board, self.press)
        self.assertEqual(both.data_owner_ids, self.owner | self.manager)
        self.assertEqual(both.data_steward_ids, self.steward | self.press_steward)


class TestDataDomainConfiguration(StewardshipCase):
    def test_data_owner_configures_their_own_domain(self):
        self.domain_education.with_user(self.owner).write(
            {"steward_ids": [(4, self.press_steward.id)], "review_interval_months": 6}
        )
        self.assertIn(self.press_steward, self.domain_education.steward_ids)

    def test_data_owner_cannot_configure_another_owners_domain(self):
        with self.assertRaises(AccessError):
            self.domain_press.with_user(self.owner).write({"review_interval_months": 1})

    def test_steward_cannot_configure_the_domain_they_steward(self):
        with self.assertRaises(AccessError):
            self.domain_education.with_user(self.steward).write({"review_interval_months": 1})

    def test_only_managers_create_domains(self):
        values = {"name": "Nieuw", "owner_id": self.owner.id}
        with self.assertRaises(AccessError):
            self.env["culture.data.domain"].with_user(self.owner).create(values)
        self.assertTrue(self.env["culture.data.domain"].with_user(self.manager).create(values))

    def test_new_steward_may_change_the_domains_contacts_at_once(self):
        teacher = self._contact("Wim de Leraar", self.teacher)
        with self.assertRaises(AccessError):
            teacher.with_user(self.press_steward).write({"phone": "071 000 0000"})
        self.domain_education.steward_ids |= self.press_steward
        teacher.with_user(self.press_steward).write({"phone": "071 000 0000"})
        self.assertEqual(teacher.phone, "071 000 0000")
