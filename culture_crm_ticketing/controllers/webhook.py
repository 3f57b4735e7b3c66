# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hmac
import json
import re

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

MAX_BODY = 64 * 1024
# pretix order codes are short upper-case alphanumerics; event slugs are URL-safe words.
ORDER_CODE = re.compile(r"^[A-Za-z0-9]{1,32}$")
SLUG = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class TicketingWebhook(http.Controller):
    """pretix's webhook: note the order to fetch, wake the sync, answer at once.

    pretix sends the webhook while it handles the API call that caused it, so the answer
    must not wait for Odoo to fetch anything. The URL carries the backend's secret
    (compared in constant time); a wrong one and an unknown backend look the same: 404,
    and nothing is written.
    """

    @http.route(
        "/culture_crm_ticketing/webhook/<int:backend_id>/<string:secret>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def pretix_webhook(self, backend_id, secret, **_params):
        backend = request.env["culture.ticketing.backend"].sudo().browse(backend_id).exists()
        expected = (backend.webhook_secret if backend and backend.active else None) or ""
        # Compared even for an unknown backend, so the answer's timing tells nothing.
        matches = hmac.compare_digest(expected.encode(), secret.encode())
        if not (expected and matches):
            return request.not_found()

        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY:
            return self._refuse("body too large")
        # Also bounds a body sent without a length (chunked): reading stops at the limit.
        httprequest.max_content_length = MAX_BODY
        try:
            body = httprequest.get_data(cache=False)
        except RequestEntityTooLarge:
            return self._refuse("body too large")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return self._refuse("body is not JSON")
        if not isinstance(payload, dict):
            return self._refuse("body is not a JSON object")
        code, event, organizer = payload.get("code"), payload.get("event"), payload.get("organizer")
        action = payload.get("action")
        if not (isinstance(code, str) and ORDER_CODE.match(code)):
            return self._refuse("missing or invalid 'code'")
        if not (isinstance(event, str) and SLUG.match(event)):
            return self._refuse("missing or invalid 'event'")
        if not isinstance(action, str) or len(action) > 128:
            return self._refuse("missing or invalid 'action'")
        if backend.pretix_organizer and organizer != backend.pretix_organizer:
            return self._refuse("webhook of another organizer")

        request.env["culture.ticketing.pending.fetch"].sudo()._note(backend.id, event, code, action)
        backend._trigger_sync()
        return request.make_json_response({"status": "queued"}, status=202)

    @staticmethod
    def _refuse(reason):
        return request.make_json_response({"error": reason}, status=400)
