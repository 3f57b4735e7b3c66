# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Culture CRM Stewardship",
    "summary": "Data domains with an owner and stewards, rights that follow ownership, "
    "periodic review cycles and retention (AVG/GDPR)",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/culture-crm/culture-crm-odoo",
    "author": "Culture CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["culture_crm", "privacy_lookup"],
    "external_dependencies": {"python": []},
    "data": [
        "security/culture_crm_stewardship_groups.xml",
        "security/ir.model.access.csv",
        "security/culture_crm_stewardship_rules.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "views/culture_data_domain_views.xml",
        "views/culture_review_log_views.xml",
        "wizards/culture_review_wizard_views.xml",
        "wizards/culture_retention_wizard_views.xml",
        "views/res_partner_views.xml",
        "views/culture_stewardship_report_views.xml",
        "views/culture_crm_stewardship_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/culture_data_domain_demo.xml",
        "demo/res_partner_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "culture_crm_stewardship/static/src/**/*",
        ],
        "web.assets_tests": [
            "culture_crm_stewardship/static/tests/tours/*.js",
        ],
    },
}
