import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A steward looks at the dashboard (three overdue contacts in their domain), opens their
// list of contacts to review, marks two of them reviewed at once, and sees the dashboard
// count one overdue contact left.
const overdueCell = (count) =>
    `.o_pivot tr:has(th:contains('Tourdomein')) td:nth-child(4):contains('${count}')`;

const openStewardshipMenu = (xmlid, content) => [
    {
        content: "Open the Stewardship menu",
        trigger: ".o_menu_sections [data-menu-xmlid='culture_crm_stewardship.menu_culture_stewardship']",
        run: "click",
    },
    {
        content,
        trigger: `.dropdown-item[data-menu-xmlid='${xmlid}']`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("culture_crm_stewardship_review_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Culture CRM",
            trigger: ".o_app[data-menu-xmlid='culture_crm.menu_culture_crm_root']",
            run: "click",
        },
        ...openStewardshipMenu(
            "culture_crm_stewardship.menu_culture_stewardship_dashboard",
            "Open the stewardship dashboard"
        ),
        {
            content: "Three contacts of the domain are overdue",
            trigger: overdueCell(3),
        },
        ...openStewardshipMenu(
            "culture_crm_stewardship.menu_culture_contacts_to_review",
            "Open my contacts to review"
        ),
        {
            content: "Select the first overdue contact",
            trigger: ".o_data_row:contains('Tourcontact Anna') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select the second",
            trigger: ".o_data_row:contains('Tourcontact Bram') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Mark both reviewed",
            trigger: ".o_control_panel button[name='action_mark_reviewed']",
            run: "click",
        },
        {
            content: "Say what was checked",
            trigger: ".modal textarea",
            run: "edit Adressen nagebeld",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Only the third contact is left to review",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Tourcontact Anna'))) .o_data_row:contains('Tourcontact Cas')",
        },
        ...openStewardshipMenu(
            "culture_crm_stewardship.menu_culture_stewardship_dashboard",
            "Back to the dashboard"
        ),
        {
            content: "One contact is still overdue",
            trigger: overdueCell(1),
        },
    ],
});
