"""The write step every app's services share: set fields, ``full_clean``, save, set M2M."""

from django.db import transaction


@transaction.atomic
def record_save(instance, fields, *, reason=""):
    """Apply ``fields`` to ``instance``, validate it as the model does, and save it with
    ``reason`` in its history.

    Many-to-many values are set after the save (the record needs its id first).
    Raises django's ``ValidationError`` naming the fields at fault.
    """
    many_to_many = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many_to_many[name] = value
        else:
            setattr(instance, name, value)
    instance.full_clean()
    instance._change_reason = reason or None  # django-simple-history's documented attribute
    instance.save()
    for name, value in many_to_many.items():
        getattr(instance, name).set(value)
    return instance
