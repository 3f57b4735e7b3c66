# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Duplicate detection: our engine against Odoo core's grouping and Splink, side by side.

    ./setup/bench dedupe [--sizes 10000,100000] [--methods ours,odoo,splink]
                         [--splink-max 100000] [--checks 500] [--seed 7]

For each size it generates one synthetic Dutch/Belgian file with known duplicate clusters
(generator.py), runs every method on that same file in its own process, and prints
precision, recall and F1 over pairs, wall seconds, CPU seconds and peak memory (the
summed proportional set size of the process and its children, sampled every 0.2 s).
Splink runs in its own venv (made on first use, see ensure_bench_venv); above
--splink-max records it is skipped, and the table says so. After the largest size it
times single-contact checks against an in-memory index of the whole file.

The CPU column matters on a shared machine: wall seconds include waiting for other
processes, CPU seconds do not.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DATA_HOME = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
CRM_HOME = Path(os.environ.get("CULTURE_CRM_HOME", DATA_HOME / "culture-crm"))
BENCH_VENV = CRM_HOME / "bench-venv"
SPLINK_REQUIREMENT = "splink==5.*"
WORK_DIR = Path(os.environ.get("CULTURE_CRM_BENCH_DIR", "/tmp/culture-crm-bench"))
GOAL_F1 = 0.95
GOAL_FULL_SCAN_SECONDS = 300
GOAL_FULL_SCAN_MB = 4096
GOAL_SINGLE_MS = 50

sys.path.insert(0, str(HERE))
import generator  # noqa: E402


def say(text=""):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def ensure_bench_venv():
    """The bench venv with Splink, kept apart from the CRM's venv (the issue asks so)."""
    python = BENCH_VENV / "bin" / "python"
    if python.exists():
        check = subprocess.run(
            [str(python), "-c", "import splink, duckdb"], capture_output=True, check=False
        )
        if check.returncode == 0:
            return python
    say(f"==> bench venv with {SPLINK_REQUIREMENT} in {BENCH_VENV} (first run: a minute)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], check=True)
    log = CRM_HOME / "bench-pip.log"
    with open(log, "w", encoding="utf-8") as output:
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", SPLINK_REQUIREMENT, "psutil"],
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if installed.returncode != 0:
        raise SystemExit(f"Installing {SPLINK_REQUIREMENT} failed; see {log}.")
    return python


# --- running one method ------------------------------------------------------------------------


def _tree_memory(process):
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            info = member.memory_full_info()
            total += getattr(info, "pss", 0) or info.rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def run_method(python, method, contacts, pairs, *extra):
    """Run dedupe_methods.py in a fresh process; return its result with wall seconds,
    CPU seconds (itself and its children) and peak memory in MB."""
    command = [str(python), str(HERE / "dedupe_methods.py"), method, str(contacts)]
    if pairs is not None:
        command.append(str(pairs))
    command.extend(extra)
    before = psutil.Process().cpu_times()
    started = time.perf_counter()
    # Output goes to files: a full pipe would stall the child while we only sample memory.
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True)
        watched = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, _tree_memory(watched))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.2)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    after = psutil.Process().cpu_times()
    if child.returncode != 0:
        say(f"    {method} failed (exit {child.returncode}):")
        for line in errors.strip().splitlines()[-5:]:
            say(f"      {line}")
        return None
    result = {}
    for line in output.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    result["cpu"] = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    result["wall"] = wall
    result["peak_mb"] = peak / 2**20
    return result


# --- scoring against the truth -----------------------------------------------------------------


