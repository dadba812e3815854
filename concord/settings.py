"""Runtime settings, read from the environment only when asked (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_DIR = REPO_ROOT / "config"
# Events per projection transaction. A million-value upload (5,000 returns) projected in 3.7 s
# with batches of 2,000 and 5.6 s with batches of 500 (measured): each batch re-charts the SPC
# series it touched and pays its own transaction.
PROJECTOR_BATCH_SIZE = 2000


class SettingsError(ValueError):
    """A setting has a value Concord cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to build the log, warehouse and server.

    Each field maps to one ``CONCORD_*`` environment variable (see README).
    """

    data_dir: Path = Path("var")
    event_store_url: str = ""
    warehouse_path: Path = Path()
    config_dir: Path = DEFAULT_CONFIG_DIR
    cipher_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    threads: int = 8
    projector_interval_s: float = 0.2
    projector_batch_size: int = PROJECTOR_BATCH_SIZE
    max_upload_mb: int = 50
    log_level: str = "INFO"
    anonymous_role: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``) plus explicit overrides."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("CONCORD_DATA_DIR", "var"))
        settings = cls(
            data_dir=data_dir,
            event_store_url=env.get("CONCORD_EVENT_STORE_URL", ""),
            warehouse_path=Path(env.get("CONCORD_WAREHOUSE_PATH", "")),
            config_dir=Path(env.get("CONCORD_CONFIG_DIR", str(DEFAULT_CONFIG_DIR))),
            cipher_key=env.get("CONCORD_CIPHER_KEY") or None,
            host=env.get("CONCORD_HOST", "127.0.0.1"),
            port=_int(env, "CONCORD_PORT", 8050),
            threads=_int(env, "CONCORD_THREADS", 8),
            projector_interval_s=_float(env, "CONCORD_PROJECTOR_INTERVAL_S", 0.2),
            projector_batch_size=_int(env, "CONCORD_PROJECTOR_BATCH_SIZE", PROJECTOR_BATCH_SIZE),
            max_upload_mb=_int(env, "CONCORD_MAX_UPLOAD_MB", 50),
            log_level=env.get("CONCORD_LOG_LEVEL", "INFO").upper(),
            anonymous_role=_role(env, "CONCORD_ANONYMOUS_ROLE"),
        )
        return replace(settings, **overrides).resolved()  # type: ignore[arg-type]

    def resolved(self) -> Settings:
        """Fill the defaults that depend on the data dir."""
        data_dir = self.data_dir.resolve()
        url = self.event_store_url or f"sqlite:///{data_dir / 'events.sqlite'}"
        warehouse = self.warehouse_path
        if str(warehouse) in ("", "."):
            warehouse = data_dir / "warehouse.duckdb"
        return replace(self, data_dir=data_dir, event_store_url=url, warehouse_path=warehouse)

    @property
    def server_file(self) -> Path:
        """Where a running server advertises its address and control token to the CLI."""
        return self.data_dir / "server.json"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: must be a whole number") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: must be a number") from None


def _role(env: Mapping[str, str], name: str) -> str | None:
    raw = (env.get(name) or "").strip().lower()
    if raw in ("", "none"):
        return None
    if raw not in ("board", "executive"):
        raise SettingsError(f"{name}={raw!r}: must be 'board', 'executive' or empty")
    return raw
