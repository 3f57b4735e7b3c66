# shellcheck shell=bash
# Databases for setup/run and setup/test. The Odoo modules we depend on (crm,
# mass_mailing, event...) take minutes to install, so a template database with just them
# is built once per Odoo source and dependency list, and each test database starts as a
# copy of it (with its filestore).

filestore_of() { printf '%s/data/filestore/%s' "$CULTURE_CRM_HOME" "$1"; }

drop_database() {
  local db=$1
  db_exists "$db" || return 0
  psql -d postgres -Atqc "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$db' and pid <> pg_backend_pid()" >/dev/null 2>&1 || true
  dropdb --if-exists "$db" >/dev/null 2>&1 || note "could not drop database $db; drop it by hand (dropdb $db)"
  rm -rf "$(filestore_of "$db")"
}

# The Odoo modules our addons depend on, outside this repository.
dependency_modules() {
  "$VENV/bin/python" - "$REPO_ROOT" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
ours = {p.parent.name for p in root.glob("*/__manifest__.py")}
deps = set()
for manifest in root.glob("*/__manifest__.py"):
    deps.update(ast.literal_eval(manifest.read_text()).get("depends", []))
print(",".join(sorted(deps - ours)))
PY
}

odoo_install() {
  local conf=$1 db=$2 modules=$3 log
  log="$CULTURE_CRM_HOME/install-$db.log"
  if ! odoo_bin -c "$conf" -d "$db" -i "$modules" --stop-after-init --log-level=warn >"$log" 2>&1 ||
    grep -qE '(ERROR|CRITICAL) ' "$log"; then
    grep -E -A30 '(ERROR|CRITICAL) ' "$log" | head -60 >&2 || tail -30 "$log" >&2
    die "Installing $modules into database $db failed; the lines above are from $log."
  fi
  rm -f "$log"
}

odoo_update() {
  local conf=$1 db=$2 modules=$3 log
  log="$CULTURE_CRM_HOME/update-$db.log"
  if ! odoo_bin -c "$conf" -d "$db" -u "$modules" --stop-after-init --log-level=warn >"$log" 2>&1 ||
    grep -qE '(ERROR|CRITICAL) ' "$log"; then
    grep -E -A30 '(ERROR|CRITICAL) ' "$log" | head -60 >&2 || tail -30 "$log" >&2
    die "Upgrading $modules in database $db failed; the lines above are from $log. The database was not changed beyond what Odoo committed; fix the cause and run this command again."
  fi
  rm -f "$log"
}

# clone_dependency_template CONF NEW_DB: NEW_DB becomes a copy of the template.
clone_dependency_template() {
  local conf=$1 db=$2 deps key tpl
  deps=$(dependency_modules)
  key=$(printf '%s\n%s\n' "$deps" "$(cat "$ODOO_SRC/odoo/release.py" "$ODOO_SRC/requirements.txt")" | sha256sum | cut -c1-10)
  tpl="culture_tpl_$key"
  if ! db_exists "$tpl"; then
    # Built under a name of its own and renamed at the end: an interrupted build leaves
    # no half template, and two runs building at once do not trample each other.
    local building="${tpl}_b$$"
    note "building template $tpl with $deps (once per Odoo source and dependency list)"
    local tpl_conf="$CULTURE_CRM_HOME/template-$$.conf"
    write_odoo_conf "$tpl_conf" "$building" 0
    odoo_install "$tpl_conf" "$building" "$deps"
    rm -f "$tpl_conf"
    if psql -d postgres -Atqc "alter database $building rename to $tpl" >/dev/null 2>&1; then
      rm -rf "$(filestore_of "$tpl")"
      [ -d "$(filestore_of "$building")" ] && mv "$(filestore_of "$building")" "$(filestore_of "$tpl")"
    else
      drop_database "$building"
    fi
    # Templates of older dependency lists or Odoo sources are of no further use.
    local old
    for old in $(psql -d postgres -Atqc "select datname from pg_database where datname like 'culture_tpl_%' and datname <> '$tpl' and datname !~ '_b[0-9]+$'"); do
      drop_database "$old"
    done
  fi
  createdb -T "$tpl" "$db" || die "Could not copy template database $tpl into $db. Another session may be using the template; close it and run this command again."
  mkdir -p "$(dirname "$(filestore_of "$db")")"
  [ -d "$(filestore_of "$tpl")" ] && cp -a "$(filestore_of "$tpl")" "$(filestore_of "$db")"
  return 0
}
