import { registry } from "@web/core/registry";

// A steward opens the review list, merges the best pair after comparing it field by
// field, and marks the next pair as not a duplicate.
registry.category("web_tour.tours").add("culture_crm_duplicate_review_tour", {
    steps: () => [
        {
            content: "The best pair comes first: open it",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell:contains('Merel Bakker')",
            run: "click",
        },
        {
            content: "The two contacts are shown side by side, with the reasons",
            trigger: ".o_form_view .o_group:contains('Contact B') .o_field_widget[name='partner_b_id']:contains('M. Bakker')",
        },
        {
            content: "Merge",
            trigger: ".o_form_view .o_form_statusbar button[name='action_merge']",
            run: "click",
        },
        {
            content: "The differences are listed field by field",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row .o_data_cell:contains('merel.b@example.org')",
        },
        {
            content: "Confirm the merge",
            trigger: ".modal .modal-footer button[name='action_merge']",
            run: "click",
        },
        {
            content: "The next pair opens",
            trigger: ".o_form_view .o_field_widget[name='partner_a_id']:contains('Sanne de Jong')",
        },
        {
            content: "These are two people",
            trigger: ".o_form_view .o_form_statusbar button[name='action_not_duplicate']",
            run: "click",
        },
        {
            content: "Nothing is left to review",
            trigger: ".o_list_view .o_view_nocontent, .o_action:has(.o_view_nocontent)",
        },
    ],
});
