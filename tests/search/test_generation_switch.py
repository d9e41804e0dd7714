"""A newly published generation is opened beside the old one: calls do not wait for it.

With ``switch="background"`` (the web app's), the call that notices a new
generation starts loading it and is answered from the old one, as are all
calls until the new one is loaded; then it is swapped in. The loading is held
up here on purpose (an engine whose ``open`` waits for an event), so what is
checked is the mechanism, not a duration.
"""
from __future__ import annotations

import threading

from build_helpers import MINAMATA_MD, MONTREAL_MD, copy_files
from indexer import engine as engines
from indexer.index.build import build_index
from indexer.search.service import SearchService
from indexer.storage.generations import current_generation


class HeldEngine:
    """The real engine, but opening a generation waits until ``release`` is set."""

    def __init__(self):
        self.real = engines.get()
        self.name = self.real.name
        self.release = threading.Event()
        self.opening = threading.Event()
        self.opened = []

    def open(self, path):
        if self.opened:  # the first generation opens at once
            self.opening.set()
            assert self.release.wait(60), "the test never released the load"
        self.opened.append(path.name)
        return self.real.open(path)


def service_with(engine, index_dir, switch):
    service = SearchService(index_dir, switch=switch)
    service.engine = engine
    return service


def test_calls_are_answered_from_the_old_generation_while_the_new_one_loads(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    copy_files(corpus, [MINAMATA_MD])
    first = build_index([corpus], index_dir, jobs=1).generation
    engine = HeldEngine()
    service = service_with(engine, index_dir, "background")
    assert service.search("ozone").total == 0 and service.generation() == first

    copy_files(corpus, [MONTREAL_MD])
    second = build_index([corpus], index_dir, jobs=1).generation
    assert current_generation(index_dir) == second != first
    # The load of the new generation has started and is held: calls go on, from the old one.
    assert service.generation() == first
    assert engine.opening.wait(60)
    for _ in range(20):
        assert service.search("ozone").total == 0
        assert service.generation() == first
    loaders = [t for t in threading.enumerate() if t.name == f"load-{second}"]
    assert len(loaders) == 1
    engine.release.set()
    loaders[0].join(120)
    assert service.generation() == second and service.search("ozone").total > 0
    assert engine.opened == [first, second]  # loaded once, though many calls noticed it


def test_wait_mode_answers_the_new_generation_at_once(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    copy_files(corpus, [MINAMATA_MD])
    build_index([corpus], index_dir, jobs=1)
    service = SearchService(index_dir)
    assert service.search("ozone").total == 0
    copy_files(corpus, [MONTREAL_MD])
    second = build_index([corpus], index_dir, jobs=1).generation
    assert service.generation() == second and service.search("ozone").total > 0


def test_opening_a_generation_reads_the_splitter_its_build_trained(tmp_path, monkeypatch):
    # Training Punkt takes a second of CPU: done once by the build, never by the
    # call (or the background thread) that takes up the generation.
    from indexer.search import service as service_module
    from indexer.storage.generations import SPLITTER_FILE

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    copy_files(corpus, [MINAMATA_MD])
    generation = build_index([corpus], index_dir, jobs=1).generation
    assert (index_dir / generation / SPLITTER_FILE).is_file()

    def untrainable(texts):
        raise AssertionError("the service trained a splitter its build had stored")

    monkeypatch.setattr(service_module, "train_splitter", untrainable)
    result = SearchService(index_dir).search("mercury")
    assert result.total > 0 and "<mark>" in result.hits[0].excerpt_html


def test_a_generation_without_a_stored_splitter_is_trained_on_opening(tmp_path):
    from indexer.storage.generations import SPLITTER_FILE

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    copy_files(corpus, [MINAMATA_MD])
    generation = build_index([corpus], index_dir, jobs=1).generation
    stored = SearchService(index_dir).search("mercury")
    (index_dir / generation / SPLITTER_FILE).unlink()
    trained = SearchService(index_dir).search("mercury")
    assert [h.excerpt_html for h in trained.hits] == [h.excerpt_html for h in stored.hits]
