"""Search engines behind one seam; only ``engine/whoosh`` knows Whoosh."""
