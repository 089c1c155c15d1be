"""Each language's own date and number conventions (settings.FORMAT_MODULE_PATH).

Django has no Kazakh formats: its English ones gave "Жел. 3, 2026, 12:44 Т.Қ.". Kazakh writes
"2026 жылғы 3 желтоқсан, 12:44" (month names in lower case, 24-hour clock) and "1 300,5".
The lower-case month names come from oncoregistry/core/wording.py.
"""
