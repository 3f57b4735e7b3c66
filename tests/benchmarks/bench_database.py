"""The throwaway Odoo database a benchmark measures in, built as ./setup/test builds its
own: a copy of the cached dependency template with the three addons installed."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def say(text=""):
    """Print a progress line at once (benchmarks run for minutes)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def shell(script, env=None):
    """Run a bash snippet with the setup library loaded (same helpers as ./setup/test)."""
    prelude = (
        f'source "{REPO_ROOT}/setup/lib/common.sh"; source "{REPO_ROOT}/setup/lib/database.sh"; '
    )
    subprocess.run(["bash", "-c", prelude + script], check=True, env=env)


def make_database(database, config):
    """Create DATABASE with the addons installed, and its Odoo config file CONFIG."""
    say(f"==> throwaway database {database}: template copy and addons (a minute or two)")
    shell(
        "ensure_odoo_source; ensure_postgres; ensure_venv; "
        f'write_odoo_conf "{config}" "{database}" 0; '
        f'clone_dependency_template "{config}" "{database}"; '
        f'odoo_install "{config}" "{database}" "$ADDONS"'
    )


def drop_database(database, config):
    """Drop DATABASE, its filestore and its config file."""
    shell(f'drop_database "{database}"; rm -f "{config}"')
