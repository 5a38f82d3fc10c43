"""Reads that pages need, one module per area; each returns ready QuerySets."""
