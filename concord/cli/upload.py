"""Send a file to the running server as multipart, showing upload progress for large files."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from concord.cli.remote import RemoteServer

CHUNK = 1 << 20


def post_file(server: RemoteServer, path: Path, query: str, *, show_progress: bool,
              idempotency_key: str | None = None) -> Any:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size
    headers = {"Content-Length": str(len(head) + size + len(tail))}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key

    def chunks() -> Iterator[bytes]:
        yield head
        with path.open("rb") as fh, tqdm(total=size, unit="B", unit_scale=True,
                                         desc=f"uploading {path.name}",
                                         disable=not show_progress) as bar:
            while block := fh.read(CHUNK):
                bar.update(len(block))
                yield block
        yield tail

    return server.request("POST", f"/api/v1/returns?{query}", data=chunks(),
                          content_type=f"multipart/form-data; boundary={boundary}",
                          headers=headers)
