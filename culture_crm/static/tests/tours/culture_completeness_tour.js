import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Staff open a contact, give it the role School Board Member on the Culture tab and see
// its completeness drop and the banner name what is still to record.
registry.category("web_tour.tours").add("culture_crm_completeness_tour", {
    steps: () => [
        {
            content: "Open the Culture tab",
            trigger: ".o_form_view .o_notebook .nav-link[name='culture']",
            run: "click",
        },
        {
            content: "Without a relation type the contact is complete",
            trigger: ".o_field_widget[name='culture_completeness'] .o_progressbar_value:contains('100')",
        },
        {
            content: "Add a role",
            trigger: ".o_field_widget[name='current_role_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the type School Board Member",
            trigger:
                ".o_field_widget[name='current_role_ids'] .o_data_row .o_field_widget[name='relation_type_id'] input",
            run: "edit School Board",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('School Board Member')",
            run: "click",
        },
        {
            content: "Completeness follows the new role before saving",
            trigger: ".o_field_widget[name='culture_completeness'] .o_progressbar_value:contains('27')",
        },
        ...stepUtils.saveForm(),
        {
            content: "After saving, the banner names the missing required fields",
            trigger: ".o_culture_completeness_banner:contains('Job Position')",
        },
        {
            trigger: ".o_field_widget[name='culture_completeness'] .o_progressbar_value:contains('27')",
        },
    ],
});
