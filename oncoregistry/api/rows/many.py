"""Many-to-many fields of compiled rows: one query per page or CSV chunk."""

from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist

from oncoregistry.core.meta import default_manager, options

from ..fields import RelatedRefField
from .columns import Columns, NotCompilable, reader


class ManyPlan:
    """A many-to-many field as ``{slug, url, name}`` lists: one query per page or CSV chunk,
    ordered as the related model orders its records (as DRF's prefetch does)."""

    def __init__(self, field, model):
        child = field.child_relation
        if not isinstance(child, RelatedRefField) or len(field.source_attrs) != 1:
            raise NotCompilable(f"{field.field_name}: a many field of another kind")
        try:
            relation = options(model).get_field(field.source_attrs[0])
        except FieldDoesNotExist:
            raise NotCompilable(f"{field.field_name} is not a field") from None
        if not relation.many_to_many or not relation.concrete:
            raise NotCompilable(f"{field.field_name} is not a forward many-to-many field")
        self.related = relation.related_model
        self.owner = relation.related_query_name()
        self.view = child.view_name
        columns = Columns()
        columns.index(self.owner)
        self.read_slug = reader(self.related, child.slug_field, columns)
        self.read_label = reader(self.related, child.name_attr, columns)
        self.paths = columns.selected

    def fetch(self, owner_pks):
        """``{owner pk: [row, ...]}`` for these owners, in one query."""
        rows = defaultdict(list)
        queryset = default_manager(self.related).filter(**{f"{self.owner}__in": owner_pks})
        ordering = [*(options(self.related).ordering or []), "pk"]
        for row in queryset.order_by(*ordering).values_list(*self.paths):
            rows[row[0]].append(row)
        return rows

    def bind(self, binding):
        """``(json(related rows), [slugs cell, names cell])`` for one request."""
        link = binding.link(self.view, "slug")
        slug, label = self.read_slug(binding), self.read_label(binding)

        def json(related_rows):
            return [
                {"slug": slug(r), "url": link(slug(r)), "name": str(label(r))} for r in related_rows
            ]

        def slugs(related_rows):
            return "; ".join(slug(r) for r in related_rows)

        def names(related_rows):
            return "; ".join(str(label(r)) for r in related_rows)

        return json, [slugs, names]
