"""Who is calling: a bearer API token, the local CLI's control token, or (if allowed) anyone.

Every endpoint calls ``authorize(action)``; what each role may do is decided only in
``ingest.identity.policy``.
"""

from __future__ import annotations

import hmac

from flask import current_app, g, request

from concord.api.common import app_services
from ingest.identity.commands import authenticate
from ingest.identity.policy import Action, require
from ingest.log.actor import Actor, Role
from ingest.log.errors import Unauthorized

OPERATOR_HEADER = "X-Concord-Operator"


def authorize(action: Action, member_code: str | None = None) -> Actor:
    """The caller, if the policy lets them do ``action`` (for ``member_code``); else 401/403."""
    actor = current_actor()
    require(actor, action, member_code)
    return actor


def current_actor() -> Actor:
    if "actor" not in g:
        g.actor = _resolve_actor()
    return g.actor  # type: ignore[no-any-return]


def _resolve_actor() -> Actor:
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    services = app_services()
    if scheme.lower() == "bearer" and presented:
        control = current_app.config.get("CONCORD_CONTROL_TOKEN")
        if control and hmac.compare_digest(presented.encode(), control.encode()):
            return Actor.operator(request.headers.get(OPERATOR_HEADER, "operator"))
        return authenticate(services.log, presented.strip())
    if header:
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    anonymous = services.settings.anonymous_role
    if anonymous:
        return Actor(id="anonymous", role=Role(anonymous))
    raise Unauthorized("an API token is required (Authorization: Bearer <token>)")
