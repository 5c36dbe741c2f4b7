"""The one family of user-facing errors: ``str(error)`` is the Chinese message."""


class ReportgenError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits non-zero."""

    exit_code = 1


class UsageError(ReportgenError):
    """The command line or an input file cannot be used at all (unreadable, missing)."""

    exit_code = 2


class InvalidReportError(ReportgenError):
    """The report data has errors; the findings say which."""


class TemplateError(ReportgenError):
    """A template is missing, malformed or tried something the sandbox forbids."""


class RenderError(ReportgenError):
    """Rendering produced no valid document."""
