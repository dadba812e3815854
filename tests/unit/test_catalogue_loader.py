"""The catalogue loader: the shipped demo config, the canonical document, and bad configs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from concord.demo.build_config import DEMO_DATA, build_alliance_toml
from concord.settings import DEFAULT_CONFIG_DIR
from ingest.catalogue.loader import CatalogueError, Problem, load_catalogue
from ingest.catalogue.model import DOMAINS, Catalogue

ALLIANCE = """\
[alliance]
code = "test_alliance"
name = "Test alliance"

[calendar]
first_period = "2016-04"
due_days_after_month_end = 20
lock_days_after_due = 30

[[peer_groups]]
code = "large"
name = "Large providers"

[[members]]
code = "RTX"
name = "Provider RTX"
type = "acute_trust"
peer_groups = ["large"]

[[members]]
code = "AD913"
name = "Provider AD913"
type = "community_provider"
"""

MEASURES = """\
[[measures]]
code = "ae_4hr_performance"
name = "A&E 4-hour performance"
domain = "access"
kind = "proportion"
unit = "%"
numerator_label = "Attendances seen within 4 hours"
denominator_label = "A&E attendances"
improvement = "increase"
valid_min = 0.0
valid_max = 1.0
target = 0.95
small_number_threshold = 30
definition = "Share seen within 4 hours."
source = "NHS England A&E statistics."

