"""The one version stamp: what an index generation (and the bench's records) was built with.

Every version that keys the index lives here. A change in any part means the
next build rebuilds (schema, analyzer) or re-extracts (extractor) or re-tags
(vocabulary); ``indexer.index.build`` compares the stamp of the current
generation with this one.
"""
from __future__ import annotations

# Bump when the index records' fields, their engine schema or the files a reader maps change.
SCHEMA_VERSION = "7"  # 6: memory-mapped columns beside each commit; 7: unit ids, prefixes and titles in them
# Bump when tokenising or stemming changes (indexer.text.analysis).
ANALYZER_VERSION = "2"
# The parts of a stamp a build compares.
STAMP_KEYS = ("schema", "analyzer", "extractor", "vocabulary")


def version_stamp(extractor_version: str, vocabulary_fingerprint: str) -> dict:
    """What an index is built with; a change in any part means rebuild or re-tag."""
    return {
        "schema": SCHEMA_VERSION,
        "analyzer": ANALYZER_VERSION,
        "extractor": extractor_version,
        "vocabulary": vocabulary_fingerprint,
    }
