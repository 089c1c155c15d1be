"""Dated releases: versioned bundles of the whole published registry (a CSV per resource,
a JSON file, a data dictionary, sources and citations, SHA-256 checksums, a README)."""
