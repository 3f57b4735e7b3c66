from . import (
    culture_role_rule,
    culture_ticket,
    culture_ticket_order,
    culture_ticketing_backend,
    culture_ticketing_consent_map,
    culture_ticketing_csv_column,
    culture_ticketing_pending_fetch,
    culture_ticketing_pending_match,
    culture_ticketing_pending_refresh,
    culture_ticketing_sync_issue,
    event_event,
    res_partner,
)
