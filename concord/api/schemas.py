"""Request and response schemas shared by the API resources (they are the OpenAPI spec)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class AsOfQuerySchema(Schema):
    """``as_of``: a log position (snapshot id) or an ISO-8601 moment in recorded time."""

    as_of = fields.String(
        load_default=None,
        metadata={"description": "Log position (e.g. 1234) or ISO-8601 time; default: now."},
    )


class MemberSchema(Schema):
    org_code = fields.String()
    name = fields.String()
    member_type = fields.String()
    peer_groups = fields.List(fields.String())


class MeasureSchema(Schema):
    measure_code = fields.String()
    name = fields.String()
    domain = fields.String()
    kind = fields.String()
    unit = fields.String()
    improvement = fields.String()
    valid_min = fields.Float(allow_none=True)
    valid_max = fields.Float(allow_none=True)
    numerator_label = fields.String(allow_none=True)
    denominator_label = fields.String(allow_none=True)
    multiplier = fields.Float()
    target = fields.Float(allow_none=True)
    small_number_threshold = fields.Integer(allow_none=True)
    definition = fields.String()
    source = fields.String()


class PeerGroupSchema(Schema):
    peer_group_code = fields.String()
    name = fields.String()
    description = fields.String()
    members = fields.List(fields.String())


class CatalogueVersionSchema(Schema):
    position = fields.Integer()
    version = fields.Integer()
    recorded_at = fields.DateTime()
    actor = fields.String()
    content_hash = fields.String()
    source = fields.String()


class CatalogueApplySchema(Schema):
    """The two TOML files as text, exactly as they would sit in the config directory."""

    alliance_toml = fields.String(required=True)
    measures_toml = fields.String(required=True)
    expected_version = fields.Integer(
        load_default=None, validate=validate.Range(min=1),
        metadata={"description": "Fail with 409 if the catalogue has moved past this version."},
    )


class CatalogueApplyResultSchema(Schema):
    changed = fields.Boolean()
    version = fields.Integer()
    position = fields.Integer()
    content_hash = fields.String()
    message = fields.String()


class ChecksumsSchema(Schema):
    position = fields.Integer()
    tables = fields.Dict(keys=fields.String(), values=fields.String())


class RebuildResultSchema(Schema):
    position = fields.Integer()
    seconds = fields.Float()
