"""Request and response schemas of the benchmarks API (they are its OpenAPI spec)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from concord.api.common import as_of_field
from concord.api.schemas import MeasureSchema, MemberSchema

FORMAT = {"description": "json (default) or csv: the same rows as text/csv."}
PERIOD = {"description": "YYYY-MM; default: the latest period with a visible value."}
PEER_GROUP = {"description": "Peer group to rank in; default: each member's first."}


class _ReadQuerySchema(Schema):
    as_of = as_of_field()
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]),
                           metadata=FORMAT)


class BenchmarksQuerySchema(_ReadQuerySchema):
    period = fields.String(load_default=None, metadata=PERIOD)
    peer_group = fields.String(load_default=None, metadata=PEER_GROUP)


class RestatedQuerySchema(_ReadQuerySchema):
    position = fields.Integer(required=True, validate=validate.Range(min=0), metadata={
        "description": "The snapshot (log position) to compare with, e.g. a board's meeting."})
    period = fields.String(load_default=None, metadata={"description": "YYYY-MM; default: all"})


class DataQualityQuerySchema(_ReadQuerySchema):
    through = fields.String(load_default=None, metadata={
        "description": "Last period (YYYY-MM); default: the last month ended at as_of."})


class ValueWarningSchema(Schema):
    code = fields.String()
    message = fields.String()


class PeerRankSchema(Schema):
    peer_group_code = fields.String()
    rank = fields.Integer(allow_none=True)
    percentile = fields.Float(allow_none=True)
    blank_reason = fields.String(allow_none=True)


SUPPRESSED = {"description": "Hidden from this viewer: a small number of another member."}
SMALL = {"description": "Below the small-number threshold: out of ranks and statistics."}


class MemberBenchmarkSchema(Schema):
    org_code = fields.String()
    name = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    rank = fields.Integer(allow_none=True, metadata={"description": "1 = best."})
    percentile = fields.Float(allow_none=True, metadata={
        "description": "Share (%) of the other members it does at least as well as."})
    peer_group = fields.String(allow_none=True)
    peer_rank = fields.Integer(allow_none=True)
    peer_percentile = fields.Float(allow_none=True)
    suppressed = fields.Boolean(metadata=SUPPRESSED)
    small_number = fields.Boolean(metadata=SMALL)
    suppression_reason = fields.String(allow_none=True)
    restatements = fields.Integer()
    warnings = fields.List(fields.Nested(ValueWarningSchema))
    peer_ranks = fields.List(fields.Nested(PeerRankSchema))


class CellStatsSchema(Schema):
    peer_group_code = fields.String(allow_none=True, metadata={"description": "null: alliance"})
    name = fields.String()
    members = fields.Integer()
    n = fields.Integer(metadata={"description": "Reportable values in the statistics."})
    small_numbers = fields.Integer()
    blank_reason = fields.String(allow_none=True)
    pooled = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    q1 = fields.Float(allow_none=True)
    q3 = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)


class BenchmarkMeasureSchema(MeasureSchema):
    direction_neutral = fields.Boolean()
    pooled_method = fields.String()


class BenchmarksSchema(Schema):
    measure = fields.Nested(BenchmarkMeasureSchema)
    period = fields.String(allow_none=True)
    position = fields.Integer(metadata={"description": "Snapshot id: as_of this reproduces."})
    peer_group = fields.String(allow_none=True)
    alliance = fields.Nested(CellStatsSchema, allow_none=True)
    peer = fields.Nested(CellStatsSchema, allow_none=True)
    peer_groups = fields.List(fields.Nested(CellStatsSchema))
    members = fields.List(fields.Nested(MemberBenchmarkSchema))


class ScorecardRowSchema(Schema):
    domain = fields.String()
    measure_code = fields.String()
    name = fields.String()
    kind = fields.String()
    unit = fields.String()
    improvement = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    target_met = fields.Boolean(allow_none=True, metadata={
        "description": "null: no target, neutral direction, or no value shown."})
    alliance_pooled = fields.Float(allow_none=True)
    alliance_median = fields.Float(allow_none=True)
    alliance_q1 = fields.Float(allow_none=True)
    alliance_q3 = fields.Float(allow_none=True)
    alliance_n = fields.Integer()
    rank = fields.Integer(allow_none=True)
    percentile = fields.Float(allow_none=True)
    peer_group = fields.String(allow_none=True)
    peer_median = fields.Float(allow_none=True)
    peer_q1 = fields.Float(allow_none=True)
    peer_q3 = fields.Float(allow_none=True)
    peer_n = fields.Integer()
    peer_rank = fields.Integer(allow_none=True)
    peer_percentile = fields.Float(allow_none=True)
    peer_blank_reason = fields.String(allow_none=True)
    suppressed = fields.Boolean(metadata=SUPPRESSED)
    small_number = fields.Boolean(metadata=SMALL)
    suppression_reason = fields.String(allow_none=True)
    restatements = fields.Integer()
    warnings = fields.List(fields.Nested(ValueWarningSchema))


class DataQualitySummarySchema(Schema):
    through = fields.String()
    periods = fields.Integer()
    completeness_rate = fields.Float(allow_none=True)
    timeliness_rate = fields.Float(allow_none=True)


class ScorecardSchema(Schema):
    member = fields.Nested(MemberSchema)
    period = fields.String()
    position = fields.Integer()
    peer_group = fields.String(allow_none=True)
    measures = fields.List(fields.Nested(ScorecardRowSchema))
    data_quality = fields.Nested(DataQualitySummarySchema)


class DataQualityRowSchema(Schema):
    period = fields.String()
    due_date = fields.Date()
    expected = fields.Integer()
    received = fields.Integer()
    completeness = fields.Float(allow_none=True)
    on_time = fields.Boolean(allow_none=True, metadata={"description": "null: not yet due"})


class DataQualitySchema(DataQualitySummarySchema):
    org_code = fields.String()
    position = fields.Integer()
    rows = fields.List(fields.Nested(DataQualityRowSchema))


class ValueChangeSchema(Schema):
    org_code = fields.String()
    name = fields.String(allow_none=True)
    period = fields.String()
    change = fields.String(metadata={"description": "restated, retracted or added"})
    before_value = fields.Float(allow_none=True)
    before_numerator = fields.Float(allow_none=True)
    before_denominator = fields.Float(allow_none=True)
    after_value = fields.Float(allow_none=True)
    after_numerator = fields.Float(allow_none=True)
    after_denominator = fields.Float(allow_none=True)
    suppressed = fields.Boolean()
    suppression_reason = fields.String(allow_none=True)
    before_position = fields.Integer(allow_none=True)
    after_position = fields.Integer()
    versions_since = fields.Integer()
    actor = fields.String()
    recorded_at = fields.DateTime()
    reason = fields.String(allow_none=True)


class RestatedSinceSchema(Schema):
    measure_code = fields.String()
    since = fields.Integer()
    position = fields.Integer()
    period = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(ValueChangeSchema))
