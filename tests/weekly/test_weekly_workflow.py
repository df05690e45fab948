"""The scheduling shipped with the project: the GitHub workflow, systemd units, README."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import yaml

from aiwire.curation import parse_curation

ROOT = Path(__file__).resolve().parents[2]


def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / "weekly.yml").read_text("utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _uses(workflow: dict, action: str) -> list[dict]:
    return [s for s in _steps(workflow) if s.get("uses", "").split("@")[0] == action]


def _exit_codes(condition: str) -> set[str]:
    """The exit codes a step's ``contains(fromJSON('["0","1"]'), ...)`` condition names."""
    found = re.findall(r"fromJSON\('(\[[^']*\])'\)", condition)
    assert len(found) == 1, condition
    return set(json.loads(found[0]))


def _step(workflow: dict, name_part: str) -> dict:
    steps = [s for s in _steps(workflow) if name_part in s.get("name", "")]
    assert len(steps) == 1, name_part
    return steps[0]


def test_runs_weekly_on_cron():
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))     # YAML 1.1 reads `on` as true
    crons = [entry["cron"] for entry in triggers["schedule"]]
    assert len(crons) == 1
    minute, hour, day, month, weekday = crons[0].split()
    assert (day, month) == ("*", "*") and re.fullmatch(r"[0-6]", weekday)
    assert minute.isdigit() and hour.isdigit()
    assert "workflow_dispatch" in triggers


def test_restores_and_saves_the_database():
    workflow = _workflow()
    restore, save = _uses(workflow, "actions/cache/restore"), _uses(workflow, "actions/cache/save")
    assert len(restore) == 1 and len(save) == 1
    assert "aiwire.db" in restore[0]["with"]["path"] and "aiwire.db" in save[0]["with"]["path"]
    assert restore[0]["with"]["restore-keys"].strip() in save[0]["with"]["key"]
    # saved after exit 0, 1 (some feeds failed) and 4 (stale), never after a storage
    # fault (3): a damaged database must not become the newest cache entry
    assert _exit_codes(save[0]["if"]) == {"0", "1", "4"}
    assert "always()" in save[0]["if"]
    steps = _steps(workflow)
    order = [s.get("uses", s.get("run", "")) for s in steps]
    run_at = next(i for i, s in enumerate(order) if "aiwire run" in s)
    assert order.index(restore[0]["uses"]) < run_at < order.index(save[0]["uses"])
    backup = _uses(workflow, "actions/upload-artifact")
    assert backup and "aiwire.db" in backup[0]["with"]["path"]


def test_installs_runs_and_deploys_pages():
    workflow = _workflow()
    runs = " ".join(s.get("run", "") for s in _steps(workflow))
    assert "make install" in runs
    assert re.search(r"aiwire run --feeds feeds\.yaml --db aiwire\.db --out public", runs)
    upload = _uses(workflow, "actions/upload-pages-artifact")
    assert upload and upload[0]["with"]["path"] == "public"
    deploy_jobs = [job for job in workflow["jobs"].values()
                   if any(s.get("uses", "").startswith("actions/deploy-pages")
                          for s in job.get("steps", []))]
    assert len(deploy_jobs) == 1 and deploy_jobs[0]["environment"]["name"] == "github-pages"
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_systemd_units():
    service = configparser.ConfigParser(interpolation=None)
    service.read(ROOT / "deploy" / "aiwire.service")
    assert service["Service"]["Type"] == "oneshot"
    assert " run " in service["Service"]["ExecStart"]
    timer = configparser.ConfigParser(interpolation=None)
    timer.read(ROOT / "deploy" / "aiwire.timer")
    assert timer["Timer"]["OnCalendar"].startswith("Mon ")
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "aiwire.service"


def test_readme_documents_scheduling_and_curation():
    readme = (ROOT / "README.md").read_text("utf-8")
    scheduling = readme.split("## Scheduling", 1)[1].split("\n## ", 1)[0]
    curation = readme.split("## Curation", 1)[1].split("\n## ", 1)[0]
    assert "weekly.yml" in scheduling and "systemctl" in scheduling
    assert re.search(r"^\d+ \d+ \* \* \d\s+cd .*aiwire run", scheduling, re.M)  # the cron line
    assert "--week 2026-W47" in scheduling
    example = re.search(r"```yaml\n(.*?)```", curation, re.S).group(1)
    edits = parse_curation(example, "README curation example").edits
    assert edits.merge and edits.split and edits.dismiss
    assert any(s.pin for s in edits.stories) and any(s.hide for s in edits.stories)
    assert any(s.note for s in edits.stories) and any(s.title for s in edits.stories)


# --- issue 13: an unattended week that goes red when it should ---------------------------

def test_keeps_the_schedule_alive_through_the_api():
    """Scheduled workflows of public repositories stop after 60 days without activity;
    re-enabling the workflow through the API each run restarts that count."""
    workflow = _workflow()
    step = _step(workflow, "Keep the schedule alive")
    assert "gh workflow enable weekly.yml" in step["run"]
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    assert workflow["permissions"]["actions"] == "write"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "60 days" in readme and "gh workflow enable" in readme


