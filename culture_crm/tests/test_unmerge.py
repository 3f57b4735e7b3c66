# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user


class TestUnmerge(TransactionCase):
    """A steward undoes a merge: the merged contact is back with what was theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.nl")
        cls.merger = new_test_user(
            cls.env, login="culture_unmerge_manager", groups="culture_crm.group_culture_manager"
        )
        cls.env = cls.env(user=cls.merger)
        Partner = cls.env["res.partner"]
        Category = cls.env["res.partner.category"].sudo()
        cls.teacher_tag = Category.create({"name": "Docent (unmerge)"})
        cls.subscriber_tag = Category.create({"name": "Abonnee (unmerge)"})
        cls.anna = Partner.create(
            {
                "name": "Anna de Vries",
                "email": "anna.devries@example.nl",
                "mobile": "06 12345678",
                "street": "Kerkstraat 12",
                "zip": "1234 AB",
                "city": "Haarlem",
                "category_id": [(6, 0, cls.subscriber_tag.ids)],
            }
        )
        cls.anke = Partner.create(
            {
                "name": "Anke de Vries",
                "email": "anke.devries@example.org",
                "mobile": "0612345678",
                "street": "Kerkstraat 12",
                "zip": "1234AB",
                "city": "Haarlem",
                "function": "Docent",
                "category_id": [(6, 0, (cls.teacher_tag | cls.subscriber_tag).ids)],
            }
        )
        cls.donor = cls.env.ref("culture_crm.relation_type_donor")
        cls.friend = cls.env.ref("culture_crm.relation_type_friend")
        Role = cls.env["culture.partner.role"]
        cls.anna_donor = Role.create(
            {
                "partner_id": cls.anna.id,
                "relation_type_id": cls.donor.id,
                "date_start": date(2023, 1, 1),
                "date_end": date(2024, 6, 30),
            }
        )
        Role.create(
            {
                "partner_id": cls.anke.id,
                "relation_type_id": cls.donor.id,
                "date_start": date(2024, 1, 1),
                "note": "Maandelijkse gift",
            }
        )
        cls.anke_friend = Role.create(
            {
                "partner_id": cls.anke.id,
                "relation_type_id": cls.friend.id,
                "date_start": date(2022, 9, 1),
            }
        )
        cls.consent = cls.env["culture.consent"].create(
            {
                "partner_id": cls.anke.id,
                "purpose_id": cls.env.ref("culture_crm.consent_purpose_newsletter").id,
                "channel": "email",
            }
        )
        cls.lead = (
            cls.env["crm.lead"]
            .sudo()
            .create({"name": "Schoolvoorstelling 2025", "partner_id": cls.anke.id})
        )
        cls.message = cls.anke.message_post(body="Belde over de schoolvoorstelling")
        cls.colleague = Partner.create({"name": "Kees Jansen", "email": "kees@example.nl"})
        cls.anke.message_subscribe(partner_ids=cls.colleague.ids)
        cls.theatre = Partner.create({"name": "Stadsschouwburg", "is_company": True})
        cls.festival = Partner.create({"name": "Zomerfestival", "is_company": True})
        cls.theatre.message_subscribe(partner_ids=(cls.anna | cls.anke).ids)
        cls.festival.message_subscribe(partner_ids=cls.anke.ids)
        cls.activity = cls.anke.activity_schedule(
            "mail.mail_activity_data_todo", summary="Lesmateriaal sturen", user_id=cls.merger.id
        )

    def _merge(self):
        candidate = self.env["culture.duplicate.candidate"]._get_or_create_pair(
            self.anna, self.anke
        )
        self.env["culture.partner.merge"].create({"candidate_id": candidate.id}).action_merge()
        self.assertFalse(self.anke.exists())
        return self.anna.culture_merge_log_ids, candidate

    def _merge_and_undo(self):
        log, candidate = self._merge()
        log.action_undo_merge()
        return log, candidate, log.restored_partner_id

    def test_undo_recreates_the_merged_contact_with_its_values(self):
        log, _candidate, anke = self._merge_and_undo()
        self.assertTrue(anke)
        self.assertNotEqual(anke, self.anna)
        self.assertEqual(anke.name, "Anke de Vries")
        self.assertEqual(anke.email, "anke.devries@example.org")
        self.assertEqual(anke.function, "Docent")
        self.assertEqual(anke.city, "Haarlem")
        self.assertTrue(log.undone_on)
        self.assertEqual(log.undone_by_id, self.merger)

    def test_undo_gives_back_roles_and_the_survivors_own_period(self):
        _log, _candidate, anke = self._merge_and_undo()
        self.assertEqual(self.anke_friend.partner_id, anke)
        anke_donor = anke.culture_role_ids.filtered(lambda r: r.relation_type_id == self.donor)
        self.assertEqual(len(anke_donor), 1)
        self.assertEqual(anke_donor.date_start, date(2024, 1, 1))
        self.assertFalse(anke_donor.date_end)
        self.assertEqual(anke_donor.note, "Maandelijkse gift")
        self.assertEqual(self.anna.culture_role_ids, self.anna_donor)
        self.assertEqual(self.anna_donor.date_start, date(2023, 1, 1))
        self.assertEqual(self.anna_donor.date_end, date(2024, 6, 30))
        self.assertEqual(anke.relation_type_ids, self.donor | self.friend)
        self.assertNotIn(self.friend, self.anna.relation_type_ids)

    def test_undo_gives_back_consent_and_opportunity(self):
        _log, _candidate, anke = self._merge_and_undo()
        self.assertEqual(self.consent.partner_id, anke)
        self.assertEqual(self.lead.partner_id, anke)
        self.assertFalse(self.anna.culture_consent_ids)

    def test_undo_gives_back_chatter_followers_and_activities(self):
        _log, _candidate, anke = self._merge_and_undo()
        self.assertIn(self.message, anke.message_ids)
        self.assertNotIn(self.message, self.anna.message_ids)
        self.assertIn(self.colleague, anke.message_partner_ids)
        self.assertNotIn(self.colleague, self.anna.message_partner_ids)
        self.assertEqual(anke.activity_ids, self.activity)
        self.assertFalse(self.anna.activity_ids)
        # A document both followed: both follow it again; one only Anke followed: only her.
        self.assertLessEqual(self.anna | anke, self.theatre.message_partner_ids)
        self.assertIn(anke, self.festival.message_partner_ids)
        self.assertNotIn(self.anna, self.festival.message_partner_ids)

    def test_undo_gives_back_tags_and_keeps_the_survivors_own(self):
        _log, _candidate, anke = self._merge_and_undo()
        self.assertEqual(anke.category_id, self.teacher_tag | self.subscriber_tag)
        self.assertEqual(self.anna.category_id, self.subscriber_tag)

    def test_the_pair_is_remembered_as_not_a_duplicate(self):
        _log, candidate, anke = self._merge_and_undo()
        self.assertEqual(candidate.state, "not_duplicate")
        self.assertEqual({candidate.partner_a_id, candidate.partner_b_id}, {self.anna, anke})
        decided = self.env["culture.duplicate.candidate"]._decided_pairs([anke.id])
        self.assertIn((self.anna.id, anke.id), decided)

    def test_both_contacts_get_a_note_and_taken_over_values_stay(self):
        _log, _candidate, anke = self._merge_and_undo()
        self.assertEqual(self.anna.function, "Docent", "the survivor keeps what it took over")
        note = self.anna.message_ids.filtered(lambda m: "Undid the merge" in str(m.body))
        self.assertTrue(note)
        self.assertIn("Job Position", str(note.body))
        self.assertTrue(anke.message_ids.filtered(lambda m: "Recreated by undoing" in str(m.body)))

    def test_undo_twice_is_refused(self):
        log, _candidate, _anke = self._merge_and_undo()
        with self.assertRaisesRegex(UserError, "already undone"):
            log.action_undo_merge()

    def test_undo_when_the_survivor_is_archived_is_refused(self):
        log, _candidate = self._merge()
        self.anna.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            log.action_undo_merge()

    def test_undo_when_the_survivor_was_deleted_is_refused(self):
        log, _candidate = self._merge()
        self.anna.unlink()
        with self.assertRaisesRegex(UserError, "deleted"):
            log.action_undo_merge()

    def test_undo_when_the_survivor_was_merged_again_is_refused(self):
        log, _candidate = self._merge()
        sister = self.env["res.partner"].create({"name": "Anna de Vries", "city": "Haarlem"})
        wizard = self.env["culture.partner.merge"].create(
            {"partner_a_id": sister.id, "partner_b_id": self.anna.id, "survivor": "a"}
        )
        wizard.survivor = "a"
        wizard.action_merge()
        with self.assertRaisesRegex(UserError, "Undo that merge first"):
            log.action_undo_merge()

    def test_rows_deleted_since_are_reported_not_lost(self):
        log, _candidate = self._merge()
        self.lead.sudo().unlink()
        log.action_undo_merge()
        self.assertIn("deleted since the merge", log.undo_report)
        self.assertEqual(self.consent.partner_id, log.restored_partner_id)
        note = self.anna.message_ids.filtered(lambda m: "Undid the merge" in str(m.body))
        self.assertIn("deleted since the merge", str(note.body))

    def test_rows_moved_since_stay_where_they_are(self):
        log, _candidate = self._merge()
        self.lead.sudo().partner_id = self.theatre
        log.action_undo_merge()
        self.assertEqual(self.lead.partner_id, self.theatre)
        self.assertIn("changed since the merge", log.undo_report)

    def test_a_user_without_culture_rights_cannot_undo(self):
        log, _candidate = self._merge()
        outsider = new_test_user(
            self.env(su=True), login="culture_unmerge_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            log.with_user(outsider).action_undo_merge()
        self.assertFalse(log.undone_on)
