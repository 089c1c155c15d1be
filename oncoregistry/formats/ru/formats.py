# Russian: Django's own conventions ("3 декабря 2026 г.", "1 300,5"); the rest is read from
# django.conf.locale.ru. Russian texts put a comma between the date and the time.
DATETIME_FORMAT = "j E Y г., G:i"
