"""Attachments in the admin: the files of an organization's notices, shown to those who may view its notices,
and the page a request too large to read gets.

Files are served as inert documents (smart_qn.content.attachments.serving_headers). Staff browsers may keep
a copy, revalidated at every use (a 304 when unchanged), so that access is checked each time; shared caches
may not keep one.
"""

from flask import abort, current_app, render_template, send_file
from werkzeug.exceptions import RequestEntityTooLarge

from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.content.access import Action, can
from smart_qn.content.attachments import Attachment, describe_size, serving_headers
from smart_qn.extensions import db


@bp.route("/attachments/<int:attachment_id>/<filename>")
def attachment(attachment_id: int, filename: str):
    """The file; `filename` is for the browser's save dialog and the reader, the id decides."""
    found = db.session.get(Attachment, attachment_id)
    if found is None or not can(signed_in_user(), Action.VIEW, found.organization_id):
        abort(404)
    if not found.path.is_file():
        current_app.logger.error("attachment %s: stored file %s is missing", found.id, found.sha256)
        abort(404)
    response = send_file(
        found.path,
        mimetype=found.media_type.value,
        conditional=True,
        etag=found.sha256,
        last_modified=found.created_at,
    )
    response.cache_control.private = True
    response.headers.update(serving_headers(found))
    return response


@bp.errorhandler(RequestEntityTooLarge)
def request_too_large(_error):
    limit = describe_size(current_app.config["MAX_CONTENT_LENGTH"])
    return render_template("admin/request_too_large.html", limit=limit), 413


# `{{ attachment.size | file_size }}` in templates.
bp.add_app_template_filter(describe_size, "file_size")
