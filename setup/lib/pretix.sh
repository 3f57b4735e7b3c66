# shellcheck shell=bash
# A real pretix for the connector tests, installed and prepared by ./setup/test itself.
#
# - pretix lives in a virtualenv of its own ($CULTURE_CRM_PRETIX_VENV): its pins conflict
#   with Odoo's, so it cannot share Odoo's environment. Nothing of pretix enters the repo.
# - $CULTURE_CRM_PRETIX_HOME holds the configuration (pretix.cfg), a settings module with a
#   file-based mail backend, and a template SQLite database made from the models (pretix's
#   own migrations take minutes; creating the tables from the models takes seconds). The
#   template is rebuilt when the pretix version or these settings change.
# - The test harness (tests/pretix_server.py) copies the template for each test session,
#   bootstraps an organizer and an API token, and serves it on a free 127.0.0.1 port.
#
# Exports for the harness: CULTURE_CRM_PRETIX_PYTHON, CULTURE_CRM_PRETIX_HOME,
# CULTURE_CRM_PRETIX_TEMPLATE. Any failure stops ./setup/test with a message: the suite
# never runs without its pretix.

PRETIX_VERSION=2026.8.0
export CULTURE_CRM_PRETIX_VENV=${CULTURE_CRM_PRETIX_VENV:-$CULTURE_CRM_HOME/pretix-venv}
export CULTURE_CRM_PRETIX_HOME=${CULTURE_CRM_PRETIX_HOME:-$CULTURE_CRM_HOME/pretix}
export CULTURE_CRM_PRETIX_PYTHON="$CULTURE_CRM_PRETIX_VENV/bin/python"

# The first Python that pretix accepts (it needs 3.11 or newer).
pretix_base_python() {
  local candidate
  for candidate in ${CULTURE_CRM_PRETIX_BASE_PYTHON:-} "$PYTHON_BIN" python3.12 python3.11 python3.13 python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null || continue
    command -v "$candidate"
    return 0
  done
  return 1
}

pretix_installed() {
  [ -x "$CULTURE_CRM_PRETIX_PYTHON" ] &&
    "$CULTURE_CRM_PRETIX_PYTHON" -c "import sys, pretix; sys.exit(pretix.__version__ != '$PRETIX_VERSION')" 2>/dev/null
}

install_pretix_venv() {
  local base log="$CULTURE_CRM_HOME/pretix-pip.log"
  base=$(pretix_base_python) ||
    die "pretix $PRETIX_VERSION needs Python 3.11 or newer, and none was found (tried python3.12, python3.11, python3.13, python3). Install one (Debian: sudo apt-get install python3.11-venv) or set CULTURE_CRM_PRETIX_BASE_PYTHON=/path/to/python3.11, then run this command again."
  step "Installing pretix $PRETIX_VERSION into $CULTURE_CRM_PRETIX_VENV (first run: about a minute)"
  rm -rf "$CULTURE_CRM_PRETIX_VENV"
  mkdir -p "$(dirname "$CULTURE_CRM_PRETIX_VENV")"
  "$base" -m venv "$CULTURE_CRM_PRETIX_VENV" >"$log" 2>&1 ||
    die "Could not create pretix's virtual environment with $base (see $log). On Debian install python3-venv, then run this command again."
  "$CULTURE_CRM_PRETIX_PYTHON" -m pip install -q --upgrade pip setuptools wheel >>"$log" 2>&1 ||
    die "pip could not upgrade itself in $CULTURE_CRM_PRETIX_VENV (see $log). Check that PyPI is reachable, then run this command again."
  if ! "$CULTURE_CRM_PRETIX_PYTHON" -m pip install -q "pretix==$PRETIX_VERSION" >>"$log" 2>&1; then
    # Where a dependency has no wheel for this platform it is built from source, which
    # needs compilers and headers: install them when we may, and try once more.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      step "Installing build packages for pretix's dependencies"
      apt_install build-essential python3-dev libffi-dev libssl-dev libjpeg-dev zlib1g-dev \
        libxml2-dev libxslt1-dev gettext
      "$CULTURE_CRM_PRETIX_PYTHON" -m pip install -q "pretix==$PRETIX_VERSION" >>"$log" 2>&1 ||
        die "Installing pretix $PRETIX_VERSION failed even with the build packages (the last lines of $log say why). The connector tests need a real pretix; fix the cause and run this command again."
    else
      die "Installing pretix $PRETIX_VERSION failed (the last lines of $log say why). Building its dependencies may need: build-essential python3-dev libffi-dev libjpeg-dev zlib1g-dev libxml2-dev libxslt1-dev gettext. Install them (sudo apt-get install ...), then run this command again."
    fi
  fi
  pretix_installed ||
    die "pretix was installed into $CULTURE_CRM_PRETIX_VENV but does not import as version $PRETIX_VERSION (see $log). Delete $CULTURE_CRM_PRETIX_VENV and run this command again."
}

