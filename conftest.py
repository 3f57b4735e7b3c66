"""Suite-wide rules for pytest.

The suite never skips itself into green: Odoo skips a browser tour when Chromium or
websocket-client is missing, and pytest-odoo skips HttpCase without --odoo-http. Here any
skip becomes a failure that says what was missing.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} was skipped ({reason}); the suite never skips: "
            "install what is missing (./setup/test installs Chromium, pretix and the "
            "Python packages itself when it can)."
        )
