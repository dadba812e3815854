"""Request and response schemas of the returns API (they are its OpenAPI spec)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from concord.api.common import MONTH, as_of_field


class SubmitQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "Validate and show the value-level diff; write nothing."})
    reason = fields.String(load_default=None, metadata={
        "description": "Required when the upload changes values already held (a restatement)."})
    org_code = fields.String(load_default=None, metadata={
        "description": "Admins: the member this upload is for (every row must be theirs)."})
    sheet = fields.String(load_default=None, metadata={"description": "XLSX sheet name."})


class JsonRowSchema(Schema):
    org_code = fields.Raw(load_default=None)
    measure_code = fields.Raw(load_default=None)
    period = fields.Raw(load_default=None)
    value = fields.Raw(load_default=None)
    numerator = fields.Raw(load_default=None)
    denominator = fields.Raw(load_default=None)
    comment = fields.Raw(load_default=None)


class JsonSubmissionSchema(Schema):
    rows = fields.List(fields.Raw(), required=True, metadata={
        "description": "One object per value: org_code, measure_code, period (YYYY-MM), "
                       "value or numerator + denominator, comment."})
    dry_run = fields.Boolean(load_default=False)
    reason = fields.String(load_default=None)
    org_code = fields.String(load_default=None)


class IssueSchema(Schema):
    row = fields.Integer()
    column = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()
    severity = fields.String()
    org_code = fields.String(allow_none=True)
    measure_code = fields.String(allow_none=True)
    period = fields.String(allow_none=True)


class ReturnReceiptSchema(Schema):
    return_id = fields.String()
    org_code = fields.String()
    period = fields.String()
    version = fields.Integer()
    new = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()


class SubmissionReportSchema(Schema):
    accepted = fields.Boolean()
    dry_run = fields.Boolean()
    replayed = fields.Boolean()
    message = fields.String()
    submission_id = fields.String()
    position = fields.Integer(allow_none=True, metadata={
        "description": "The log position that holds this submission (a snapshot id)."})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    needs_reason = fields.Boolean()
    warnings = fields.List(fields.Nested(IssueSchema))
    returns = fields.List(fields.Nested(ReturnReceiptSchema))
    diff = fields.List(fields.Dict())
    diff_truncated = fields.Boolean()


class ReturnsQuerySchema(Schema):
    org_code = fields.String(load_default=None)
    period = fields.String(load_default=None, validate=MONTH)


class ReturnSummarySchema(Schema):
    return_id = fields.String()
    org_code = fields.String()
    period = fields.String()
    version = fields.Integer()
    value_count = fields.Integer()
    first_received_at = fields.DateTime(allow_none=True)
    last_received_at = fields.DateTime(allow_none=True)
    restatements = fields.Integer()
    restated_values = fields.Integer()
    retractions = fields.Integer()
    restated_after_sign_off = fields.Integer()
    signed_off_version = fields.Integer(allow_none=True)
    signed_off_at = fields.DateTime(allow_none=True)
    needs_sign_off = fields.Boolean()
    unlocked_until = fields.Date(allow_none=True)


class ReturnEventSchema(Schema):
    position = fields.Integer()
    event_type = fields.String()
    version = fields.Integer()
    recorded_at = fields.DateTime()
    actor = fields.String()
    reason = fields.String(allow_none=True)
    value_count = fields.Integer()
    source = fields.String(allow_none=True)


class HeldValueSchema(Schema):
    measure_code = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    status = fields.String()
    recorded_at = fields.DateTime()
    actor = fields.String()
    position = fields.Integer()
    versions = fields.Integer()
    warnings = fields.List(fields.String())


class ReturnDetailSchema(ReturnSummarySchema):
    events = fields.List(fields.Nested(ReturnEventSchema))
    values = fields.List(fields.Nested(HeldValueSchema))


class ValueVersionSchema(Schema):
    position = fields.Integer()
    return_version = fields.Integer()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    status = fields.String()
    recorded_at = fields.DateTime()
    actor = fields.String()
    reason = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1))


class RetractSchema(ReasonSchema):
    measure_codes = fields.List(fields.String(), required=True,
                                validate=validate.Length(min=1))


class UnlockSchema(ReasonSchema):
    days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=60))


class SignOffSchema(Schema):
    note = fields.String(load_default="")


class LifecycleResultSchema(Schema):
    return_id = fields.String()
    version = fields.Integer()
    position = fields.Integer()
    message = fields.String()


class SubmissionStatusQuerySchema(Schema):
    period = fields.String(required=True, validate=MONTH)
    as_of = as_of_field()


class SubmissionStatusSchema(Schema):
    org_code = fields.String()
    name = fields.String()
    period = fields.String()
    due_date = fields.Date()
    locks_on = fields.Date()
    first_received_at = fields.DateTime(allow_none=True)
    last_received_at = fields.DateTime(allow_none=True)
    on_time = fields.Boolean(allow_none=True)
    expected = fields.Integer()
    received = fields.Integer()
    completeness = fields.Float()
    status = fields.String()
    restatements = fields.Integer()
    restated_values = fields.Integer()
    restated_after_sign_off = fields.Integer()
    signed_off = fields.Boolean()


class ValuesQuerySchema(Schema):
    measure_code = fields.String(load_default=None)
    period = fields.String(load_default=None, validate=MONTH)
    as_of = as_of_field()


class VisibleValueSchema(Schema):
    org_code = fields.String()
    measure_code = fields.String()
    period = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    position = fields.Integer()
    restatements = fields.Integer()
