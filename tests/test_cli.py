"""The command line as users run it: a real process over the shared-corpus index."""
from __future__ import annotations

import subprocess
import sys

from build_helpers import PACKAGE_ROOT


def run_cli(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args], cwd=PACKAGE_ROOT,
        capture_output=True, text=True, timeout=120, **options,
    )


def test_search_prints_plain_excerpts_with_matches_marked(shared_index):
    done = run_cli("search", "regional centres", "--index-dir", str(shared_index), "--limit", "5")
    assert done.returncode == 0, done.stderr
    assert "<mark>" not in done.stdout and "&quot;" not in done.stdout and "&amp;" not in done.stdout
    assert "*regional centres*" in done.stdout.lower()


def test_search_json_into_a_closed_pipe_exits_quietly(shared_index):
    # `search --json | head -c 100`: head closes the pipe long before the JSON ends.
    command = (
        f"{sys.executable} -m indexer search Parties --limit 100 --json --index-dir {shared_index} | head -c 100"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], cwd=PACKAGE_ROOT,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(done.stdout) == 100
