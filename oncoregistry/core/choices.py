"""Vocabularies shared by every registry app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualifier(models.TextChoices):
    """How exactly an article states a number ("up to 330", "over 170 billion")."""

    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    UP_TO = "up_to", _("up to")
    OVER = "over", _("over")
    AT_LEAST = "at_least", _("at least")


class DatePrecision(models.TextChoices):
    """The finest part of a date that the source states."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


class DateQualifier(models.TextChoices):
    """How a date relates to the event ("trials by 2026")."""

    ON = "on", _("on")
    BY = "by", _("by (no later than)")
    FROM = "from", _("from")
    ABOUT = "about", _("about")
