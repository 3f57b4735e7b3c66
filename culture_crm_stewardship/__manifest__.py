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
    "depends": ["culture_crm"],
    "external_dependencies": {"python": []},
    "data": [
        "security/culture_crm_stewardship_groups.xml",
    ],
}
