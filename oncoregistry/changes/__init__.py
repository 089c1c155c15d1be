"""The change feed (``/api/v1/changes/``): creations, changes and deletions of published
records, from the history every record model keeps."""
