"""The export's own XLSX writer produces workbooks that spreadsheet readers open correctly."""

import pandas as pd
from openpyxl import load_workbook

from cityindex.io.xlsx import write_xlsx


def test_written_workbook_reads_back_typed_and_escaped(tmp_path):
    table = pd.DataFrame({
        "ags": ["05334002", "05314000"],
        "score": [53.8, float("nan")],
        "rank": pd.array([52, None], dtype="Int64"),
        "note": ["<b>&\"Tendenz\"</b>", "bell\x07 removed"],
        "formula": ["=1+2", "'=1+2"],
    })
    path = write_xlsx({"overall": table, "a very long sheet name beyond thirty-one": table.head(1)},
                      tmp_path / "out.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["overall", "a very long sheet name beyond t"]
    rows = list(workbook["overall"].values)
    assert rows[0] == ("ags", "score", "rank", "note", "formula")
    assert rows[1] == ("05334002", 53.8, 52, "<b>&\"Tendenz\"</b>", "=1+2")
    assert rows[2] == ("05314000", None, None, "bell removed", "'=1+2")
    assert all(cell.data_type != "f" for row in workbook["overall"].iter_rows() for cell in row)
    assert pd.read_excel(path, sheet_name="overall", dtype={"ags": str})["ags"].tolist() == ["05334002", "05314000"]