def true_pairs(truth_path):
    clusters = {}
    with open(truth_path, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            clusters.setdefault(row["cluster"], []).append(int(row["id"]))
    pairs = set()
    for ids in clusters.values():
        if len(ids) > 1:
            pairs.update(combinations(sorted(ids), 2))
    return pairs


def read_pairs(path, threshold=None):
    found = set()
    with open(path, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if threshold is not None and float(row["score"]) < threshold:
                continue
            a, b = int(row["id_a"]), int(row["id_b"])
            found.add((a, b) if a < b else (b, a))
    return found


def quality(found, truth):
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(path, truth):
    """Splink's best F1 over match-probability thresholds: an oracle, for fairness."""
    scored = []
    with open(path, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            a, b = int(row["id_a"]), int(row["id_b"])
            scored.append((float(row["score"]), (a, b) in truth))
    scored.sort(reverse=True)
    best = (0.0, 1.0)
    hits = 0
    for rank, (score, hit) in enumerate(scored, start=1):
        hits += hit
        precision, recall = hits / rank, hits / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        best = max(best, (f1, score))
    return best


def explain_misses(contacts, truth, found):
    """Why our engine missed or wrongly proposed pairs, counted by kind (for the notes)."""
    sys.path.append(str(REPO_ROOT / "culture_crm"))
    from matching.cli import read_contacts
    from matching.engine import MatchEngine

    engine = MatchEngine()
    with open(contacts, "rb") as binary:
        index = engine.build_index(read_contacts(binary, str(contacts)))
    position = {profile.id: n for n, profile in enumerate(index.profiles)}
    missed = {}
    for a, b in truth - found:
        i, j = position[a], position[b]
        if not set(index.keys[i]) & set(index.keys[j]):
            kind = "share no blocking key (nothing in common but perhaps a name)"
        else:
            _score, reasons = engine.explain(index.profiles[i], index.profiles[j], index.count)
            text = "; ".join(reasons)
            if "different e-mail addresses" in text:
                kind = "capped: two different e-mail addresses (the parent/child rule)"
            elif "first names differ" in text or "initials differ" in text:
                kind = "first names differ (typo or nickname not known)"
            elif "initial" in text:
                kind = "only an initial and too little else in common"
            else:
                kind = "too little in common"
        missed[kind] = missed.get(kind, 0) + 1
    total = len(truth)
    lines = [
        f"missed {count} of {total} true pairs ({100 * count / total:.1f}%): {kind}"
        for kind, count in sorted(missed.items(), key=lambda item: -item[1])
    ]
    return lines


# --- the run -----------------------------------------------------------------------------------


def dataset(size, seed):
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    path = WORK_DIR / f"contacts-{size}-seed{seed}.csv"
    truth = path.with_name(path.stem + ".truth.csv")
    if not (path.exists() and truth.exists()):
        started = time.perf_counter()
        records, clusters = generator.write(size, str(path), seed)
        say(
            f"    generated {records} records, {clusters} duplicate clusters "
            f"({time.perf_counter() - started:.0f} s): {path}"
        )
    return path, truth


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--methods", default="ours,odoo,splink")
    parser.add_argument("--splink-max", type=int, default=100000)
    parser.add_argument("--checks", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--explain-max", type=int, default=100000, help="largest size whose misses are explained"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    methods = args.methods.split(",")
    crm_python = Path(sys.executable)
    splink_python = ensure_bench_venv() if "splink" in methods else None
    rows = []
    notes = []
    for size in sizes:
        say(f"==> {size} records")
        contacts, truth_path = dataset(size, args.seed)
        truth = true_pairs(truth_path)
        for method in methods:
            label = {"ours": "ours", "odoo": "Odoo core (email; name)", "splink": "Splink"}
            label = label[method]
            if method == "splink" and size > args.splink_max:
                rows.append((size, label, None, f"skipped above --splink-max {args.splink_max}"))
                continue
            python = splink_python if method == "splink" else crm_python
            pairs = WORK_DIR / f"pairs-{method}-{size}.csv"
            say(f"    {label} ...")
            result = run_method(python, method, contacts, pairs)
            if result is None:
                rows.append((size, label, None, "failed"))
                continue
            found = read_pairs(pairs)
            result["quality"] = quality(found, truth)
            result["pairs"] = len(found)
            if method == "splink":
                label = f"Splink {result['version']} (p>={result['threshold']})"
                f1, at = best_threshold(str(pairs) + ".all", truth)
                notes.append(
                    f"{size}: Splink at its best threshold (chosen with the truth, p>={at:.3f})"
                    f" reaches F1 {f1:.3f}"
                )
                notes.extend(f"{size}: Splink {note}" for note in result.get("notes", []))
            if method == "odoo":
                by_field = result["pairs_by_field"]
                notes.append(
                    f"{size}: Odoo core proposes {by_field['email']} pairs by lower(email) and "
                    f"{by_field['name']} by lower(name)"
                )
            rows.append((size, label, result, f"{len(truth)} true pairs"))
            if method == "ours" and size <= args.explain_max:
                notes.extend(
                    f"{size}: ours {line}" for line in explain_misses(contacts, truth, found)
                )
    print_table(rows)
    if "ours" in methods:
        largest = max(sizes)
        contacts, _truth = dataset(largest, args.seed)
        say(f"==> single-contact checks against an index of {largest} contacts (ours)")
        single = run_method(crm_python, "single", contacts, None, "--checks", str(args.checks))
        if single:
            for kind, text in (
                ("retyped", "an existing contact typed in again ('Surname, I.')"),
                ("stranger", "a new stranger"),
            ):
                got = single[kind]
                say(
                    f"    {text}: median {got['median_ms']:.2f} ms, p95 {got['p95_ms']:.2f} ms,"
                    f" max {got['max_ms']:.2f} ms over {got['checks']} checks; "
                    f"{got['found']} found a likely duplicate"
                )
    for note in notes:
        say(f"    note {note}")
    return 0


def print_table(rows):
    say()
    header = (
        f"{'records':>9}  {'method':<28} {'pairs':>8} {'precision':>9} {'recall':>7} "
        f"{'F1':>6} {'wall s':>8} {'CPU s':>7} {'peak MB':>8}  goal"
    )
    say(header)
    say("-" * len(header))
    by_size = {}
    for size, label, result, _detail in rows:
        if result:
            by_size.setdefault(size, {})[label] = result
    for size, label, result, detail in rows:
        if result is None:
            say(f"{size:>9}  {label:<28} {detail}")
            continue
        precision, recall, f1 = result["quality"]
        # A run shorter than the first 0.2 s sample has no memory figure.
        peak = f"{result['peak_mb']:.0f}" if result["peak_mb"] >= 1 else "n/a"
        verdict = ""
        if label == "ours":
            peers = [r["quality"][2] for name, r in by_size[size].items() if name != "ours"]
            checks = [f"F1>={GOAL_F1}: {'yes' if f1 >= GOAL_F1 else 'NO'}"]
            if peers:
                checks.append(f"above peers: {'yes' if f1 > max(peers) else 'NO'}")
            splink = [r for name, r in by_size[size].items() if name.startswith("Splink")]
            if splink and size >= 100000:
                faster = result["wall"] < splink[0]["wall"]
                checks.append(f"faster than Splink: {'yes' if faster else 'NO'}")
            if size >= 1000000:
                fits = result["wall"] < GOAL_FULL_SCAN_SECONDS
                small = result["peak_mb"] < GOAL_FULL_SCAN_MB
                checks.append(
                    f"<5 min: {'yes' if fits else 'NO'}, <4 GB: {'yes' if small else 'NO'}"
                )
            verdict = "; ".join(checks)
        say(
            f"{size:>9}  {label:<28} {result['pairs']:>8} {precision:>9.4f} {recall:>7.4f} "
            f"{f1:>6.4f} {result['wall']:>8.1f} {result['cpu']:>7.1f} {peak:>8}"
            f"  {verdict}"
        )
    say()


if __name__ == "__main__":
    sys.exit(main())
