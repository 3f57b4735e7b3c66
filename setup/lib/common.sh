# shellcheck shell=bash
# Shared by setup/run, setup/test, setup/bench and setup/dedupe: locate Odoo, make sure
# PostgreSQL answers, and build (or reuse) the Python environment. Every failure ends in
# one paragraph that says what is wrong and what to do, never in a traceback.

set -o errexit -o nounset -o pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
CULTURE_CRM_HOME=${CULTURE_CRM_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/culture-crm}
VENV=${CULTURE_CRM_VENV:-$CULTURE_CRM_HOME/venv}
PYTHON_BIN=${PYTHON:-python3}
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-$(id -un)}
ADDONS="culture_crm,culture_crm_stewardship,culture_crm_ticketing"

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
  printf '\nculture-crm setup: %s\n' "$*" | fold -s -w 100 >&2
  exit 1
}

# --- Odoo source -----------------------------------------------------------------------
ensure_odoo_source() {
  if [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ]; then
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\).*/\1.\2/p" "$ODOO_SRC/odoo/release.py")
    [ "$version" = "18.0" ] || die "ODOO_SRC=$ODOO_SRC holds Odoo $version, but Culture CRM needs Odoo 18.0. Point ODOO_SRC at an Odoo 18.0 source tree."
    [ -f "$ODOO_SRC/requirements.txt" ] || die "ODOO_SRC=$ODOO_SRC has no requirements.txt, so its Python dependencies cannot be installed. Use a complete Odoo 18.0 checkout (it ships requirements.txt at its top)."
    return 0
  fi
  if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
    die "ODOO_SRC=$ODOO_SRC exists but holds no Odoo source (odoo-bin is missing). Set ODOO_SRC to the folder of an Odoo 18.0 checkout, the one that contains odoo-bin and requirements.txt."
  fi
  step "No Odoo source at $ODOO_SRC: trying to clone the official 18.0 branch"
  if command -v git >/dev/null && mkdir -p "$(dirname "$ODOO_SRC")" 2>/dev/null &&
    timeout 900 git clone --quiet --depth 1 --branch 18.0 https://github.com/odoo/odoo "$ODOO_SRC" 2>/dev/null; then
    return 0
  fi
  rm -rf "$ODOO_SRC" 2>/dev/null || true
  die "No Odoo 18.0 source was found at ODOO_SRC=$ODOO_SRC, and cloning https://github.com/odoo/odoo (branch 18.0) failed. Put an Odoo 18.0 Community checkout there, or set ODOO_SRC to the folder that contains odoo-bin, then run this command again."
}

# --- PostgreSQL --------------------------------------------------------------------------
pg_answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT" >/dev/null 2>&1; }