def _bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, **env))


@pytest.mark.parametrize("code", [0, 1, 2, 3, 4])
def test_the_run_step_records_every_exit_code_and_never_stops_the_job(tmp_path, code):
    """The workflow's own Run script, executed: the code goes to GITHUB_OUTPUT, the step
    itself succeeds, so the summary, the issue and the site steps all get their turn."""
    step = _step(_workflow(), "Run")
    fake = tmp_path / ".venv" / "bin" / "aiwire"
    fake.parent.mkdir(parents=True)
    fake.write_text(f"#!/bin/sh\necho 'aiwire says hello'\nexit {code}\n")
    fake.chmod(0o755)
    output = tmp_path / "github_output"
    result = _bash(step["run"], tmp_path, GITHUB_OUTPUT=str(output))
    assert result.returncode == 0, result.stderr
    assert output.read_text() == f"exit_code={code}\n"
    assert "aiwire says hello" in (tmp_path / "run.out").read_text()
    if code >= 2:
        assert f"::error::aiwire run exited {code}" in result.stdout


@pytest.mark.parametrize("code, words", [("2", "bad input"), ("3", "storage or output fault"),
                                         ("4", "every feed failed"), ("", "did not finish")])
def test_the_job_summary_says_why(tmp_path, code, words):
    step = _step(_workflow(), "Job summary")
    assert step["if"] == "always()"
    (tmp_path / "run.out").write_text("error: aiwire.db: the database is damaged\n")
    summary = tmp_path / "summary.md"
    result = _bash(step["run"], tmp_path, GITHUB_STEP_SUMMARY=str(summary), CODE=code)
    assert result.returncode == 0, result.stderr
    text = summary.read_text()
    assert f"exit {code or 'none'}" in text and words in text
    assert "the database is damaged" in text


def test_exit_2_3_and_4_open_an_issue_and_fail_the_job():
    workflow = _workflow()
    issue = _step(workflow, "Open or update the failure issue")
    assert _exit_codes(issue["if"]) == {"2", "3", "4"} and "always()" in issue["if"]
    assert "gh issue create" in issue["run"] and "gh issue comment" in issue["run"]
    assert workflow["permissions"]["issues"] == "write"
    close = _step(workflow, "Close the failure issue")
    assert _exit_codes(close["if"]) == {"0", "1"} and "gh issue close" in close["run"]
    fail = _step(workflow, "Fail the job")
    assert _exit_codes(fail["if"]) == {"2", "3", "4"}
    assert fail["run"] == "exit ${{ steps.run.outputs.exit_code }}"
    assert workflow["jobs"]["run"]["steps"][-1] is fail   # after everything else ran


def test_the_site_is_published_after_0_1_and_4_only():
    workflow = _workflow()
    upload = _uses(workflow, "actions/upload-pages-artifact")[0]
    assert _exit_codes(upload["if"]) == {"0", "1", "4"}
    deploy = next(job for job in workflow["jobs"].values() if job.get("needs") == "run")
    assert _exit_codes(deploy["if"]) == {"0", "1", "4"} and "always()" in deploy["if"]


def test_pip_and_the_virtualenv_are_cached_with_the_stamp_inputs():
    workflow = _workflow()
    python = _uses(workflow, "actions/setup-python")[0]
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "requirements.lock"
    venv = [s for s in _uses(workflow, "actions/cache") if s["with"]["path"] == ".venv"]
    assert len(venv) == 1
    key = venv[0]["with"]["key"]
    assert "hashFiles('requirements.lock', 'pyproject.toml')" in key
    assert "steps.python.outputs.python-version" in key and python["id"] == "python"
    order = [s.get("uses", s.get("run", "")) for s in _steps(workflow)]
    assert order.index(venv[0]["uses"]) < order.index("make install")


def _make_project(folder: Path) -> None:
    folder.mkdir()
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_install_does_not_reinstall_for_new_dates_only(tmp_path):
    """What a CI run looks like: a fresh checkout (new dates) and a virtualenv restored
    from the cache (its stamp as old as the cache). The stamp is named by content, so
    make has nothing to do; new bytes in requirements.lock mean a reinstall."""
    project = tmp_path / "project"
    _make_project(project)
    dry = subprocess.run(["make", "-n", "install"], cwd=project, capture_output=True,
                         text=True, check=True).stdout
    stamp = re.search(r"^touch (\S+)$", dry, re.M).group(1)
    assert re.fullmatch(r"\.venv/\.installed-[0-9a-f]{16}", stamp)
    (project / stamp).parent.mkdir(parents=True)
    (project / stamp).touch()
    os.utime(project / stamp, (1_000_000_000, 1_000_000_000))        # restored: 2001
    for name in ("requirements.lock", "pyproject.toml", "Makefile"):
        os.utime(project / name)                                     # checked out: now
    up_to_date = subprocess.run(["make", "-q", "install"], cwd=project)
    assert up_to_date.returncode == 0
    with open(project / "requirements.lock", "a", encoding="utf-8") as lock:
        lock.write("# a re-pinned dependency\n")
    assert subprocess.run(["make", "-q", "install"], cwd=project).returncode == 1


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str          # systemd keys are case-sensitive
    unit.read(ROOT / "deploy" / name)
    return unit


