"""How qualifiers combine when stated numbers are added up.

A sum is only as exact as its least exact part:

* every part exact → ``exact``;
* any part ``about`` (and no bound) → ``about``;
* any part ``up_to`` (an upper bound) → the sum is itself ``up_to``;
* any part ``over`` (a strict lower bound) → the sum is ``over`` ("over 5" plus "3" is
  over 8; "over 5" plus "at least 3" is over 8 too), so a single figure keeps the word
  its source used;
* lower bounds that are all ``at_least`` → the sum is ``at_least``;
* upper and lower bounds together ("up to 10" + "over 5") bound the sum on neither
  side: the sum is ``about``.

A bound wins over ``about``: "up to 10" + "about 5" is reported ``up_to`` 15.
"""

from oncoregistry.core.choices import Qualifier

LOWER_BOUNDS = {Qualifier.OVER, Qualifier.AT_LEAST}


def combine_qualifiers(qualifiers):
    """The qualifier of a sum whose parts carry ``qualifiers`` (an iterable of values)."""
    stated = {str(q) for q in qualifiers if q}
    upper = Qualifier.UP_TO in stated
    lower = bool(stated & LOWER_BOUNDS)
    if upper and lower:
        return Qualifier.ABOUT.value
    if upper:
        return Qualifier.UP_TO.value
    if lower:
        return (Qualifier.OVER if Qualifier.OVER in stated else Qualifier.AT_LEAST).value
    if Qualifier.ABOUT in stated:
        return Qualifier.ABOUT.value
    return Qualifier.EXACT.value
