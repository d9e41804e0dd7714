"""Every file accounted for: links, loops, unreadable folders, odd names, encrypted PDFs,
duplicates and other file types are each indexed or named with a reason; failures of
the environment are not remembered as facts about a file; a full disk is one line."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from build_helpers import RESOLUTION_PDF, SBI_TXT, SEED_PDF, SEED_TXT, copy_files, run_indexer, indexer_command, indexer_env, PACKAGE_ROOT
from indexer.index.build import build_index
from indexer.storage import generations as store

SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
# Runs the indexer as root without the capabilities that let root read any folder
# (CI runs as root, for whom a mode 000 folder is readable).
WITHOUT_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
               "--inh-caps", "-dac_override,-dac_read_search", "--"]
NEWLINE_NAME = "Note by the\nsecretariat.txt"
NOTE_WITHOUT_SYMBOL = """\
Note by the secretariat on the handling of file names

1. The secretariat received submissions from Parties on the storage of mercury.

2. Parties shall report on measures taken to implement the present decision.
"""


def aes_pdf(source, target, user_password: str = "") -> None:
    """An AES-256 encrypted copy of ``source`` (the empty user password opens it)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    with open(target, "wb") as handle:
        writer.write(handle)


def without_dac_works(probe_dir) -> str | None:
    """None when a child can run without read-any-folder capabilities, else why not."""
    if shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    locked = probe_dir / "probe"
    locked.mkdir()
    locked.chmod(0)
    try:
        probe = subprocess.run([*WITHOUT_DAC, "ls", str(locked)], capture_output=True, text=True)
    finally:
        locked.chmod(0o755)
    if probe.returncode == 0:
        return "dropping capabilities does not take away read access here"
    if "Permission denied" not in probe.stderr:
        return f"setpriv cannot drop capabilities here: {probe.stderr.strip()}"
    return None


@pytest.fixture
def hostile_folder(tmp_path):
    corpus = tmp_path / "corpus"
    good = copy_files(corpus, [SBI_TXT, SEED_PDF]) + copy_files(corpus, [SEED_TXT], whole=True)
    aes_pdf(RESOLUTION_PDF, corpus / "resolution-aes.pdf")
    (corpus / NEWLINE_NAME).write_text(NOTE_WITHOUT_SYMBOL, encoding="utf-8")
    (corpus / "loop").symlink_to(".")  # a folder link back to its own folder
    (corpus / "self.txt").symlink_to("self.txt")  # a link to itself
    (corpus / "gone.txt").symlink_to("missing.txt")  # dangling
    locked = corpus / "locked"
    locked.mkdir()
    shutil.copyfile(SBI_TXT, locked / "inside.txt")
    locked.chmod(0)
    (corpus / "report.docx").write_bytes(b"PK\x03\x04")
    (corpus / "figures.xlsx").write_bytes(b"PK\x03\x04")
    yield corpus, good
    locked.chmod(0o755)


def test_every_file_is_indexed_or_named_with_a_reason(hostile_folder, tmp_path):
    corpus, (sbi, seed_pdf, seed_txt) = hostile_folder
    reason = without_dac_works(tmp_path)
    if reason:
        pytest.skip(f"cannot make a folder unreadable to the indexer: {reason}")
    report_path = tmp_path / "report.json"
    child = subprocess.run(
        [*WITHOUT_DAC, *indexer_command("index", corpus, "--index-dir", tmp_path / "index",
                                        "--report", report_path, "--jobs", "2")],
        env=indexer_env(), cwd=PACKAGE_ROOT, capture_output=True, text=True, timeout=300,
    )
    report = json.loads(report_path.read_text(encoding="utf-8"))
    failed = {entry["path"]: entry["reason"] for entry in report["failed"]}

    assert sorted(report["added"]) == sorted(
        str(p) for p in (sbi, seed_pdf, corpus / "resolution-aes.pdf", corpus / NEWLINE_NAME)
    )
    # the .txt is the same document as the .pdf: named, not a failure
    assert report["duplicates"] == [
        {"path": str(seed_txt), "reason": f"duplicate of {seed_pdf}: same symbol {SEED_SYMBOL}"}
    ]
    assert failed[str(corpus / "loop")].startswith("symbolic link loop")
    assert failed[str(corpus / "self.txt")].startswith("symbolic link loop")
    assert failed[str(corpus / "gone.txt")].startswith("broken symbolic link (it points to missing.txt")
    assert failed[str(corpus / "locked")] == "cannot read this folder (Permission denied): check its permissions"
    assert len(failed) == 4
    assert sorted(entry["path"] for entry in report["skipped"]) == [
        str(corpus / "figures.xlsx"), str(corpus / "report.docx")
    ]
    assert child.returncode == report["exit_code"] == 2, child.stderr

    lines = child.stderr.splitlines() + child.stdout.splitlines()
    # one line per file, the newline in a name shown as \n
    assert any("Note by the\\nsecretariat.txt" in line for line in lines)
    assert not any(line.startswith("secretariat.txt") for line in lines)
    skipped = [line for line in lines if line.startswith("skipped ")]
    assert len(skipped) == 1 and "report.docx" in skipped[0] and "figures.xlsx" in skipped[0]
    assert "Traceback" not in child.stderr


