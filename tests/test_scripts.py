"""The set-up scripts: they wait for a held apt/dpkg lock instead of failing, and install only hash-locked packages
(issue 17)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s#;\\]+)", re.MULTILINE)


def _wait(lock: Path, seconds: int) -> subprocess.Popen[str]:
    env = {**os.environ, "ENDROLL_APT_LOCKS": str(lock), "ENDROLL_APT_WAIT_SECONDS": str(seconds)}
    return subprocess.Popen(["bash", str(ROOT / "scripts" / "apt-wait.sh")], env=env, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def test_setup_waits_for_a_held_dpkg_lock(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    with lock.open("a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # as dpkg does while unattended upgrades run
        waiting = _wait(lock, 60)
        time.sleep(2.5)
        assert waiting.poll() is None  # still waiting, not failed
        fcntl.lockf(held, fcntl.LOCK_UN)
    assert waiting.wait(timeout=30) == 0
    assert "waiting for another apt/dpkg run" in waiting.stderr.read()


def test_setup_gives_up_with_a_message_after_its_limit(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    with lock.open("a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)
        gave_up = _wait(lock, 1)
        assert gave_up.wait(timeout=30) == 1
    assert "still busy" in gave_up.stderr.read()


def _pins(path: Path) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())}


@pytest.mark.parametrize(("source", "lock"), [("requirements.txt", "requirements.lock"),
                                              ("requirements-dev.txt", "requirements-dev.lock")])  # fmt: skip
def test_every_dependency_is_locked_with_hashes(source: str, lock: str) -> None:
    text = (ROOT / lock).read_text()
    locked = _pins(ROOT / lock)
    wanted = _pins(ROOT / source) | (_pins(ROOT / "requirements.txt") if source != "requirements.txt" else {})
    for name, version in wanted.items():
        assert locked.get(name, "").split("+")[0] == version, (name, version, locked.get(name))
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        if entry.strip() and not entry.startswith("#"):
            assert "--hash=sha256:" in entry, entry.splitlines()[0]
    assert len(entries) > 80  # the transitive closure, not only the direct pins
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "--require-hashes" in setup and lock in setup


def test_torch_is_locked_to_the_wheel_on_this_machine() -> None:
    # `pip install torch==2.13.0` finds the CPU build in the wheel folder of pip's configuration (find-links); the
    # lock must name exactly that file's hash, or a fresh install would refuse it.
    text = (ROOT / "requirements.lock").read_text()
    entry = text[text.index("\ntorch==") :].split("\n    #")[0]
    version = entry.split("==")[1].split()[0]
    assert version == "2.13.0+cpu"
    wheels = list(Path("/opt/wheels").glob(f"torch-{version}-*.whl"))
    if not wheels:
        pytest.skip("no local torch wheel folder on this machine")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    assert f"--hash=sha256:{digest}" in entry


def test_the_shipped_streamlit_settings_are_safe_and_start_uses_them() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none" and config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False
    start = (ROOT / "scripts" / "start.sh").read_text(encoding="utf-8")
    assert 'streamlit run server.py --server.address "${ENDROLL_SERVER_ADDRESS:-127.0.0.1}"' in start
    assert "--demo-passwords" not in start and "-demo" not in start.replace("data.demo", "")
