"""Parsers read the recorded samples in the exact published formats; bad input gives a clear error."""

import io

import openpyxl
import pandas as pd
import pytest

from cityindex.connectors import codefor, destatis, freifunk, gbfs, ladesaeulen
from cityindex.connectors.base import VALUE_COLUMNS, SourceFormatError

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors"


def test_current_charging_register_csv_with_preamble_and_decimal_comma():
    rows, as_of = ladesaeulen.parse_csv((DATA / "ladesaeulenregister_current_sample.csv").read_bytes())
    assert as_of == "2026-03-25"
    assert list(rows.town) == ["Heroldstatt", "Amstetten", "Mannheim", "Mannheim", "Mannheim"]
    assert rows.lat.iloc[0] == pytest.approx(48.449424) and rows.lon.iloc[1] == pytest.approx(9.87484)
    assert rows.points.tolist() == [2, 2, 2, 2, 1]
    assert rows.kind.iloc[1] == "Schnellladeeinrichtung"


def test_current_charging_register_in_windows_1252_reads_the_same():
    data = (DATA / "ladesaeulenregister_current_sample.csv").read_bytes().decode("utf-8-sig").encode("cp1252")
    rows, as_of = ladesaeulen.parse_csv(data)
    assert as_of == "2026-03-25" and rows.state.iloc[0] == "Baden-Württemberg"


def test_current_register_is_assigned_by_point_in_polygon():
    rows, as_of = ladesaeulen.parse_csv((DATA / "ladesaeulenregister_current_sample.csv").read_bytes())
    result = ladesaeulen.assign_current(rows, as_of=as_of, source_url="https://example.org/register.csv")
    values = result.values.set_index(["ags", "parameter"]).value
    assert values[("08222000", "charging_points")] == "5"  # Mannheim: 2 + 2 + 1
    assert values[("05315000", "charging_points")] == "0"
    assert values[("08222000", "charging_points_per_1000")] == f"{5 / 310658 * 1000:.3f}"
    assert len(result.unassigned) == 2  # Heroldstatt and Amstetten lie in no index city


def test_a_device_without_a_point_count_or_coordinates_is_reported_not_counted_as_zero():
    rows, as_of = ladesaeulen.parse_csv((DATA / "ladesaeulenregister_current_sample.csv").read_bytes())
    rows.loc[4, "points"] = float("nan")  # Mannheim, 1 point: count not stated
    rows.loc[0, ["lat", "lon"]] = float("nan")  # Heroldstatt: no coordinates
    result = ladesaeulen.assign_current(rows, as_of=as_of, source_url="https://example.org/register.csv")
    mannheim = result.values.set_index(["ags", "parameter"]).loc[("08222000", "charging_points")]
    assert mannheim.value == "4" and "1 of them state no number of charging points" in mannheim.note
    assert dict(zip(result.unassigned.row.str.split().str[1], result.unassigned.reason)) == {
        "Heroldstatt": "no coordinates", "Amstetten": "not in an index city"}


def test_a_file_without_the_register_header_is_refused():
    with pytest.raises(SourceFormatError, match="Ladeeinrichtungs-ID"):
        ladesaeulen.parse_csv(b"Betreiber;Ort\nX;Y\n")


def test_genesis_ffcsv_keeps_totals_and_reads_missing_symbols():
    rows = destatis.parse_ffcsv((DATA / "genesis_12411-01-01-5_sample.ffcsv").read_bytes())
    assert rows.set_index("ags").value["05119000"] == 210764
    assert pd.isna(rows.set_index("ags").value["09999999"])
    result = destatis.assign_population(rows, as_of="2019-12-31")
    values = result.values.set_index("ags").value
    assert values["02000000"] == "1847253" and values["04011000"] == ""  # Bremen not in the sample
    assert list(result.unassigned.row) == ["09999999"]
    changes = destatis.population_changes(result.values).set_index("ags")
    assert changes.change["05315000"] == 0