[[measures]]
code = "ae_attendances"
name = "A&E attendances"
domain = "access"
kind = "count"
unit = "attendances"
improvement = "neutral"
valid_min = 0.0
definition = "Attendances in the month."
source = "NHS England A&E statistics."
"""

FOUR_HOUR = "measure 'ae_4hr_performance' (entry 1)"
ATTENDANCES = "measure 'ae_attendances' (entry 2)"
RTX = "member 'RTX' (entry 1)"
AD913 = "member 'AD913' (entry 2)"


def write_config(
    directory: Path, alliance: str | None = ALLIANCE, measures: str | None = MEASURES
) -> Path:
    for name, text in (("alliance.toml", alliance), ("measures.toml", measures)):
        if text is not None:
            (directory / name).write_text(text, encoding="utf-8")
    return directory


def edited(text: str, old: str, new: str) -> str:
    assert old in text, f"test setup: {old!r} not in the base config"
    return text.replace(old, new, 1)


def problems_in(config_dir: Path) -> list[Problem]:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(config_dir)
    return caught.value.problems


# --- the shipped demo catalogue ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(DEFAULT_CONFIG_DIR)


def test_shipped_config_has_every_provider_in_the_demo_data(shipped: Catalogue) -> None:
    assert len(shipped.alliance.members) == 274
    assert shipped.member("RTX") is not None
    assert shipped.alliance.calendar.first_period == "2016-04"


def test_shipped_measures_cover_all_four_domains(shipped: Catalogue) -> None:
    assert {m.domain for m in shipped.measures} == set(DOMAINS)
    assert len(shipped.measures) >= 14
    four_hour = shipped.measure("ae_4hr_performance")
    assert four_hour is not None
    assert (four_hour.target, four_hour.small_number_threshold) == (0.95, 30)


def test_every_shipped_peer_group_is_big_enough_to_benchmark(shipped: Catalogue) -> None:
    sizes = {g.code: 0 for g in shipped.alliance.peer_groups}
    for member in shipped.alliance.members:
        for code in member.peer_groups:
            sizes[code] += 1
    assert min(sizes.values()) >= shipped.alliance.min_peer_group_size


def test_shipped_alliance_toml_matches_its_generator() -> None:
    shipped_text = (DEFAULT_CONFIG_DIR / "alliance.toml").read_text(encoding="utf-8")
    assert build_alliance_toml(DEMO_DATA) == shipped_text


def test_document_round_trips_through_from_document(shipped: Catalogue) -> None:
    document = shipped.to_document()
    assert Catalogue.from_document(document) == shipped
    assert Catalogue.from_document(document).content_hash() == shipped.content_hash()


# --- content hash ------------------------------------------------------------------------------


def test_content_hash_ignores_comments_layout_and_number_spelling(tmp_path: Path) -> None:
    first = load_catalogue(write_config(tmp_path)).content_hash()
    rewritten = "# a comment\n" + edited(MEASURES, "target = 0.95", "target    = 0.950")
    again = load_catalogue(write_config(tmp_path, measures=rewritten)).content_hash()
    assert first == again
    assert len(first) == 64


def test_content_hash_changes_when_a_target_changes(tmp_path: Path) -> None:
    before = load_catalogue(write_config(tmp_path)).content_hash()
    changed = edited(MEASURES, "target = 0.95", "target = 0.9")
    after = load_catalogue(write_config(tmp_path, measures=changed)).content_hash()
    assert before != after


def test_shipped_hash_is_stable_across_loads(shipped: Catalogue, tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_CONFIG_DIR, tmp_path / "config")
    assert load_catalogue(tmp_path / "config").content_hash() == shipped.content_hash()


def test_whole_numbers_load_as_floats_so_documents_hash_the_same(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_config(tmp_path))
    attendances = catalogue.measure("ae_attendances")
    assert attendances is not None
    assert isinstance(attendances.multiplier, float)
    assert catalogue.alliance.min_peer_group_size == 3  # the default


# --- one bad thing at a time -------------------------------------------------------------------

A, M = "alliance.toml", "measures.toml"
# Top-level keys must come before the first table, so "no members" cases rebuild the file.
WITHOUT_MEMBERS = ALLIANCE[: ALLIANCE.index("[[members]]")]


class Bad(NamedTuple):
    """One broken edit of the base config and where the loader must point."""

    id: str
    file: str
    old: str
    new: str
    entry: str
    field: str
    words: str  # must appear in the message


BAD_CONFIGS = [
    Bad("syntax_error", A, 'name = "Test alliance"', 'name = "Test alliance', "-", "-", "line 3"),
    Bad(
        "unknown_member_key",
        A,
        'name = "Provider RTX"',
        'name = "x"\ncolour = "red"',
        RTX,
        "colour",
        "unknown key",
    ),
    Bad(
        "unknown_top_level_key",
        A,
        "[alliance]",
        'colour = "red"\n[alliance]',
        "-",
        "colour",
        "unknown key",
    ),
    Bad("missing_required_field", M, 'unit = "attendances"\n', "", ATTENDANCES, "unit", "missing"),
    Bad(
        "missing_calendar",
        A,
        ALLIANCE[ALLIANCE.index("[calendar]") : ALLIANCE.index("[[peer")],
        "",
        "-",
        "calendar",
        "missing",
    ),
    Bad(
        "wrong_type_string_for_int",
        A,
        "lock_days_after_due = 30",
        'lock_days_after_due = "30"',
        "[calendar]",
        "lock_days_after_due",
        "whole number",
    ),
    Bad(
        "wrong_type_string_for_number",
        M,
        "target = 0.95",
        'target = "0.95"',
        FOUR_HOUR,
        "target",
        "must be a number",
    ),
    Bad(
        "bad_domain",
        M,
        'domain = "access"',
        'domain = "waiting"',
        FOUR_HOUR,
        "domain",
        "clinical_quality, access, cost, engagement",
    ),
    Bad(
        "bad_kind",
        M,
        'kind = "count"',
        'kind = "total"',
        ATTENDANCES,
        "kind",
        "proportion, rate, ratio, mean, count, currency, score",
    ),
    Bad(
        "bad_improvement",
        M,
        'improvement = "increase"',
        'improvement = "up"',
        FOUR_HOUR,
        "improvement",
        "increase, decrease, neutral",
    ),
    Bad(
        "bad_member_code",
        A,
        'code = "AD913"',
        'code = "AD-913"',
        "member 'AD-913' (entry 2)",
        "code",
        "not a valid member code",
    ),
    Bad(
        "bad_measure_code",
        M,
        'code = "ae_attendances"',
        'code = "AE attendances"',
        "measure 'AE attendances' (entry 2)",
        "code",
        "snake_case",
    ),
    Bad("missing_member_code", A, 'code = "RTX"\n', "", "member (entry 1)", "code", "missing"),
    Bad(
        "duplicate_member",
        A,
        'code = "AD913"',
        'code = "RTX"',
        "member 'RTX' (entry 2)",
        "code",
        "duplicate member code 'RTX'",
    ),
    Bad(
        "duplicate_measure",
        M,
        'code = "ae_attendances"',
        'code = "ae_4hr_performance"',
        "measure 'ae_4hr_performance' (entry 2)",
        "code",
        "duplicate measure code",
    ),
    Bad(
        "duplicate_peer_group",
        A,
        "[[members]]",
        '[[peer_groups]]\ncode = "large"\nname = "Big"\n\n[[members]]',
        "peer group 'large' (entry 2)",
        "code",
        "duplicate peer group code",
    ),
    Bad(
        "undefined_peer_group",
        A,
        'peer_groups = ["large"]',
        'peer_groups = ["large", "xyz"]',
        RTX,
        "peer_groups",
        "unknown peer group 'xyz'",
    ),
    Bad(
        "valid_min_above_max",
        M,
        "valid_min = 0.0\ndefinition",
        "valid_min = 5.0\nvalid_max = 1.0\ndefinition",
        ATTENDANCES,
        "valid_min",
        "above valid_max",
    ),
    Bad(
        "target_outside_range",
        M,
        "valid_max = 1.0\ntarget = 0.95",
        "valid_max = 0.9\ntarget = 0.95",
        FOUR_HOUR,
        "target",
        "outside the valid range",
    ),
    Bad(
        "ratio_without_numerator",
        M,
        'numerator_label = "Attendances seen within 4 hours"\n',
        "",
        FOUR_HOUR,
        "numerator_label",
        "required for ratio kinds",
    ),
    Bad(
        "ratio_without_denominator",
        M,
        'denominator_label = "A&E attendances"\n',
        "",
        FOUR_HOUR,
        "denominator_label",
        "required for ratio kinds",
    ),
    Bad(
        "proportion_as_percentage",
        M,
        "valid_max = 1.0\ntarget = 0.95",
        "valid_max = 100.0\ntarget = 0.95",
        FOUR_HOUR,
        "valid_max",
        "outside 0..1",
    ),
    Bad(
        "negative_small_number_threshold",
        M,
        "small_number_threshold = 30",
        "small_number_threshold = -1",
        FOUR_HOUR,
        "small_number_threshold",
        "0 or more",
    ),
    Bad(
        "zero_multiplier",
        M,
        'improvement = "neutral"',
        'improvement = "neutral"\nmultiplier = 0',
        ATTENDANCES,
        "multiplier",
        "above 0",
    ),
    Bad(
        "month_13",
        A,
        'first_period = "2016-04"',
        'first_period = "2016-13"',
        "[calendar]",
        "first_period",
        "YYYY-MM",
    ),
    Bad(
        "period_not_yyyy_mm",
        A,
        'first_period = "2016-04"',
        'first_period = "April 2016"',
        "[calendar]",
        "first_period",
        "YYYY-MM",
    ),
    Bad(
        "negative_due_days",
        A,
        "due_days_after_month_end = 20",
        "due_days_after_month_end = -1",
        "[calendar]",
        "due_days_after_month_end",
        "0 or more",
    ),
    Bad(
        "negative_lock_days",
        A,
        "lock_days_after_due = 30",
        "lock_days_after_due = -5",
        "[calendar]",
        "lock_days_after_due",
        "0 or more",
    ),
    Bad(
        "no_members",
        A,
        ALLIANCE,
        "members = []\n" + WITHOUT_MEMBERS,
        "-",
        "members",
        "at least one member",
    ),
    Bad("no_measures", M, MEASURES, "measures = []\n", "-", "measures", "at least one measure"),
    Bad(
        "empty_member_name",
        A,
        'name = "Provider AD913"',
        'name = "  "',
        AD913,
        "name",
        "must not be empty",
    ),
    Bad(
        "empty_alliance_name",
        A,
        'name = "Test alliance"',
        'name = ""',
        "[alliance]",
        "name",
        "must not be empty",
    ),
    Bad(
        "min_peer_group_size_zero",
        A,
        'name = "Test alliance"',
        'name = "Test alliance"\nmin_peer_group_size = 0',
        "[alliance]",
        "min_peer_group_size",
        "1 or more",
    ),
    Bad(
        "accountability_not_a_table",
        A,
        "[alliance]",
        'accountability = "strict"\n[alliance]',
        "-",
        "accountability",
        "must be a table",
    ),
    Bad(
        "member_not_a_table",
        A,
        ALLIANCE,
        'members = ["RTX"]\n' + WITHOUT_MEMBERS,
        "member (entry 1)",
        "-",
        "must be a table",
    ),
]


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=lambda case: case.id)
def test_bad_config_names_file_entry_and_field(tmp_path: Path, case: Bad) -> None:
    alliance = edited(ALLIANCE, case.old, case.new) if case.file == A else ALLIANCE
    measures = edited(MEASURES, case.old, case.new) if case.file == M else MEASURES
    problems = problems_in(write_config(tmp_path, alliance, measures))
    assert [(p.file, p.entry, p.field) for p in problems] == [(case.file, case.entry, case.field)]
    assert case.words in problems[0].message


def test_missing_file_is_reported_with_the_directory(tmp_path: Path) -> None:
    problems = problems_in(write_config(tmp_path, measures=None))
    assert [(p.file, p.entry, p.field) for p in problems] == [(M, "-", "-")]
    assert str(tmp_path) in problems[0].message


def test_missing_directory_reports_both_files(tmp_path: Path) -> None:
    problems = problems_in(tmp_path / "nowhere")
    assert [p.file for p in problems] == [A, M]


def test_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    bad = edited(MEASURES, 'unit = "attendances"', "unit = attendances")
    (problem,) = problems_in(write_config(tmp_path, measures=bad))
    assert problem.message.startswith("TOML syntax error at line 22, column 8: ")


def test_error_text_lists_one_problem_per_line(tmp_path: Path) -> None:
    bad = edited(ALLIANCE, 'peer_groups = ["large"]', 'peer_groups = ["large", "xyz"]')
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write_config(tmp_path, alliance=bad))
    assert str(caught.value) == (
        "alliance.toml: member 'RTX' (entry 1): field 'peer_groups': unknown peer group 'xyz'"
    )
    assert isinstance(caught.value, ValueError)


def test_every_problem_in_both_files_is_reported_in_file_order(tmp_path: Path) -> None:
    alliance = edited(ALLIANCE, 'first_period = "2016-04"', 'first_period = "2016-13"')
    alliance = edited(alliance, 'code = "AD913"', 'code = "RTX"\ncolour = 1')
    alliance = edited(alliance, 'peer_groups = ["large"]', 'peer_groups = ["huge"]')
    measures = edited(MEASURES, 'domain = "access"', 'domain = "speed"')
    measures = edited(measures, "target = 0.95", "target = 1.5")
    measures = edited(measures, "small_number_threshold = 30", "small_number_threshold = -1")
    measures = edited(measures, 'kind = "count"', 'kind = "tally"')
    problems = problems_in(write_config(tmp_path, alliance, measures))
    assert [(p.file, p.entry, p.field) for p in problems] == [
        (A, "[calendar]", "first_period"),
        (A, RTX, "peer_groups"),
        (A, "member 'RTX' (entry 2)", "colour"),
        (A, "member 'RTX' (entry 2)", "code"),
        (M, FOUR_HOUR, "domain"),
        (M, FOUR_HOUR, "small_number_threshold"),
        (M, FOUR_HOUR, "target"),
        (M, ATTENDANCES, "kind"),
    ]
    text = str(CatalogueError(problems))
    assert len(text.splitlines()) == len(problems)


def test_dates_in_accountability_are_refused_because_the_document_is_json(
    tmp_path: Path,
) -> None:
    alliance = ALLIANCE + "\n[accountability]\nreview_from = 2024-04-01\n"
    (problem,) = problems_in(write_config(tmp_path, alliance=alliance))
    assert (problem.entry, problem.field) == ("-", "accountability")
    assert "accountability.review_from" in problem.message


def test_accountability_table_is_kept_in_the_document(tmp_path: Path) -> None:
    alliance = ALLIANCE + '\n[accountability]\nescalate_after_months = 3\nchair = "board"\n'
    catalogue = load_catalogue(write_config(tmp_path, alliance=alliance))
    document = catalogue.to_document()
    assert document["alliance"]["accountability"] == {"escalate_after_months": 3, "chair": "board"}
    assert Catalogue.from_document(document) == catalogue


def test_member_order_is_file_order(tmp_path: Path) -> None:
    catalogue = load_catalogue(write_config(tmp_path))
    assert [m.code for m in catalogue.alliance.members] == ["RTX", "AD913"]
    assert catalogue.alliance.members[1].peer_groups == ()