def test_systemd_unit_is_hardened_and_notifies_on_failure():
    service = _unit("aiwire.service")
    assert service["Unit"]["OnFailure"] == "aiwire-notify@%n.service"
    hardening = service["Service"]
    assert hardening["ProtectSystem"] == "strict"
    assert hardening["ReadWritePaths"] == hardening["WorkingDirectory"] == "/srv/aiwire"
    for key in ("PrivateTmp", "NoNewPrivileges", "ProtectHome", "PrivateDevices",
                "RestrictNamespaces", "ProtectKernelTunables", "ProtectControlGroups"):
        assert hardening[key] == "true", key
    assert set(hardening["RestrictAddressFamilies"].split()) == {"AF_INET", "AF_INET6",
                                                                 "AF_UNIX"}
    assert hardening["CapabilityBoundingSet"] == ""
    assert hardening["SuccessExitStatus"] == "1"    # only 2, 3, 4 are failures
    notify = _unit("aiwire-notify@.service")
    assert notify["Service"]["ExecStart"] == "/srv/aiwire/deploy/aiwire-notify %i"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_units_verify_cleanly(tmp_path):
    for name in ("aiwire.service", "aiwire.timer", "aiwire-notify@.service"):
        text = (ROOT / "deploy" / name).read_text("utf-8")
        text = text.replace("/srv/aiwire/.venv/bin/aiwire", "/bin/true")
        text = text.replace("/srv/aiwire/deploy/aiwire-notify", "/bin/true")
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "aiwire.service"),
         str(tmp_path / "aiwire.timer"), str(tmp_path / "aiwire-notify@aiwire.service.service")],
        capture_output=True, text=True, timeout=60,
        env=dict(os.environ, SYSTEMD_UNIT_PATH=f"{tmp_path}:"))
    if "Failed to" in result.stderr and "bus" in result.stderr.lower():
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr and "ignoring" not in result.stderr, result.stderr


def _stub(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


@pytest.mark.parametrize("email", ["editors@example.org", ""])
def test_the_notify_script_logs_and_mails_when_configured(tmp_path, email):
    """deploy/aiwire-notify with the system commands it calls replaced by recorders
    (no systemd or mail server in a test): an error line always, a mail only when
    AIWIRE_NOTIFY_EMAIL is set."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir, "systemctl", "echo 3\n")
    _stub(bin_dir, "journalctl", "echo 'error: aiwire.db: the database is damaged'\n")
    _stub(bin_dir, "logger", f'echo "$@" >> {tmp_path}/logger.txt\n')
    _stub(bin_dir, "sendmail", f"cat >> {tmp_path}/mail.txt\n")
    _stub(bin_dir, "hostname", "echo newsroom\n")
    result = subprocess.run([str(ROOT / "deploy" / "aiwire-notify"), "aiwire.service"],
                            capture_output=True, text=True, timeout=30,
                            env={"PATH": f"{bin_dir}:/usr/bin:/bin",
                                 "AIWIRE_NOTIFY_EMAIL": email})
    assert result.returncode == 0, result.stderr
    logged = (tmp_path / "logger.txt").read_text()
    assert "daemon.err" in logged and "aiwire.service failed on newsroom (exit 3)" in logged
    mail = tmp_path / "mail.txt"
    if email:
        text = mail.read_text()
        assert f"To: {email}" in text
        assert "Subject: [aiwire] aiwire.service failed on newsroom (exit 3)" in text
        assert "the database is damaged" in text
    else:
        assert not mail.exists()


def test_logrotate_snippet_rotates_the_cron_output_by_size():
    text = (ROOT / "deploy" / "logrotate-aiwire").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    cron = re.search(r"^\d+ \d+ \* \* \d\s+cd (\S+) .*>> (\S+) 2>&1$", readme, re.M)
    assert cron, "the README's cron line"
    target = f"{cron.group(1)}/{cron.group(2)}"
    block = re.search(rf"^{re.escape(target)} \{{\n(.*?)^\}}", text, re.S | re.M)
    assert block, f"a logrotate block for {target}"
    directives = {line.split()[0]: line.split()[1:] for line in block.group(1).splitlines()
                  if line.strip() and not line.strip().startswith("#")}
    assert "maxsize" in directives and "rotate" in directives
    assert int(directives["rotate"][0]) >= 1
    assert {"copytruncate", "missingok", "compress"} <= set(directives)
    if shutil.which("logrotate"):
        state = Path(os.environ.get("TMPDIR", "/tmp")) / "aiwire-logrotate.state"
        check = subprocess.run(["logrotate", "-d", "-s", str(state),
                                str(ROOT / "deploy" / "logrotate-aiwire")],
                               capture_output=True, text=True, timeout=60)
        assert "error" not in check.stderr.lower(), check.stderr