def test_genesis_error_envelope_becomes_a_download_error():
    from cityindex.connectors.base import DownloadError

    envelope = b'{"Status": {"Code": 104, "Content": "Es gibt keine Objekte zum angegebenen Selektionskriterium"}}'
    with pytest.raises(DownloadError, match="status 104"):
        destatis.check_envelope(envelope)


def _gv_isys_workbook(cities: pd.DataFrame) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Deckblatt"
    sheet = book.create_sheet("Onlineprodukt_Gemeinden31122019")
    for _ in range(6):
        sheet.append(["Gemeindeverzeichnis (Kopfzeile)"])
    for city in cities.itertuples():
        ags = city.ags
        sheet.append([40, 41, ags[:2], ags[2], ags[3:5], None, None, f"{city.city}, Kreis"])
        sheet.append([60, 61, ags[:2], ags[2], ags[3:5], "0000", ags[5:], city.city, city.area_km2,
                      city.population, None, None, None, None, str(city.lon).replace(".", ","),
                      str(city.lat).replace(".", ",")])
    sheet.append(["1) Fußnote"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_gv_isys_workbook_gives_one_row_per_municipality():
    cities = pd.read_csv(DATA.parents[2] / "src/cityindex/data/published/cities.csv", dtype={"ags": str}).head(3)
    rows = destatis.parse_gv_isys(_gv_isys_workbook(cities))
    assert list(rows.ags) == list(cities.ags)
    assert rows.population.tolist() == cities.population.tolist()
    assert rows.lat.tolist() == pytest.approx(cities.lat.tolist())
    # the area is a number cell with a decimal point (160.85 km², not 16085)
    assert rows.area_km2.tolist() == pytest.approx(cities.area_km2.tolist())


def test_published_numbers_keep_number_cells_and_read_the_decimal_comma():
    from cityindex.connectors.base import german_numbers

    cells = pd.Series([160.85, 248960, "1.087.000", "405,02", ".", "x", "-", ""], dtype=object)
    numbers = german_numbers(cells)
    assert numbers[:4].tolist() == pytest.approx([160.85, 248960, 1087000, 405.02])
    assert numbers[4:].isna().all()


def test_gbfs_station_information_counts_stations_inside_city_polygons():
    stations = gbfs.parse_station_information((DATA / "gbfs_station_information_sample.json").read_bytes())
    assert len(stations) == 4
    result = gbfs.assign_stations(stations, as_of="2026-03-25", source_url="https://example.org/gbfs",
                                  system_id="example")
    counts = result.values.set_index("ags").value
    assert counts["05315000"] == "2" and counts["05119000"] == "1"
    assert list(result.unassigned.row) == ["Beispielstation D (fiktiv) [ex-4]"]


def test_gbfs_feed_without_stations_is_refused():
    with pytest.raises(SourceFormatError, match="station_information"):
        gbfs.parse_station_information(b'{"data": {"bikes": []}}')
    with pytest.raises(SourceFormatError, match="a station is not an object"):
        gbfs.parse_station_information(b'{"data": {"stations": ["s1"]}}')
    with pytest.raises(SourceFormatError, match="gbfs.json"):
        gbfs.station_information_url(b'{"data": {"de": {"feeds": ["station_information"]}}}')
    odd = gbfs.parse_station_information(b'{"data": {"stations": [{"station_id": 1, "lat": "n/a", "lon": 6.9}]}}')
    assert odd.lat.isna().all() and gbfs.assign_stations(odd, as_of="", source_url="", system_id="x").values.empty


def test_codefor_lab_page_flags_come_from_the_front_matter():
    page = codefor.parse_page((DATA / "codefor_lab_page_sample.md").read_bytes(), page="content/labs/frankfurt.md")
    assert page == {"page": "content/labs/frankfurt.md", "city": "Frankfurt", "inactive": True, "hidden": False}
    labs = pd.DataFrame([{**page, "note": ""}])
    values = codefor.assign(labs).values.set_index(["ags", "parameter"]).value
    assert values[("06412000", "oklab_any")] == "yes" and values[("06412000", "oklab_active")] == "no"


@pytest.mark.parametrize("page, problem", [
    (b"---\ncity: [Koeln\n---\n", "not valid YAML"),
    (b"---\njust text\n---\n", "not a mapping"),
    ("---\ncity: Köln\n---\n".encode("cp1252"), "not UTF-8"),
])
def test_a_broken_lab_page_gives_a_format_error_naming_the_page(page, problem):
    with pytest.raises(SourceFormatError, match=f"content/labs/koeln.md: .*{problem}"):
        codefor.parse_page(page, page="content/labs/koeln.md")


def test_freifunk_api_file_states_nodes_and_date():
    state = freifunk.parse_api_file((DATA / "freifunk_api_file_sample.json").read_bytes())
    assert state == {"name": "Freifunk Beispielstadt (fiktiv)", "nodes": 123, "lastchange": "2024-05-20"}


def test_an_api_file_with_an_unreadable_node_count_leaves_the_value_unknown_with_the_reason():
    with pytest.raises(SourceFormatError, match="state.nodes is 'viele'"):
        freifunk.parse_api_file(b'{"name": "X", "state": {"nodes": "viele"}}')
    with pytest.raises(SourceFormatError, match="not an object"):
        freifunk.parse_api_file(b'{"name": "X", "state": "offline"}')
    directory = pd.DataFrame({"key": ["koeln"], "url": ["https://example.org/koeln.json"]})
    result = freifunk.nodes_from_directory(directory, lambda url: b'{"state": {"nodes": "viele"}}')
    row = result.values.iloc[0]
    assert row.value == "" and "could not be read" in row.note and row.ags == "05315000"


def test_auto_discovery_points_to_station_information_in_gbfs_2_and_3():
    v2 = (DATA / "gbfs_auto_discovery_sample.json").read_bytes()
    assert gbfs.station_information_url(v2) == "https://gbfs.example.org/example/de/station_information.json"
    v3 = b'{"data": {"feeds": [{"name": "vehicle_status", "url": "https://x/v.json"}]}}'
    assert gbfs.station_information_url(v3) is None


def test_systems_without_a_station_in_any_index_city_give_no_values_and_report_why():
    systems = pd.DataFrame([{"country": "DE", "name": "Floating", "location": "Köln", "system_id": "floating",
                             "url": "", "auto_discovery_url": "https://gbfs.example.org/floating/gbfs.json"}])
    result = gbfs.stations_per_city(systems, lambda url: b'{"data": {"en": {"feeds": []}}}', as_of="2026-03-25")
    assert result.values.empty and list(result.values.columns) == VALUE_COLUMNS
    assert list(result.unassigned.row) == ["floating"]


def test_stations_of_all_systems_are_summed_per_city():
    systems = pd.DataFrame([
        {"country": "DE", "name": "Example", "location": "Köln", "system_id": "example",
         "url": "", "auto_discovery_url": "https://gbfs.example.org/example/gbfs.json"},
        {"country": "DE", "name": "Floating", "location": "Köln", "system_id": "floating",
         "url": "", "auto_discovery_url": "https://gbfs.example.org/floating/gbfs.json"},
        {"country": "AT", "name": "Elsewhere", "location": "Wien", "system_id": "wien",
         "url": "", "auto_discovery_url": "https://gbfs.example.org/wien/gbfs.json"},
    ])
    files = {
        "https://gbfs.example.org/example/gbfs.json": (DATA / "gbfs_auto_discovery_sample.json").read_bytes(),
        "https://gbfs.example.org/example/de/station_information.json":
            (DATA / "gbfs_station_information_sample.json").read_bytes(),
        "https://gbfs.example.org/floating/gbfs.json": b'{"data": {"en": {"feeds": []}}}',
    }
    result = gbfs.stations_per_city(systems, files.__getitem__, as_of="2026-03-25")
    counts = result.values.set_index("ags").value
    assert counts.to_dict() == {"05119000": "1", "05315000": "2"}
    reasons = dict(zip(result.unassigned.row, result.unassigned.reason))
    assert reasons["floating"].startswith("no station_information feed")
    assert any(r.startswith("example: Beispielstation D") for r in reasons)