ensure_postgres() {
  if ! command -v pg_isready >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      step "PostgreSQL is not installed: installing it with apt-get"
      apt_install postgresql postgresql-client
    else
      die "PostgreSQL is not installed. Install it (Debian/Ubuntu: sudo apt-get install postgresql), make sure it listens on $PGHOST:$PGPORT and that role '$PGUSER' may create databases, then run this command again."
    fi
  fi
  if ! pg_answers; then
    case "$PGHOST" in
      127.0.0.1 | localhost | /*) ;;
      *) die "PostgreSQL at $PGHOST:$PGPORT does not answer. Start that server or set PGHOST/PGPORT to one that runs, then run this command again." ;;
    esac
    local started=
    if command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null | awk '$4 != "online"')" ]; then
      step "PostgreSQL is installed but stopped: starting it"
      local ver name
      while read -r ver name _; do
        if [ "$(id -u)" = 0 ]; then
          pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >/dev/null 2>&1 && started=1
        else
          pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 && started=1
        fi
      done < <(pg_lsclusters -h | awk '$4 != "online"')
    fi
    if [ -n "$started" ]; then
      for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
    fi
    pg_answers || die "PostgreSQL does not answer on $PGHOST:$PGPORT and could not be started from here. Start it (Debian: sudo pg_ctlcluster <version> main start, see pg_lsclusters; or sudo systemctl start postgresql), or set PGHOST/PGPORT to a server that runs, then run this command again."
  fi
  if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
      su postgres -c "createuser --superuser '$PGUSER'" >/dev/null 2>&1 || true
    fi
    psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 ||
      die "PostgreSQL runs on $PGHOST:$PGPORT but refuses role '$PGUSER'. Create it (sudo -u postgres createuser --createdb '$PGUSER') or set PGUSER (and PGPASSWORD) to a role that may create databases, then run this command again."
  fi
}

# --- system packages -------------------------------------------------------------------
APT_UPDATED=
apt_install() {
  [ -n "$APT_UPDATED" ] || { apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    die "apt-get could not install: $*. Install these packages by hand, then run this command again."
}

ensure_build_packages() {
  local missing=()
  for header in /usr/include/ldap.h:libldap2-dev /usr/include/sasl/sasl.h:libsasl2-dev; do
    [ -f "${header%%:*}" ] || missing+=("${header##*:}")
  done
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "Installing build packages: ${missing[*]}"
    apt_install "${missing[@]}" build-essential python3-dev
  else
    die "Building Odoo's Python requirements needs these system packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}), then run this command again."
  fi
}

find_chromium() {
  local candidate
  for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$candidate" >/dev/null && { command -v "$candidate"; return 0; }
  done
  return 1
}

ensure_chromium() {
  find_chromium >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "Installing Chromium for the browser tours"
    apt_install chromium fonts-dejavu-core
  fi
  find_chromium >/dev/null ||
    die "Chromium was not found, and the browser tours cannot run without it. Install Debian's chromium package (sudo apt-get install chromium), then run this command again."
}

# --- Python environment -------------------------------------------------------------------
venv_fingerprint() {
  cat "$ODOO_SRC/requirements.txt" "$REPO_ROOT/setup/requirements.txt" | sha256sum | cut -c1-16
}

ensure_venv() {
  local stamp="$VENV/.culture-crm-stamp" want
  want=$(venv_fingerprint)
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
    "$VENV/bin/python" -c 'import odoo, phonenumbers, rapidfuzz, pytest_odoo' 2>/dev/null; then
    return 0
  fi
  "$PYTHON_BIN" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' 2>/dev/null ||
    die "Odoo 18 needs Python 3.10 to 3.12, and '$PYTHON_BIN' is not one of those. Install Python 3.11 and set PYTHON=/path/to/python3.11, then run this command again."
  ensure_build_packages
  step "Building the Python environment in $VENV (first run: several minutes)"
  if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    note "the environment is broken (an interrupted run?): making it anew"
    rm -rf "$VENV"
  fi
  mkdir -p "$(dirname "$VENV")"
  [ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV" ||
    die "Could not create a virtual environment with $PYTHON_BIN. On Debian install python3-venv, then run this command again."
  rm -f "$stamp"
  local log="$CULTURE_CRM_HOME/pip.log"
  "$VENV/bin/python" -m pip install -q --upgrade 'pip>=25.3' setuptools wheel >"$log" 2>&1 ||
    die "pip could not upgrade itself in $VENV (see $log). Check that PyPI is reachable, then run this command again."
  # Several of Odoo 18's pinned sdists do not build with setuptools 81 or newer.
  printf 'setuptools<81\n' >"$CULTURE_CRM_HOME/build-constraints.txt"
  "$VENV/bin/python" -m pip install -q --build-constraint "$CULTURE_CRM_HOME/build-constraints.txt" \
    -r "$ODOO_SRC/requirements.txt" -r "$REPO_ROOT/setup/requirements.txt" >>"$log" 2>&1 ||
    die "Installing the Python requirements failed (the last lines of $log say why). The environment is kept; fix the cause and run this command again to continue."
  local site
  site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  printf '%s\n' "$ODOO_SRC" >"$site/odoo-source.pth"
  "$VENV/bin/python" -c 'import odoo, phonenumbers, rapidfuzz, pytest_odoo' >>"$log" 2>&1 ||
    die "The environment in $VENV was built but cannot import Odoo and our dependencies (see $log). Delete $VENV and run this command again."
  printf '%s\n' "$want" >"$stamp"
}

# --- Odoo configuration ----------------------------------------------------------------------
# write_odoo_conf FILE DBNAME [HTTP_PORT]
write_odoo_conf() {
  local file=$1 dbname=$2 port=${3:-8069}
  mkdir -p "$(dirname "$file")"
  sed -e "s|@ADDONS_PATH@|$ODOO_SRC/odoo/addons,$REPO_ROOT|" \
    -e "s|@DATA_DIR@|$CULTURE_CRM_HOME/data|" \
    -e "s|@DB_HOST@|$PGHOST|" -e "s|@DB_PORT@|$PGPORT|" -e "s|@DB_USER@|$PGUSER|" \
    -e "s|@DB_NAME@|$dbname|" -e "s|@HTTP_PORT@|$port|" \
    "$REPO_ROOT/setup/odoo.conf.template" >"$file"
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"; }

db_exists() { [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

# Refuses a database that some other Odoo version (or no Odoo) made.
check_db_version() {
  local db=$1 version
  version=$(psql -d "$db" -Atqc "select latest_version from ir_module_module where name = 'base'" 2>/dev/null || true)
  case "$version" in
    18.0.*) ;;
    "") die "Database '$db' exists but is not an Odoo database. Nothing was changed. Set CULTURE_CRM_DB to another name, or drop it (dropdb '$db') if you do not need it, then run this command again." ;;
    *) die "Database '$db' was made by Odoo ${version%%.*}.${version#*.}, not Odoo 18.0. Nothing was changed. Set CULTURE_CRM_DB to another name, or migrate or drop that database, then run this command again." ;;
  esac
}

# A hash of the addons' code: a change means the demo database needs an upgrade.
addons_fingerprint() {
  (cd "$REPO_ROOT" && find culture_crm culture_crm_stewardship culture_crm_ticketing -type f \
    ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}
