"""Debian's Chromium as the browser tests start it (never a downloaded browser)."""
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root, and kept off the network: nothing but the app on loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# How long a page action or wait may take before the test fails.
TIMEOUT_MS = 10_000
