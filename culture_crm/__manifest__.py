# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Culture CRM",
    "summary": "One relationship database for theatres, concert halls, museums and "
    "festivals: relation types and dated roles, data definitions, target groups, "
    "consent, data quality and fundraising",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/culture-crm/culture-crm-odoo",
    "author": "Culture CRM contributors",
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "contacts",
        "mail",
        "crm",
        "mass_mailing",
        "phone_validation",
    ],
    "external_dependencies": {"python": ["phonenumbers", "rapidfuzz"]},
    "data": [
        "security/culture_crm_groups.xml",
        "security/ir.model.access.csv",
        "data/culture_relation_type_data.xml",
        "data/culture_relation_type_definition_data.xml",
        "data/culture_consent_purpose_data.xml",
        "data/culture_genre_data.xml",
        "data/crm_fundraising_data.xml",
        "views/culture_relation_type_views.xml",
        "views/culture_partner_role_views.xml",
        "views/res_partner_views.xml",
        "views/res_partner_completeness_views.xml",
        "views/res_partner_knowledge_views.xml",
        "views/culture_data_model_views.xml",
        "views/culture_consent_views.xml",
        "views/culture_genre_views.xml",
        "report/culture_data_model_report.xml",
        "views/crm_fundraising_views.xml",
        "views/culture_target_group_views.xml",
        "views/culture_crm_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "culture_crm/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/crm_fundraising_demo.xml",
        "demo/culture_target_group_demo.xml",
        "demo/culture_consent_demo.xml",
    ],
}
