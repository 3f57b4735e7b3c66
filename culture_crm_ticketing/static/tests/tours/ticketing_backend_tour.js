import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

// A manager connects a pretix organizer, syncs it, and opens a buyer's orders.
// The test puts the pretix address, organizer and token in a system parameter.
let pretix = null;

async function pretixSetting(key) {
    if (!pretix) {
        const raw = await rpc("/web/dataset/call_kw/ir.config_parameter/get_param", {
            model: "ir.config_parameter",
            method: "get_param",
            args: ["culture_crm_ticketing.tour_pretix"],
            kwargs: {},
        });
        pretix = JSON.parse(raw);
    }
    return pretix[key];
}

registry.category("web_tour.tours").add("culture_ticketing_backend_tour", {
    steps: () => [
        {
            content: "Add a ticketing backend",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit pretix De Kade",
        },
        {
            content: "pretix's address",
            trigger: ".o_field_widget[name='pretix_url'] input",
            async run(helpers) {
                await helpers.edit(await pretixSetting("url"));
            },
        },
        {
            content: "The organizer",
            trigger: ".o_field_widget[name='pretix_organizer'] input",
            async run(helpers) {
                await helpers.edit(await pretixSetting("organizer"));
            },
        },
        {
            content: "The team token",
            trigger: ".o_field_widget[name='api_token'] input",
            async run(helpers) {
                await helpers.edit(await pretixSetting("token"));
            },
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Sync now",
            trigger: ".o_form_statusbar button[name='action_sync_now']",
            run: "click",
        },
        {
            content: "The sync says what it did",
            trigger: ".o_notification:contains('orders new')",
        },
        {
            content: "Its orders are counted on the backend",
            trigger: "button[name='action_open_orders'] .o_stat_value:contains('1')",
        },
        {
            content: "Open the backend's orders",
            trigger: "button[name='action_open_orders']",
            run: "click",
        },
        {
            content: "Open the order",
            trigger: ".o_list_view .o_data_row:contains('Anna de Vries') .o_data_cell",
            run: "click",
        },
        {
            content: "Open its buyer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open the buyer's orders",
            trigger: "button[name='action_open_culture_ticket_orders']",
            run: "click",
        },
        {
            content: "The order from pretix is there, paid",
            trigger: ".o_list_view .o_data_row:contains('Paid')",
        },
    ],
});