# The configuration shared by every test pretix. The harness copies it per session and
# sets the port, data folder and database there.
write_pretix_config() {
  local home=$CULTURE_CRM_PRETIX_HOME
  mkdir -p "$home/template-data"
  cat >"$home/pretix.cfg" <<EOF
# Written by setup/lib/pretix.sh: a throwaway pretix for Culture CRM's tests.
[pretix]
instance_name=Culture CRM test pretix
url=http://127.0.0.1:8000
datadir=$home/template-data
currency=EUR
# Webhooks to 127.0.0.1 (the Odoo under test) are silently dropped without this.
allow_http_to_private_networks=on
# No network beyond this machine: never fetch exchange rates.
ecb_rates=off

[database]
backend=sqlite3
name=$home/template-data/db.sqlite3

[django]
debug=off
secret=culture-crm-test-pretix-not-a-secret

[locale]
default=en
timezone=Europe/Amsterdam
EOF
  cat >"$home/culture_pretix_settings.py" <<'EOF'
# Written by setup/lib/pretix.sh. pretix's settings, with mail written to files.
import os

from pretix.settings import *  # noqa: F403

from pretix.settings import DATA_DIR

EMAIL_BACKEND = EMAIL_CUSTOM_SMTP_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.path.join(DATA_DIR, "mail")
EOF
  cat >"$home/culture_pretix_syncdb_settings.py" <<'EOF'
# Written by setup/lib/pretix.sh. Every app counts as unmigrated, so that
# `migrate --run-syncdb` creates the tables straight from the models.
from culture_pretix_settings import *  # noqa: F403


class _Unmigrated(dict):
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = _Unmigrated()
EOF
}

pretix_manage() {
  local settings=$1
  shift
  PRETIX_CONFIG_FILE="$CULTURE_CRM_PRETIX_HOME/pretix.cfg" PYTHONPATH="$CULTURE_CRM_PRETIX_HOME" \
    DJANGO_SETTINGS_MODULE="$settings" "$CULTURE_CRM_PRETIX_PYTHON" -m pretix "$@"
}

build_pretix_template() {
  local home=$CULTURE_CRM_PRETIX_HOME template=$1 log="$CULTURE_CRM_HOME/pretix-template.log"
  step "Building pretix's template database (once per pretix version, about 15 s)"
  rm -rf "$home/template-data"
  mkdir -p "$home/template-data"
  {
    pretix_manage culture_pretix_syncdb_settings migrate --run-syncdb --no-input &&
      # Record pretix's migrations as applied, so the copies look fully migrated.
      pretix_manage culture_pretix_settings migrate --fake --no-input
  } >"$log" 2>&1 ||
    die "Building pretix's template database failed (the last lines of $log say why). The connector tests need a real pretix; fix the cause, then run this command again."
  # Renamed into place at the end: an interrupted build leaves no half template.
  mv "$home/template-data/db.sqlite3" "$template.part"
  mv "$template.part" "$template"
  rm -f "$log"
}

ensure_pretix() {
  mkdir -p "$CULTURE_CRM_HOME"
  # Two test runs at once share one install: the second waits for the first.
  local lock_fd
  exec {lock_fd}>"$CULTURE_CRM_HOME/pretix.lock"
  if command -v flock >/dev/null; then flock "$lock_fd"; fi
  pretix_installed || install_pretix_venv
  write_pretix_config
  local key template old
  key=$(cat "$CULTURE_CRM_PRETIX_HOME"/pretix.cfg "$CULTURE_CRM_PRETIX_HOME"/*.py |
    { cat; printf '%s\n' "$PRETIX_VERSION"; } | sha256sum | cut -c1-12)
  template="$CULTURE_CRM_PRETIX_HOME/template-$PRETIX_VERSION-$key.sqlite3"
  [ -s "$template" ] || build_pretix_template "$template"
  for old in "$CULTURE_CRM_PRETIX_HOME"/template-*.sqlite3; do
    [ "$old" = "$template" ] || rm -f "$old"
  done
  export CULTURE_CRM_PRETIX_TEMPLATE=$template
  exec {lock_fd}>&-
  note "pretix $PRETIX_VERSION ready: $CULTURE_CRM_PRETIX_PYTHON, template $(basename "$template")"
}
