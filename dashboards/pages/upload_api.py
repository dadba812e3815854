"""The upload page's one outside call: POST the chosen file to this server's returns API.

Dashboards never import the write side; they use the API like any client, with the caller's
own token, so the API's checks (who may submit what, size limits, idempotency) all apply.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests

from dashboards.upload_report import ApiAnswer

RETURNS_PATH = "api/v1/returns"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TIMEOUT_S = (5, 300)  # connect, read: a large file takes a while to validate
UNREADABLE = "The file could not be read: choose it again."
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class UploadRequest:
    """One POST to the returns API: the file, the form fields and the caller's token."""

    filename: str
    data: bytes
    form: dict[str, str]
    token: str | None = None
    idempotency_key: str | None = None


def decode_contents(contents: str) -> bytes:
    """The file's bytes from ``dcc.Upload``'s ``data:<type>;base64,<data>`` text."""
    header, _, payload = contents.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        raise ValueError(UNREADABLE)
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(UNREADABLE) from error


def upload_request(
    contents: str | None, filename: str | None, *, token: str | None, member: str | None = None,
    sheet: str | None = None, reason: str | None = None, dry_run: bool,
    idempotency_key: str | None = None,
) -> UploadRequest:
    """The request for the chosen file; ``ValueError`` with a readable message if there is none."""
    if not contents or not filename:
        raise ValueError("Choose a file first.")
    form = {"dry_run": "true" if dry_run else "false"}
    for name, text in (("org_code", member), ("sheet", sheet), ("reason", reason)):
        if text and text.strip():
            form[name] = text.strip()
    return UploadRequest(filename=filename, data=decode_contents(contents), form=form,
                         token=(token or "").strip() or None, idempotency_key=idempotency_key)


def post_return(base_url: str, upload: UploadRequest) -> ApiAnswer:
    """Send ``upload``; any answer (or none) comes back as an ``ApiAnswer``, never an exception."""
    headers = {"Accept": "application/json"}
    if upload.token:
        headers["Authorization"] = f"Bearer {upload.token}"
    if upload.idempotency_key:
        headers[IDEMPOTENCY_HEADER] = upload.idempotency_key
    extension = upload.filename.rsplit(".", 1)[-1].lower()
    file_part = (upload.filename, upload.data,
                 CONTENT_TYPES.get(extension, "application/octet-stream"))
    try:
        with requests.Session() as session:
            session.trust_env = False  # the server calls itself: never through a proxy
            response = session.post(urljoin(base_url, RETURNS_PATH), files={"file": file_part},
                                    data=upload.form, headers=headers, timeout=TIMEOUT_S)
    except requests.RequestException as error:
        return ApiAnswer.local(f"The returns API could not be reached ({type(error).__name__}).")
    return ApiAnswer(status=response.status_code, body=_json_body(response))


def _json_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
