"""Ingest benchmark: 1,000,000 values (50 members × 200 measures × 100 months) in one CSV.

Times, in one run: (a) DuckDB ``read_csv`` into a table, the floor; (b) Concord's full path
(parse, validate, append to the log, project to current_values); (c) the naive path a
typical Flask app would take (marshmallow ``load`` per row, one INSERT per row into SQLite)
on 50,000 rows, extrapolated; (d) restating the whole file with other values on the
warehouse (b) left (validation against the held history, outlier checks included). Each
path runs in its own process so its peak RSS is its own.
The last line printed is one JSON object.

    .venv/bin/python bench/ingest.py [--members 50 --measures 200 --months 100]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

NAIVE_ROWS = 50_000
RESTATEMENT_SEED = 8  # other values for the same keys: every return restated


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_floor(csv: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect(str(csv.parent / "floor.duckdb"))
    started = time.perf_counter()
    con.execute(f"CREATE TABLE staging AS SELECT * FROM read_csv('{csv}')")
    seconds = time.perf_counter() - started
    rows = con.execute("SELECT count(*) FROM staging").fetchone()[0]  # type: ignore[index]
    con.close()
    # The reading part alone, into memory: Concord has to read the file too.
    memory = duckdb.connect()
    started = time.perf_counter()
    memory.execute(f"CREATE TABLE parsed AS SELECT * FROM read_csv('{csv}')")
    read_s = time.perf_counter() - started
    memory.close()
    return {"seconds": seconds, "rows": rows, "peak_rss_mb": peak_rss_mb(), "read_s": read_s}


def run_concord(csv: Path, config: Path) -> dict[str, float]:
    from concord.services import build_services
    from concord.settings import Settings
    from concord.warm_up import warm_compiled_kernels
    from ingest.catalogue.commands import apply_catalogue
    from ingest.catalogue.loader import load_catalogue
    from ingest.log.actor import Actor

    settings = Settings.from_env({}, data_dir=csv.parent / "var", config_dir=config)
    services = build_services(settings)
    operator = Actor.operator("bench")
    apply_catalogue(services.log, load_catalogue(config), operator, source="bench")
    services.projector.catch_up()
    phases: dict[str, float] = {"log_append_s": 0.0}
    appending = services.log.append

    def timed_append(*aggregates: Any) -> int:
        began = time.perf_counter()
        try:
            return appending(*aggregates)
        finally:
            phases["log_append_s"] += time.perf_counter() - began

    services.log.append = timed_append  # type: ignore[method-assign]
    # As the server has, long before an upload arrives (run_server warms them as it starts):
    # numba and the compiled kernels of the signals' XmR batch, loaded once per process.
    warm_compiled_kernels()
    report, seconds, timed = _timed_upload(services, csv, operator)
    phases.update(timed)
    with services.warehouse.reading() as cur:
        held = cur.sql("SELECT count(*) FROM current_values").fetchall()[0][0]
        versions = cur.sql("SELECT * FROM value_versions").to_arrow_table()
    services.close()
    assert report.counts["new"] == held, (report.counts, held)
    phases["read_model_write_s"] = _read_model_write_floor(versions, csv.parent / "floor.duckdb")
    return {"seconds": seconds, "rows": held, "peak_rss_mb": peak_rss_mb(), **phases}


def run_restatement(csv: Path, config: Path, data_dir: Path) -> dict[str, float]:
    """Restating every value of the file at once, on the warehouse `run_concord` left in
    `data_dir`: a member re-sends a corrected history. A process of its own, so its peak RSS
    is the restatement's (the catalogue and the held returns are read, not reloaded)."""
    from concord.services import build_services
    from concord.settings import Settings
    from concord.warm_up import warm_compiled_kernels
    from ingest.log.actor import Actor

    settings = Settings.from_env({}, data_dir=data_dir, config_dir=config)
    services = build_services(settings)
    services.projector.catch_up()
    warm_compiled_kernels()  # as in run_concord
    report, seconds, phases = _timed_upload(services, csv, Actor.operator("bench"),
                                            reason="bench: the whole history corrected")
    services.close()
    assert report.counts["changed"] > 0, report.counts
    return {"seconds": seconds, "rows": report.counts["changed"],
            "peak_rss_mb": peak_rss_mb(), **phases}


def _timed_upload(services: Any, csv: Path, actor: Any, reason: str | None = None
                  ) -> tuple[Any, float, dict[str, float]]:
    """Upload `csv` the way the CLI and API do (parse, validate and append, project); the
    report, the seconds it all took, and each phase's seconds."""
    from ingest.parsing import parse_upload
    from ingest.returns.commands import Submission, submit_returns

    started = time.perf_counter()
    raw = parse_upload(csv.read_bytes(), filename=csv.name)
    parse_s = time.perf_counter() - started
    report = submit_returns(services.log, services.catalogue(), services.held_returns(),
                            Submission(raw=raw, actor=actor, source="bench", reason=reason),
                            today=datetime.now(UTC).date())
    submit_s = time.perf_counter() - started - parse_s
    services.projector.catch_up()
    seconds = time.perf_counter() - started
    return report, seconds, {"parse_s": parse_s, "validate_and_append_s": submit_s,
                             "project_s": seconds - parse_s - submit_s}


