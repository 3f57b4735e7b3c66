# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Culture CRM Ticketing",
    "summary": "Sync orders and tickets from pretix or any ticketing export, resolve "
    "buyers to contacts, and turn ticket history into audience knowledge",
    "version": "18.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/culture-crm/culture-crm-odoo",
    "author": "Culture CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["culture_crm", "event"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/culture_crm_ticketing_groups.xml",
        "security/ir.model.access.csv",
        "data/event_tag_category_data.xml",
        "data/mail_activity_type_data.xml",
        "data/culture_role_rule_data.xml",
        "data/ir_cron_data.xml",
        "wizards/culture_ticketing_file_import_views.xml",
        "views/culture_ticketing_backend_views.xml",
        "views/culture_ticket_order_views.xml",
        "views/culture_ticket_views.xml",
        "views/culture_ticketing_sync_issue_views.xml",
        "views/event_event_views.xml",
        "views/res_partner_views.xml",
        "views/audience_dashboard_views.xml",
        "views/culture_crm_ticketing_menus.xml",
    ],
    "demo": [
        "demo/culture_ticketing_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "culture_crm_ticketing/static/tests/tours/*.js",
        ],
    },
}
