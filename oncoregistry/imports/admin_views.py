"""The admin's import and export of a registry list (django-import-export's screens, adapted).

Import: the editor chooses a file; it is always dry-run first and the preview lists every row
(new, changed cell by cell, unchanged, refused with the column and the reason). Nothing is
written until the editor confirms; then the whole file is written in one transaction, or
nothing is when a row is refused by then. Export: the list (as filtered) in the same columns,
as CSV or XLSX, so an exported file edited and imported changes exactly what was edited.
"""

import os
import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from oncoregistry.core.meta import options

from .reports import ImportFileError, read_table, run_import
from .workbooks import XLSX_TYPE, template_workbook

#: The name the temporary file storage gave the upload: letters, digits, dot, dash, underscore.
STORED_NAME = re.compile(r"^[\w.-]{1,200}$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SpreadsheetForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx, or .csv in UTF-8)"),
        help_text=gettext_lazy(
            "Start from this list's template or from an export of it. Nothing is written "
            "before you have seen the preview and confirmed it."
        ),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB: split it into several files.")
            )
        return upload


class ConfirmForm(forms.Form):
    import_file_name = forms.CharField(widget=forms.HiddenInput)
    original_file_name = forms.CharField(widget=forms.HiddenInput)

    def clean_import_file_name(self):
        name = os.path.basename(self.cleaned_data["import_file_name"])
        if not STORED_NAME.match(name):
            raise forms.ValidationError(_("The stored file is not known; choose the file again."))
        return name


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import with a dry-run preview and export, for an admin with ``resource_classes``."""

    import_template_name = "admin/imports/spreadsheet_import.html"
    # The formats editors' spreadsheet programs write and read.
    formats = [base_formats.CSV, base_formats.XLSX]

    @property
    def spreadsheet_resource(self):
        return self.resource_classes[0]

    def has_import_permission(self, request):
        # An import adds and changes records: the Editors group's rights, both of them.
        opts = options(self.model)
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("add", "change")
        )

    def get_urls(self):
        info = (options(self.model).app_label, options(self.model).model_name)
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.template_view),
            name=f"{info[0]}_{info[1]}_import_template",
        )
        return [template, *super().get_urls()]

    def template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.spreadsheet_resource
        response = HttpResponse(template_workbook(resource), content_type=XLSX_TYPE)
        file_name = f"{resource.resource_name}-template.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
        return response

    def import_context(self, request, **extra):
        opts = options(self.model)
        return {
            **self.admin_site.each_context(request),
            "title": _("Import %(records)s from a spreadsheet")
            % {"records": opts.verbose_name_plural},
            "opts": opts,
            "columns_text": ", ".join(self.spreadsheet_resource.columns()),
            "template_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_import_template",
                current_app=self.admin_site.name,
            ),
            **extra,
        }

    def import_action(self, request, **kwargs):
        """The dry run: the file is read and previewed; nothing is written."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SpreadsheetForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = b"".join(upload.chunks())
            try:
                dataset = read_table(data, upload.name)
            except ImportFileError as error:
                form.add_error("import_file", str(error))
            else:
                report = run_import(
                    self.spreadsheet_resource,
                    dataset,
                    file_name=upload.name,
                    user=request.user,
                    dry_run=True,
                )
                context["report"] = report
                if report.ok:
                    storage = self.get_tmp_storage_class()(read_mode="rb")
                    storage.save(data)
                    context["confirm_form"] = ConfirmForm(
                        initial={
                            "import_file_name": os.path.basename(storage.name),
                            "original_file_name": upload.name,
                        }
                    )
        return TemplateResponse(
            request, self.import_template_name, self.import_context(request, **context)
        )

    def process_import(self, request, **kwargs):
        """The confirmed import: the previewed file, written whole or not at all."""
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        confirm = ConfirmForm(request.POST)
        storage = None
        data = None
        if confirm.is_valid():
            storage = self.get_tmp_storage_class()(
                name=confirm.cleaned_data["import_file_name"], read_mode="rb"
            )
            try:
                data = storage.read()
            except OSError:
                data = None
        if data is None:
            messages.error(request, _("The previewed file is no longer there: choose it again."))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        file_name = confirm.cleaned_data["original_file_name"]
        try:
            dataset = read_table(data, file_name)
        except ImportFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        report = run_import(
            self.spreadsheet_resource,
            dataset,
            file_name=file_name,
            user=request.user,
            dry_run=False,
        )
        if not report.ok:
            # Something changed since the preview (another editor's save): nothing written.
            context = {"form": SpreadsheetForm(), "report": report, "failed": True}
            return TemplateResponse(
                request, self.import_template_name, self.import_context(request, **context)
            )
        storage.remove()
        counts = report.counts
        messages.success(
            request,
            _(
                "Imported %(file)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged. "
                "New records are drafts until reviewed."
            )
            % {"file": file_name, **counts},
        )
        opts = options(self.model)
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )
