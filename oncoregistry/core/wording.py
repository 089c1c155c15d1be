"""Django's own messages that the project words differently in Russian and Kazakh.

The project's catalogue (locale/) is read before Django's, so an entry there replaces
Django's. They are marked here so that makemessages keeps them:

* month names: Django's Kazakh ones are capitalised ("Желтоқсан"), Kazakh writes them in
  lower case; "alt. month" is the form after a day ("3 декабря", "3 желтоқсан");
* the admin's "Add another %(verbose_name)s": Django's Russian "Добавить еще один" agrees
  with masculine names only ("Добавить еще один Цитата").
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
#: The form a month takes after a day ("3 декабря", "3 желтоқсан"): Django's format "E".
MONTH_NAMES_AFTER_DAY = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]

ADMIN_MESSAGES = [
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Change %(name)s"),
    gettext_noop("Select %(name)s to change"),
    gettext_noop("Select %(name)s to view"),
    gettext_noop("View %(name)s"),
]
