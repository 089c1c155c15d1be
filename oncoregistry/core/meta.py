"""Django's model introspection in one place.

Django documents these names as public (the Model ``_meta`` API, ``Model._default_manager``,
``Model._base_manager``, django-simple-history's ``_change_reason``), but they begin with an
underscore; naming them only here keeps ruff's private-access rule (SLF001) strict everywhere else.
"""


def options(model):
    """The model's ``Options``: fields, names, labels (Django's documented Model _meta API)."""
    return model._meta  # noqa: SLF001 - documented as public: docs/ref/models/meta


def default_manager(model):
    """The manager Django itself uses for the model (documented: "Default managers")."""
    return model._default_manager  # noqa: SLF001 - documented in topics/db/managers


def base_manager(model):
    """The manager that sees every row, whatever the default manager filters (documented)."""
    return model._base_manager  # noqa: SLF001 - documented in topics/db/managers


def set_change_reason(instance, reason):
    """The reason django-simple-history writes into the history row of the next save."""
    instance._change_reason = reason  # noqa: SLF001 - django-simple-history's documented attribute


def set_history_user(instance, user):
    """The user django-simple-history writes into the history row of the next save (its
    documented ``_history_user``), for writes made outside a request (imports, scripts)."""
    instance._history_user = user  # noqa: SLF001 - django-simple-history's documented attribute
