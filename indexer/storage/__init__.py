"""The index directory on disk: generations, CURRENT, stamp, manifest, clean-up, the writer lock."""
