"""RawDocument -> Document: citable units (UN layout, treaty texts) and the extraction cache."""
