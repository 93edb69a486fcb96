"""`cityindex collect` and `cityindex sources` through the real CLI on a SQLite store."""

from pathlib import Path

from typer.testing import CliRunner

from cityindex.cli import app
from cityindex.connectors.base import SourceFormatError

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"
runner = CliRunner()


def _db(tmp_path):
    return ["--database-url", f"sqlite:///{tmp_path / 'store.sqlite'}"]


def test_sources_shows_every_source_with_its_licence():
    out = runner.invoke(app, ["sources"]).output
    for text in ("MobilityData", "CC BY 4.0", "natowi", "CC0", "dl-de/by-2-0", "GeoBasis-DE / BKG"):
        assert text in out


def test_collect_open_pilot_builds_the_edition_and_a_second_run_changes_nothing(tmp_path):
    first = runner.invoke(app, ["collect", "open-pilot", "--edition", "open-2026", *_db(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "1568 values for 82 cities" in first.output  # 20 parameters since methodology version 2
    second = runner.invoke(app, ["collect", "open-pilot", "--edition", "open-2026", *_db(tmp_path)])
    assert "No change against the stored values" in second.output


def test_collect_from_raw_files_reports_unassigned_rows(tmp_path):
    out = runner.invoke(app, ["collect", "open-pilot", "--raw", str(DATA / "open_pilot_raw"), "--dry-run",
                              *_db(tmp_path)]).output
    assert "rows not assigned to an index city" in out and "Dry run: nothing written." in out


def test_collect_one_source_from_a_local_file_compares_with_the_store(tmp_path):
    runner.invoke(app, ["collect", "open-pilot", *_db(tmp_path)])
    out = runner.invoke(app, ["collect", "ladesaeulen", "--file", str(DATA / "ladesaeulenregister_current_sample.csv"),
                              "--dry-run", "--unassigned", *_db(tmp_path)]).output
    assert "2 rows not assigned" in out and "Heroldstatt" in out
    assert "not imported): charging_points, charging_points_per_1000" in out


def test_curated_source_gives_a_clear_error(tmp_path):
    result = runner.invoke(app, ["collect", "mpsc", *_db(tmp_path)])
    assert result.exit_code != 0
    assert "mpsc.selections.csv" in str(result.exception) or "mpsc.selections.csv" in result.output


def test_a_file_in_the_wrong_format_gives_one_line_naming_the_file(tmp_path):
    wrong = tmp_path / "register.csv"
    wrong.write_text("Betreiber;Ort\nX;Y\n", encoding="utf-8")
    result = runner.invoke(app, ["collect", "ladesaeulen", "--file", str(wrong), *_db(tmp_path)])
    assert result.exit_code != 0
    message = f"{wrong}: Ladesäulenregister CSV: no header line"
    assert message in str(result.exception) or message in " ".join(result.output.split())


def test_a_file_no_parser_can_read_gives_one_line_not_a_traceback(tmp_path):
    wrong = tmp_path / "not-a-register.bin"
    wrong.write_bytes(b"\xff\xfe\x00garbage\"unterminated\n")
    for source in ("gbfs", "onleihe", "destatis-genesis", "destatis-gv"):
        result = runner.invoke(app, ["collect", source, "--file", str(wrong), "--dry-run", *_db(tmp_path)])
        assert result.exit_code != 0
        assert isinstance(result.exception, SourceFormatError), (source, repr(result.exception))
        assert str(wrong) in str(result.exception) and "cannot be read as" in str(result.exception)


def test_an_unknown_source_lists_every_key_collect_accepts(tmp_path):
    result = runner.invoke(app, ["collect", "gbfs-station", *_db(tmp_path)])
    message = str(result.exception)
    assert result.exit_code != 0 and "Unknown source 'gbfs-station'" in message
    assert "gbfs-stations" in message and "open-pilot" in message and "ladesaeulen" in message


def test_a_raw_directory_without_the_files_names_the_missing_file(tmp_path):
    result = runner.invoke(app, ["collect", "open-pilot", "--raw", str(tmp_path / "nowhere"), "--dry-run", *_db(tmp_path)])
    assert result.exit_code != 0
    message = str(result.exception)
    assert "MobilityData__gbfs__systems.csv: no such file" in message and "--raw must be the directory" in message


def test_a_corrupt_raw_file_names_the_file_instead_of_a_traceback(tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(DATA / "open_pilot_raw", raw)
    xlsx = next(raw.glob("*.xlsx"))
    xlsx.write_bytes(b"not a workbook")
    result = runner.invoke(app, ["collect", "open-pilot", "--raw", str(raw), "--dry-run", *_db(tmp_path)])
    assert isinstance(result.exception, SourceFormatError)
    assert str(xlsx) in str(result.exception) and "cannot be read as Bundesnetzagentur" in str(result.exception)
