# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import logging
import os
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_path

from ..connectors.records import ConnectionFailure, message_text
from ..sync.runner import SyncRunner

_logger = logging.getLogger(__name__)

MANAGER = "culture_crm_ticketing.group_culture_ticketing_manager"
# "Sync now" works in the request for this long, then leaves the rest to the cron.
SYNC_NOW_BUDGET = 45
CRON_BUDGET = 240


def _new_webhook_secret():
    return secrets.token_urlsafe(32)


class CultureTicketingBackend(models.Model):
    """One ticketing system the CRM reads orders from: a pretix organizer, or the exports
    of any other system (CSV or XLSX files with a saved column mapping).

    The provider's adapter (``connectors/<provider>.py``) does the I/O; the sync runner
    (``sync/runner.py``) imports what it yields, batch by batch. A third provider is a new
    adapter file plus a ``selection_add`` on ``provider`` and a method
    ``_get_adapter_<provider>()`` that builds its adapter from the backend's settings.
    """

    _name = "culture.ticketing.backend"
    _description = "Ticketing Backend"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        string="Default Currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of orders that do not name one (most CSV exports).",
    )
    provider = fields.Selection(
        [("pretix", "pretix"), ("csv", "CSV or XLSX export")],
        required=True,
        default="pretix",
        tracking=True,
    )

    # --- pretix -------------------------------------------------------------------------
    pretix_url = fields.Char(
        string="pretix URL", help="Address of the pretix instance, e.g. https://pretix.eu"
    )
    pretix_organizer = fields.Char(
        string="Organizer Slug", help="The organizer's short name in pretix URLs."
    )
    api_token = fields.Char(
        string="API Token",
        groups=MANAGER,
        copy=False,
        help="A pretix team token with read access to orders and events.",
    )
    webhook_secret = fields.Char(
        groups=MANAGER,
        copy=False,
        readonly=True,
        default=lambda self: _new_webhook_secret(),
        help="Part of the webhook address: whoever knows it can ask for a sync.",
    )
    webhook_url = fields.Char(
        string="Webhook URL",
        compute="_compute_webhook_url",
        groups=MANAGER,
        help="Paste this address into pretix (Organizer > Webhooks), for the actions "
        "'order placed', 'paid', 'canceled', 'changed', 'expired', 'refunded' and 'deleted'.",
    )

    # --- what to import and how -----------------------------------------------------------
    import_test_orders = fields.Boolean(
        help="Also import orders placed in the ticketing system's test mode."
    )
    match_attendees = fields.Boolean(
        help="Link a ticket whose attendee is not the buyer to the attendee's own contact "
        "(found or created as for buyers), so the visit counts for the attendee.",
    )
    default_country_id = fields.Many2one(
        "res.country",
        default=lambda self: self.env.ref("base.nl", raise_if_not_found=False),
        help="Country of phone numbers and postcodes written without one.",
    )
    house_emails = fields.Text(
        string="Box Office Addresses",
        help="E-mail addresses the box office types for a buyer who gave none, one a "
        "line (or a whole domain, as @mytheatre.nl). The order keeps the address, but it "
        "never links the buyer to a contact nor becomes a new contact's address. "
        "Addresses that say so themselves (geen@..., onbekend@..., x@x.nl) and names "
        "such as Kassa or Anoniem are recognised without a list.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        string="Match Reviewer",
        domain=[("share", "=", False)],
        help="Gets an activity for every buyer the CRM could not match with certainty. "
        "The scheduled sync writes its issues and summary in this user's language.",
    )
    consent_map_ids = fields.One2many(
        "culture.ticketing.consent.map",
        "backend_id",
        string="Consent Questions",
        copy=True,
    )
    csv_column_ids = fields.One2many(
        "culture.ticketing.csv.column", "backend_id", string="Column Mapping", copy=True
    )
    csv_preset = fields.Selection(
        [
            ("schouwburg_demo", "Demo export (Schouwburg De Kade)"),
            ("ticketmatic", "Ticketmatic"),
            ("active_tickets", "Active Tickets"),
            ("eventim", "Eventim"),
        ],
        string="Start From",
        help="Typical column names of these systems' exports, to check against your own file.",
    )
    batch_size = fields.Integer(
        default=1000,
        help="Orders committed together. A crash loses at most one batch of work, "
        "which the next run redoes.",
    )

    # --- schedule -------------------------------------------------------------------------
    cron_id = fields.Many2one("ir.cron", string="Scheduled Action", readonly=True, copy=False)
    sync_interval_minutes = fields.Integer(
        string="Sync Every (minutes)",
        default=15,
        help="How often the scheduled sync runs. Webhooks start it sooner.",
    )

    # --- state and health -----------------------------------------------------------------
    sync_cursor = fields.Char(
        readonly=True,
        copy=False,
        help="Where the next sync continues (pretix: the time of the last page). It only "
        "moves once a batch is committed.",
    )
    performance_cursor = fields.Char(
        readonly=True,
        copy=False,
        help="Where the next sync continues reading performances (pretix: event dates).",
    )
    last_sync_start = fields.Datetime(readonly=True, copy=False)
    last_success = fields.Datetime(string="Last Successful Sync", readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)
    last_run_summary = fields.Char(readonly=True, copy=False)
    orders_created_total = fields.Integer(string="Orders Created", readonly=True, copy=False)
    orders_updated_total = fields.Integer(string="Orders Updated", readonly=True, copy=False)
    records_failed_total = fields.Integer(string="Records Failed", readonly=True, copy=False)
    order_count = fields.Integer(compute="_compute_counts")
    ticket_count = fields.Integer(compute="_compute_counts")
    open_issue_count = fields.Integer(string="Open Issues", compute="_compute_counts")
    review_count = fields.Integer(string="Matches to Review", compute="_compute_counts")
    pending_fetch_count = fields.Integer(string="Webhooks Waiting", compute="_compute_counts")

    _sql_constraints = [
        (
            "batch_size_positive",
            "CHECK(batch_size > 0)",
            "The batch size must be at least one order.",
        ),
    ]

    @api.depends("webhook_secret")
    def _compute_webhook_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            if backend.id and backend.webhook_secret:
                backend.webhook_url = (
                    f"{base_url}/culture_crm_ticketing/webhook/"
                    f"{backend.id}/{backend.webhook_secret}"
                )
            else:
                backend.webhook_url = False

    def _compute_counts(self):
        def counts(model, domain):
            return dict(
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("backend_id", "in", self.ids), *domain], ["backend_id"], ["__count"])
            )

        orders = counts("culture.ticket.order", [("active", "=", True)])
        tickets = counts("culture.ticket", [])
        issues = counts("culture.ticketing.sync.issue", [("state", "=", "open")])
        reviews = counts("culture.ticket.order", [("match_state", "=", "review")])
        pending = counts("culture.ticketing.pending.fetch", [])
        for backend in self:
            backend.order_count = orders.get(backend, 0)
            backend.ticket_count = tickets.get(backend, 0)
            backend.open_issue_count = issues.get(backend, 0)
            backend.review_count = reviews.get(backend, 0)
            backend.pending_fetch_count = pending.get(backend, 0)

    # --- the scheduled action of each backend ---------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        backends = super().create(vals_list)
        for backend in backends:
            backend.sudo().cron_id = self.env["ir.cron"].sudo().create(backend._cron_values())
        return backends

    def write(self, vals):
        result = super().write(vals)
        if {"name", "active", "provider", "sync_interval_minutes"} & set(vals):
            for backend in self.sudo():
                if backend.cron_id:
                    backend.cron_id.write(backend._cron_values(creating=False))
        return result

    def unlink(self):
        crons = self.sudo().cron_id
        result = super().unlink()
        crons.unlink()
        return result

    def _cron_values(self, creating=True):
        values = {
            "name": self.env._("Ticketing: sync %(backend)s", backend=self.name),
            "interval_number": max(self.sync_interval_minutes, 1),
            "interval_type": "minutes",
            # A file backend has nothing to fetch: its files are imported as they come.
            "active": self.active and self.provider != "csv",
        }
        if creating:
            values.update(
                {
                    "model_id": self.env["ir.model"]._get_id(self._name),
                    "state": "code",
                    "code": f"model.browse({self.id})._cron_sync()",
                    "user_id": self.env.ref("base.user_root").id,
                }
            )
        return values

    def _house_lang(self):
        """The language a scheduled sync writes its issues and summary in: that of the
        match reviewer, who reads them, else of whoever set the backend up; not that of
        the scheduler's user (OdooBot), often English in a Dutch house."""
        self.ensure_one()
        backend = self.sudo()
        return backend.reviewer_id.lang or backend.create_uid.lang or self.env.lang

    def _trigger_sync(self, at=None):
        """Ask the backend's scheduled action to run soon (a webhook came in)."""
        for backend in self.sudo():
            if backend.cron_id:
                backend.cron_id._trigger(at)

    def _cron_sync(self):
        """The scheduled action: drain the webhooks, page through what changed."""
        for backend in self.filtered(lambda backend: backend.active and backend.provider != "csv"):
            backend = backend.with_context(lang=backend._house_lang())
            outcome = SyncRunner(backend, budget_seconds=CRON_BUDGET).run()
            if outcome.busy:
                # Another worker syncs this backend now; look again in a minute so that
                # webhooks arriving during its last page are not left until the schedule.
                backend._trigger_sync(fields.Datetime.add(fields.Datetime.now(), minutes=1))
            elif outcome.more:
                self.env["ir.cron"]._notify_progress(done=outcome.orders_seen or 1, remaining=1)

    # --- adapters ---------------------------------------------------------------------------
    def _get_adapter(self):
        """The provider's adapter, built from this backend's settings (read as sudo)."""
        self.ensure_one()
        factory = getattr(self.sudo(), f"_get_adapter_{self.provider}", None)
        if factory is None:
            raise UserError(
                self.env._(
                    "The ticketing provider %(provider)s has no adapter installed.",
                    provider=self.provider,
                )
            )
        return factory()

    def _get_adapter_pretix(self):
        from ..connectors import pretix

        if not (self.pretix_url and self.pretix_organizer and self.api_token):
            raise UserError(
                self.env._(
                    "Backend %(backend)s needs the pretix URL, the organizer slug and an "
                    "API token before it can connect.",
                    backend=self.name,
                )
            )
        return pretix.PretixAdapter(
            self.pretix_url,
            self.pretix_organizer,
            self.api_token,
            consent_questions={line.question: line.purpose_code for line in self.consent_map_ids},
        )

    def _get_adapter_csv(self, content=None, filename=None):
        from ..connectors import csv_file

        return csv_file.CsvFileAdapter(
            content=content,
            filename=filename,
            columns={line.field: line.column for line in self.csv_column_ids if line.column},
            consent_questions={line.question: line.purpose_code for line in self.consent_map_ids},
            page_size=self.batch_size or csv_file.PAGE_SIZE,
            default_currency=self.currency_id.name or "EUR",
        )

    def action_load_csv_preset(self):
        """Fill the column mapping from the preset chosen in ``csv_preset``."""
        from ..connectors.csv_file import PRESETS

        self.check_access("write")
        for backend in self:
            preset = PRESETS.get(backend.csv_preset)
            if not preset:
                continue
            backend.csv_column_ids = [fields.Command.clear()] + [
                fields.Command.create({"field": field, "column": column, "sequence": index})
                for index, (field, column) in enumerate(preset.items())
            ]

    # --- buttons -----------------------------------------------------------------------------
    def _notify(self, message, kind="success", sticky=False):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "message": message,
                "sticky": sticky,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_test_connection(self):
        self.ensure_one()
        self.check_access("write")
        try:
            answer = self._get_adapter().test_connection()
        except (ConnectionFailure, UserError) as error:
            problem = error.text(self.env) if isinstance(error, ConnectionFailure) else error
            return self._notify(
                self.env._("Connection failed: %(error)s", error=problem), "danger", True
            )
        message = self.env._("Connection works.")
        if answer:
            detail = message_text(answer, self.env)
            message = self.env._("Connection works: %(detail)s", detail=detail)
        return self._notify(message)

    def action_sync_now(self):
        self.ensure_one()
        self.check_access("write")
        if self.provider == "csv":  # a file backend has nothing to fetch: ask for a file
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "culture_crm_ticketing.culture_ticketing_file_import_action"
            )
            action["context"] = {"default_backend_id": self.id}
            return action
        outcome = SyncRunner(self.sudo(), budget_seconds=SYNC_NOW_BUDGET).run()
        if outcome.busy:
            return self._notify(
                self.env._("A sync of this backend is already running; try again shortly."),
                "warning",
            )
        if outcome.more:
            self._trigger_sync()
        if outcome.error:
            return self._notify(
                self.env._("Sync stopped: %(error)s", error=outcome.error), "danger", True
            )
        message = outcome.summary(self.env)
        if outcome.more:
            message = self.env._("%(summary)s More continues in the background.", summary=message)
        return self._notify(message)

    def action_replay_failed(self):
        self.ensure_one()
        self.check_access("write")
        issues = self.env["culture.ticketing.sync.issue"].search(
            [("backend_id", "=", self.id), ("state", "=", "open")]
        )
        if not issues:
            return self._notify(self.env._("There are no open sync issues."), "info")
        return issues.action_replay()

    def action_regenerate_webhook_secret(self):
        self.check_access("write")
        for backend in self:
            backend.webhook_secret = _new_webhook_secret()

    def action_reset_cursor(self):
        """Sync everything again from the start: replays are harmless, only slower."""
        self.check_access("write")
        self.write({"sync_cursor": False, "performance_cursor": False})

    def _open(self, model, name, domain, context=None):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": dict(context or {}, create=False),
        }

    def action_open_orders(self):
        self.ensure_one()
        return self._open(
            "culture.ticket.order", self.env._("Orders"), [("backend_id", "=", self.id)]
        )

    def action_open_tickets(self):
        self.ensure_one()
        return self._open("culture.ticket", self.env._("Tickets"), [("backend_id", "=", self.id)])

    def action_open_issues(self):
        self.ensure_one()
        return self._open(
            "culture.ticketing.sync.issue",
            self.env._("Sync Issues"),
            [("backend_id", "=", self.id)],
            {"search_default_open": 1},
        )

    def action_open_reviews(self):
        self.ensure_one()
        return self._open(
            "culture.ticket.order",
            self.env._("Matches to Review"),
            [("backend_id", "=", self.id), ("match_state", "=", "review")],
        )

    # --- files -------------------------------------------------------------------------------
    def import_file(self, path=None, content=None, filename=None, attachment=None):
        """Import an export file through the backend's pipeline.

        Give a ``path`` on the server (absolute, or inside an addon:
        ``culture_crm_ticketing/demo/...``), raw ``content`` (bytes) with its ``filename``,
        or an ``ir.attachment``. Demo data calls this with a path inside the module.
        Importing a file again changes nothing; rows that fail become sync issues.

        :return: the run's outcome (``sync.runner.RunOutcome``)
        """
        self.ensure_one()
        if attachment:
            content, filename = base64.b64decode(attachment.datas), attachment.name
        elif path:
            path = path if os.path.isabs(path) else file_path(path)
            with open(path, "rb") as file:
                content = file.read()
            filename = filename or path
        if content is None:
            raise UserError(self.env._("Choose a file to import."))
        adapter = self.sudo()._get_adapter_csv(content=content, filename=filename)
        return SyncRunner(self.sudo()).run(pages=adapter.iter_pages(None), use_cursor=False)