def test_an_aes_256_pdf_is_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    aes_pdf(SEED_PDF, corpus / "seed-aes.pdf")
    report = build_index([corpus], tmp_path / "index", jobs=1)
    assert report.exit_code == 0 and report.added == [str(corpus / "seed-aes.pdf")], report.failed


def test_a_missing_library_is_not_cached_as_a_fact_about_the_file(tmp_path, monkeypatch):
    from pypdf.errors import DependencyError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    aes_pdf(SEED_PDF, corpus / "seed-aes.pdf")
    index_dir = tmp_path / "index"

    def no_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    with monkeypatch.context() as patch:
        patch.setattr(PdfReader, "decrypt", no_cryptography)
        first = build_index([corpus], index_dir, jobs=1)
    assert [reason for _, reason in first.failed] == [
        "a library needed to read this PDF is missing (cryptography>=3.1 is required for AES algorithm); "
        "install it and index again"
    ]
    assert not list((index_dir / store.CACHE_DIR).glob("*.json"))

    second = build_index([corpus], index_dir, jobs=1)  # the library is there again
    assert second.exit_code == 0 and second.added == [str(corpus / "seed-aes.pdf")]


def test_running_out_of_memory_is_not_cached(tmp_path, monkeypatch):
    from indexer.units import extract

    corpus = tmp_path / "corpus"
    copy_files(corpus, [SBI_TXT])
    index_dir = tmp_path / "index"

    def exhausted(path):
        raise MemoryError()

    with monkeypatch.context() as patch:
        patch.setattr(extract.readers, "read", exhausted)
        first = build_index([corpus], index_dir, jobs=1)
    assert [reason for _, reason in first.failed] == ["out of memory"]
    assert not list((index_dir / store.CACHE_DIR).glob("*.json"))
    assert build_index([corpus], index_dir, jobs=1).exit_code == 0


# -- a full disk ----------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs, unmounted afterwards; skipped where mounting is impossible."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_is_one_line_and_the_next_run_succeeds(tmp_path, small_disk):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SEED_PDF, RESOLUTION_PDF])
    index_dir = small_disk / "index"
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (4 * 1024 * 1024 - 100 * 1024))  # about 100 KB left

    full = run_indexer("index", corpus, "--index-dir", index_dir, "--jobs", "1")

    assert full.returncode == 1
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, full.stderr
    assert f"the index directory {index_dir} while " in errors[0]
    assert "free some space" in errors[0] and "run the same command again" in errors[0]
    assert "Traceback" not in full.stderr
    assert store.current_generation(index_dir) is None

    filler.unlink()
    again = run_indexer("index", corpus, "--index-dir", index_dir, "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert store.current_generation(index_dir) is not None


def test_failures_the_old_cache_format_kept_are_read_again(tmp_path):
    from indexer.units.cache import CachedFailure, entry_path, read_entry, write_entry

    sha = "ab" * 32
    # format 1 cached "encrypted PDF" for AES files read without the cryptography package
    entry_path(tmp_path, sha, "2+pypdf-7.1.1").write_text(json.dumps(
        {"format": 1, "sha256": sha, "error": "encrypted PDF: it needs a password to open"}
    ))
    assert read_entry(tmp_path, sha, "2+pypdf-7.1.1") is None
    write_entry(tmp_path, sha, "2+pypdf-7.1.1", CachedFailure("not a readable PDF"))
    assert read_entry(tmp_path, sha, "2+pypdf-7.1.1") == "not a readable PDF"