def _read_model_write_floor(versions: Any, path: Path) -> float:
    """What writing the upload's rows into a fresh warehouse costs with nothing else to do:
    the value versions, already in Arrow, appended to ``value_versions`` and copied to
    ``current_values`` in one transaction, as the projection must. Reading the file and the
    log append are the other steps no implementation of this architecture can skip; together
    they bound its speed (docs/ingest-performance.md)."""
    from warehouse.db import Warehouse

    warehouse = Warehouse(path)
    warehouse.migrate()
    started = time.perf_counter()
    with warehouse.transaction() as cur:
        cur.register("written", versions)
        cur.execute("INSERT INTO value_versions SELECT * FROM written")
        cur.execute("INSERT INTO current_values (org_code, measure_code, period, value, "
                    "numerator, denominator, status, recorded_at, actor, position, return_id) "
                    "SELECT org_code, measure_code, period, value, numerator, denominator, "
                    "status, recorded_at, actor, position, return_id FROM value_versions")
    seconds = time.perf_counter() - started
    warehouse.close()
    return seconds


def run_naive(csv: Path, rows: int) -> dict[str, float]:
    """What a quick Flask endpoint does: marshmallow ``load`` per row, an ORM object per row.

    The Flask-SQLAlchemy pattern (``session.add`` per row into SQLite), committed once at the
    end, which is kinder to it than a commit per request. No catalogue checks, no history, no
    events: a lower bound on its real cost.
    """
    import csv as csv_module

    from marshmallow import Schema, fields, validate
    from sqlalchemy import Column, Float, Integer, String, create_engine
    from sqlalchemy.orm import Session, declarative_base

    Base = declarative_base()  # noqa: N806 - the conventional name

    class Value(Base):  # type: ignore[misc, valid-type]
        __tablename__ = "vals"
        id = Column(Integer, primary_key=True)
        org_code = Column(String)
        measure_code = Column(String)
        period = Column(String)
        value = Column(Float)
        numerator = Column(Float)
        denominator = Column(Float)
        comment = Column(String)

    class RowSchema(Schema):
        org_code = fields.String(required=True)
        measure_code = fields.String(required=True)
        period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
        value = fields.Float(allow_none=True)
        numerator = fields.Float(allow_none=True)
        denominator = fields.Float(allow_none=True)
        comment = fields.String(allow_none=True)

    engine = create_engine(f"sqlite:///{csv.parent / 'naive.sqlite'}")
    Base.metadata.create_all(engine)
    schema = RowSchema()
    started = time.perf_counter()
    with Session(engine) as session, csv.open(newline="") as fh:
        for i, row in enumerate(csv_module.DictReader(fh)):
            if i == rows:
                break
            session.add(Value(**schema.load({k: (v or None) for k, v in row.items()})))
        session.commit()
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "rows": rows, "peak_rss_mb": peak_rss_mb()}


def _in_subprocess(path: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--run", path, *args], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--months", type=int, default=100)
    parser.add_argument("--run", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        path, *rest = args.run
        runner = {"floor": lambda: run_floor(Path(rest[0])),
                  "concord": lambda: run_concord(Path(rest[0]), Path(rest[1])),
                  "naive": lambda: run_naive(Path(rest[0]), int(rest[1])),
                  "restate": lambda: run_restatement(Path(rest[0]), Path(rest[1]),
                                                     Path(rest[2]))}[path]
        print(json.dumps(runner()))
        return
    from bench.generate import write_config, write_values_csv

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = write_config(work / "config", members=args.members, measures=args.measures)
        values = write_values_csv(work / "values.csv", members=args.members,
                                  measures=args.measures, months=args.months)
        print(f"{values:,} values, CSV {(work / 'values.csv').stat().st_size / 1e6:.1f} MB")
        results = {}
        write_values_csv(work / "restated.csv", members=args.members, measures=args.measures,
                         months=args.months, seed=RESTATEMENT_SEED)
        for name, extra in (("floor", []), ("concord", [str(config)]),
                            ("naive", [str(NAIVE_ROWS)]),
                            ("restate", [str(config), str(work / "concord" / "var")])):
            run_dir = work / name
            run_dir.mkdir()
            csv = run_dir / "values.csv"
            csv.symlink_to(work / ("restated.csv" if name == "restate" else "values.csv"))
            results[name] = _in_subprocess(name, str(csv), *extra)
            rate = results[name]["rows"] / results[name]["seconds"]
            print(f"{name:8} {results[name]['seconds']:8.2f} s  {rate:12,.0f} values/s  "
                  f"peak RSS {results[name]['peak_rss_mb']:,.0f} MB  "
                  f"{ {k: round(v, 2) for k, v in results[name].items() if k.endswith('_s')} }")
    rates = {k: r["rows"] / r["seconds"] for k, r in results.items()}
    concord = results["concord"]
    unavoidable = (results["floor"]["read_s"] + concord["log_append_s"]
                   + concord["read_model_write_s"])
    ceiling = concord["rows"] / unavoidable / rates["floor"]
    summary = {
        "floor_values_per_s": round(rates["floor"]),
        "concord_values_per_s": round(rates["concord"]),
        "naive_values_per_s": round(rates["naive"]),
        "ratio_to_floor": round(rates["concord"] / rates["floor"], 3),
        "ratio_to_naive": round(rates["concord"] / rates["naive"], 1),
        "peak_rss_mb": round(results["concord"]["peak_rss_mb"]),
        "ratio_to_floor_ceiling": round(ceiling, 3),
        "restatement_s": round(results["restate"]["seconds"], 2),
        "restatement_peak_rss_mb": round(results["restate"]["peak_rss_mb"]),
    }
    print(f"unavoidable steps alone: reading the file {results['floor']['read_s']:.2f} s + "
          f"log append {concord['log_append_s']:.2f} s + read-model write "
          f"{concord['read_model_write_s']:.2f} s = {unavoidable:.2f} s, so ratio_to_floor "
          f"could be at most {ceiling:.2f} even if validating and the rest of projecting "
          "cost nothing")
    print(f"targets: ratio_to_floor >= 0.3 ({summary['ratio_to_floor']}), ratio_to_naive >= 20 "
          f"({summary['ratio_to_naive']}), peak RSS <= 1536 MB ({summary['peak_rss_mb']})")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
