/** @odoo-module */
// Staff build a target group with the domain editor and open a mailing from it.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("culture_crm_target_group_mailing", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("culture_crm.menu_culture_crm_root", "Open Culture CRM"),
        {
            content: "Open the target groups",
            trigger: ".o_menu_sections [data-menu-xmlid='culture_crm.menu_culture_target_group']",
            run: "click",
        },
        {
            content: "Create a target group",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Pers Leiden",
        },
        {
            content: "Add a rule to the contacts filter",
            trigger: ".o_field_widget[name=partner_domain] a:contains(New Rule)",
            run: "click",
        },
        {
            content: "Choose the field of the rule",
            trigger: ".o_field_widget[name=partner_domain] .o_model_field_selector",
            run: "click",
        },
        {
            content: "Look for the city",
            trigger: ".o_model_field_selector_popover .o_model_field_selector_popover_search input",
            run: "edit City",
        },
        {
            content: "Pick the city",
            trigger:
                ".o_model_field_selector_popover .o_model_field_selector_popover_page li[data-name=city] button",
            run: "click",
        },
        {
            content: "The rule is now about the city",
            trigger: ".o_field_widget[name=partner_domain] .o_model_field_selector:contains(City)",
        },
        {
            content: "Contacts in Leiden",
            trigger: ".o_field_widget[name=partner_domain] .o_tree_editor_editor input",
            run: "edit Leiden",
        },
        {
            content: "Only contacts who consent to the newsletter",
            trigger: ".o_field_widget[name=consent_purpose_id] input",
            run: "edit Newsletter",
        },
        {
            trigger: ".o_field_widget[name=consent_purpose_id] .dropdown-menu a:contains(Newsletter)",
            run: "click",
        },
        {
            content: "The filter kept the city",
            trigger: ".o_field_widget[name=partner_domain] .o_tree_editor_editor input:value(Leiden)",
        },
        ...stepUtils.saveForm(),
        {
            content: "The group counts its contacts",
            trigger: "button[name=action_open_members] .o_stat_value",
            run() {
                if (!(parseInt(this.anchor.textContent, 10) > 0)) {
                    throw new Error(`No contacts in the group: ${this.anchor.textContent}`);
                }
            },
        },
        {
            content: "Open a mailing from the group",
            trigger: ".o_form_view .o_form_statusbar button[name=action_new_mailing]",
            run: "click",
        },
        {
            content: "The mail editor is ready",
            trigger: ":iframe .o_mail_theme_selector_new",
            // The first mailing form loads the editor's assets, slow on a busy machine.
            timeout: 60000,
        },
        {
            content: "The mailing names the group",
            trigger: ".o_field_widget[name=culture_target_group_id] input:value(Pers Leiden)",
        },
        {
            content: "and the consent purpose",
            trigger: ".o_field_widget[name=culture_consent_purpose_id] input:value(Newsletter)",
        },
        {
            content: "Give the mailing a subject",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Nieuw seizoen",
        },
        {
            content: "Pick the basic theme",
            trigger: ":iframe #basic",
            run: "click",
        },
        {
            trigger: ":iframe html:not(:has(.o_mail_theme_selector_new))",
        },
        ...stepUtils.saveForm(),
    ],
});
