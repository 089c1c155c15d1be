"""Spreadsheet import and export of registry records (docs/imports.md).

Above provenance (it writes citations) and below the domain apps, whose ``resources.py``
build on it; ``oncoregistry.tooling.spreadsheets`` names every resource for the command."""
