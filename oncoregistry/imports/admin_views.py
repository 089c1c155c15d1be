"""The admin's import and export of a registry list (django-import-export's screens, adapted).

Import: the editor chooses a file; it is always dry-run first and the preview lists every row
(new, changed cell by cell, unchanged, refused with the column and the reason). Nothing is
written until the editor confirms; then the whole file is written in one transaction, or
nothing is when a row is refused by then. Both run as background jobs (tasks.py) over the
stored file, chunk by chunk; the job's page shows a progress bar until the report is ready.
Export: the list (as filtered) in the same columns, as CSV or XLSX, so an exported file
edited and imported changes exactly what was edited.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from oncoregistry.core.meta import options

from .models import ImportJob
from .reports import ImportReport, column_problems
from .selectors import job_progress, visible_job
from .services import create_import_job, create_preview_job, give_up_if_stalled, resource_path
from .tables import ImportFileError, Table
from .tasks import start_after_commit
from .workbooks import XLSX_TYPE, template_workbook

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
    job = forms.IntegerField(widget=forms.HiddenInput)


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
        own = [
            path(
                "import/template/",
                self.admin_site.admin_view(self.template_view),
                name=f"{info[0]}_{info[1]}_import_template",
            ),
            path(
                "import/job/<int:pk>/",
                self.admin_site.admin_view(self.job_view),
                name=f"{info[0]}_{info[1]}_import_job",
            ),
            path(
                "import/job/<int:pk>/status/",
                self.admin_site.admin_view(self.job_status_view),
                name=f"{info[0]}_{info[1]}_import_job_status",
            ),
        ]
        return [*own, *super().get_urls()]

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

    def admin_url(self, name, *args):
        opts = options(self.model)
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{name}",
            args=args,
            current_app=self.admin_site.name,
        )

    def import_action(self, request, **kwargs):
        """The upload: the file's header is checked here, then a preview job (dry run) runs it
        in the background and the editor waits on the job's page. Nothing is written."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SpreadsheetForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            try:
                table = Table(upload, upload.name)
            except ImportFileError as error:
                form.add_error("import_file", str(error))
            else:
                problems = column_problems(self.spreadsheet_resource(), table.headers)
                for problem in problems:
                    form.add_error("import_file", problem)
                if not problems:
                    job = create_preview_job(
                        self.spreadsheet_resource,
                        upload,
                        user=request.user,
                        language=translation.get_language() or "",
                    )
                    start_after_commit(job)
                    return HttpResponseRedirect(self.admin_url("import_job", job.pk))
        return TemplateResponse(
            request, self.import_template_name, self.import_context(request, form=form)
        )

    def process_import(self, request, **kwargs):
        """The confirm button: an import job of the previewed file (written whole or not at
        all), shown on its own page."""
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        confirm = ConfirmForm(request.POST)
        preview = None
        if confirm.is_valid():
            preview = self.visible_job(request, confirm.cleaned_data["job"])
        if (
            preview is None
            or preview.kind != ImportJob.Kind.PREVIEW
            or preview.state != ImportJob.State.DONE
            or not preview.upload  # deleted: the preview refused a row, or it is stale
        ):
            messages.error(request, _("The previewed file is no longer there: choose it again."))
            return HttpResponseRedirect(self.admin_url("import"))
        job = create_import_job(preview, language=translation.get_language() or "")
        start_after_commit(job)
        return HttpResponseRedirect(self.admin_url("import_job", job.pk))

    def visible_job(self, request, pk):
        job = visible_job(request.user, pk, resource_path(self.spreadsheet_resource))
        return job if job is None else give_up_if_stalled(job)

    def job_view(self, request, pk):
        """A job's page: its progress while it runs, then its report (and the confirm button
        of a preview that can be written)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self.visible_job(request, pk)
        if job is None:
            raise Http404
        context = {
            "job": job,
            "progress": job_progress(job),
            "status_url": self.admin_url("import_job_status", job.pk),
            "list_url": self.admin_url("changelist"),
            "form": SpreadsheetForm(),
        }
        if job.state == ImportJob.State.DONE:
            report = ImportReport.from_json(job.report)
            context["report"] = report
            context["listed_rows"] = report.listed_rows()
            context["rows_not_listed"] = len(report.rows) - len(context["listed_rows"])
            if job.kind == ImportJob.Kind.IMPORT:
                context["failed"] = not report.ok
                context["imported"] = report.ok and _(
                    "Imported %(file)s: %(new)s new, %(changed)s changed, %(unchanged)s "
                    "unchanged. New records are drafts until reviewed."
                ) % {"file": job.file_name, **report.counts}
            elif report.ok and job.upload:
                context["confirm_form"] = ConfirmForm(initial={"job": job.pk})
        return TemplateResponse(
            request, self.import_template_name, self.import_context(request, **context)
        )

    def job_status_view(self, request, pk):
        """The job's progress as JSON, for the page's script."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self.visible_job(request, pk)
        if job is None:
            raise Http404
        return JsonResponse(job_progress(job), headers={"Cache-Control": "no-store"})
