# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Culture CRM Ticketing",
    "summary": "Sync orders and tickets from pretix or any ticketing export, resolve "
    "buyers to contacts, and turn ticket history into audience knowledge",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/culture-crm/culture-crm-odoo",
    "author": "Culture CRM contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["culture_crm", "event"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/culture_crm_ticketing_groups.xml",
    ],
}
