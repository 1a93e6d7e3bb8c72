"""The files attached to live notices, for residents: only while the notice they belong to is live."""

from collections.abc import Iterable

from flask import current_app, send_file, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from smart_qn.api.common import MAX_ID, QueryArgs
from smart_qn.content.attachments import MediaType, attachments_of, live_attachment, serving_headers
from smart_qn.dbtypes import utcnow

blp = Blueprint("attachments", __name__, description="Files (PDF, images) attached to published notices.")

FILE_RESPONSE = {
    "description": "The file, as its sniffed type. Images are shown inline; PDFs are sent as downloads.",
    "content": {
        media_type.value: {"schema": {"type": "string", "format": "binary"}} for media_type in MediaType
    },
    "headers": {
        "ETag": {"description": "The SHA-256 of the content.", "schema": {"type": "string"}},
        "Content-Disposition": {
            "description": "The file's name, in UTF-8 (RFC 5987) and in ASCII.",
            "schema": {"type": "string"},
        },
    },
}


def present_attachments(notice_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The files of each notice (live ones: what residents see of them), as the API shows them."""
    return {
        notice_id: [
            {
                "id": attachment.id,
                "filename": attachment.filename,
                "media_type": attachment.media_type.value,
                "size": attachment.size,
                "url": url_for(
                    "attachments.AttachmentFile", attachment_id=attachment.id, filename=attachment.filename
                ),
            }
            for attachment in attachments
        ]
        for notice_id, attachments in attachments_of(notice_ids).items()
    }


@blp.route(f"/<int(min=1, max={MAX_ID}):attachment_id>/<filename>")
class AttachmentFile(MethodView):
    @blp.arguments(QueryArgs, location="query", unknown=RAISE)
    @blp.doc(responses={"200": FILE_RESPONSE, "304": {"description": "Not modified (`If-None-Match`)."}})
    @blp.alt_response(404, response="NOT_FOUND", description="No file of a published notice with this id.")
    def get(self, _args, attachment_id: int, filename: str):
        """Get a file attached to a published notice

        Served only while a notice it belongs to is live; `filename` is for the reader and the browser's
        save dialog, the id decides. Strong `ETag` (the content's SHA-256) answered with 304.
        """
        attachment = live_attachment(attachment_id, utcnow())
        if attachment is None:
            abort(404, message=_("No file of a published notice with this id."))
        if not attachment.path.is_file():
            current_app.logger.error(
                "attachment %s: stored file %s is missing", attachment.id, attachment.sha256
            )
            abort(404, message=_("No file of a published notice with this id."))
        response = send_file(
            attachment.path,
            mimetype=attachment.media_type.value,
            conditional=True,
            etag=attachment.sha256,
            last_modified=attachment.created_at,
            max_age=current_app.config["CACHE_MAX_AGE"],
        )
        response.headers.update(serving_headers(attachment))
        return response
