"""Large answers travel compressed when the client accepts it, and read back the same."""

from __future__ import annotations

import gzip
import json

import brotli
import pytest
from flask.testing import FlaskClient

try:
    from compression import zstd  # Python 3.14+
except ImportError:  # pragma: no cover - before 3.14, flask-compress brings the backport
    from backports import zstd  # type: ignore[no-redef]

DECOMPRESS = {"zstd": zstd.decompress, "br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_the_overview_comes_compressed_and_reads_back_the_same(
    client: FlaskClient, board_headers: dict[str, str], encoding: str
) -> None:
    plain = client.get("/api/v1/overview", headers=board_headers)

    packed = client.get("/api/v1/overview",
                        headers={**board_headers, "Accept-Encoding": encoding})

    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = DECOMPRESS[encoding](packed.get_data())
    assert len(packed.get_data()) < len(body) / 5
    unpacked, expected = json.loads(body), plain.get_json()
    assert unpacked.pop("judged_at") and expected.pop("judged_at")  # now, so a moment later
    assert unpacked == expected


def test_zstd_is_preferred_when_a_browser_accepts_everything(
    client: FlaskClient, board_headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/overview?format=csv", headers={
        **board_headers, "Accept-Encoding": "gzip, deflate, br, zstd"})

    assert response.headers["Content-Encoding"] == "zstd"
    assert zstd.decompress(response.get_data()).startswith(b"measure_code,measure_name,")


def test_an_error_is_still_readable_compressed(
    client: FlaskClient, board_headers: dict[str, str]
) -> None:
    response = client.get("/api/v1/overview?as_of=not-a-moment",
                          headers={**board_headers, "Accept-Encoding": "gzip"})

    assert response.status_code == 422
    body = response.get_data()
    text = gzip.decompress(body) if response.headers.get("Content-Encoding") else body
    assert b"as_of" in text
