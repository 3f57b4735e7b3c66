import { registry } from "@web/core/registry";

// A steward opens a contact another domain owns: the form says who owns it and whom to
// ask, and opens read-only. A contact of their own domain opens editable.
registry.category("web_tour.tours").add("culture_crm_stewardship_locked_contact_tour", {
    steps: () => [
        {
            content: "The banner names the owning domain and its steward",
            trigger: ".o_culture_edit_lock:contains('Persdomein'):contains('Petra Pers')",
        },
        {
            content: "The form is read-only",
            trigger: ".o_form_view .o_form_readonly",
        },
        {
            content: "Back to the contacts",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Look for a contact of the steward's own domain",
            trigger: ".o_searchview_input",
            run: "edit Tour Eigen",
        },
        {
            content: "Search",
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('Tour Eigen')",
            run: "click",
        },
        {
            content: "No banner, and the form is editable",
            trigger:
                ".o_form_view:not(:has(.o_culture_edit_lock:visible)) .o_form_editable .o_field_widget[name='email'] input",
        },
    ],
});
