"""Write the sample files of docs/howto-bureau.md: a district bureau's directories, synthetic.

Run from the repository: ``python docs/examples/bureau/generate.py``. Every enterprise, person,
code and number comes from randcheck's synthetic generators (``randcheck.demo.synthetic``) or is
made up here: no real enterprise or person. Telephone numbers are ``022-0000-NNNN``, which no
Tianjin number can be (local numbers do not start with 0). No identity numbers are written:
inspectors are keyed by their certificate numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from randcheck.demo import synthetic
from randcheck.domain import Line

HERE = Path(__file__).resolve().parent
SEED = "bureau-howto"

ENTERPRISE_HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "所在区",
    "行业类别",
    "信用等级",
    "是否列入经营异常名录",
    "近一年投诉次数",
    "注册地址",
]
INSPECTOR_HEADER = [
    "序号",
    "姓名",
    "工作单位",
    "职务",
    "执法证件编号",
    "手机号",
    "所属区县",
    "科室名称",
    "执法类别",
    "证件有效期至",
]
CONFLICT_HEADER = ["执法人员", "执法人员姓名", "统一社会信用代码", "回避原因"]
LINES = {
    Line.LABOUR_INSPECTION.value: "劳动保障监察",
    Line.SOCIAL_INSURANCE_AUDIT.value: "社会保险稽查",
    Line.MEDICAL_INSURANCE_SUPERVISION.value: "医疗保险监督检查",
}
GROUNDS = {
    "former-employment": "曾任职",
    "relative": "近亲属",
    "shareholding": "持股",
    "same-person": "本人",
    "other": "其他",
}


def main() -> None:
    enterprises = list(synthetic.enterprises(500, seed=SEED))
    # Entries known only by an identity number are left out: no identity numbers here.
    staff = [i for i in synthetic.inspectors(160, seed=SEED) if i.certificate_no]
    # Made-up names for the legal representatives, which the loaders never read.
    representatives = [i.name for i in synthetic.inspectors(500, seed=SEED + "-representatives")]
    rows = []
    for n, (e, person) in enumerate(zip(enterprises, representatives, strict=True), start=1):
        # Every twentieth district is written as the city writes it, 天津市和平区.
        district = f"天津市{e.district}" if n % 20 == 0 else e.district
        grade = "未评价" if e.grade == "unrated" else e.grade
        rows.append(
            [
                n,
                e.uscc,
                e.name,
                person,
                district,
                e.industry,
                grade,
                "是" if e.risk.abnormal_operations else "否",
                e.risk.complaints_12m,
                f"天津市{e.district}示例路{n}号",
            ]
        )
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "填表说明"
    notes.append(["本工作簿为 randcheck 示例数据，全部为合成数据。"])
    sheet = book.create_sheet("企业名录")
    sheet.append(ENTERPRISE_HEADER)
    for row in rows:
        sheet.append(row)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "@"  # the codes are text, as a bureau should keep them
    book.save(HERE / "enterprises.xlsx")
    # The same directory as Excel saves "CSV (逗号分隔)" in a Chinese locale: GB18030.
    _write_csv(HERE / "enterprises.csv", ENTERPRISE_HEADER, rows, "gb18030")

    inspector_rows = []
    for n, i in enumerate(staff, start=1):
        inspector_rows.append(
            [
                n,
                i.name,
                i.department,
                i.post,
                i.certificate_no,
                f"022-0000-{n:04d}",
                i.district,
                i.section,
                "、".join(LINES[line] for line in sorted(i.lines)),
                "" if i.certificate_valid_until is None else i.certificate_valid_until.isoformat(),
            ]
        )
    _write_csv(HERE / "inspectors.csv", INSPECTOR_HEADER, inspector_rows, "utf-8-sig")

    labour = [i for i in staff if Line.LABOUR_INSPECTION.value in i.lines and i.certificate_no]
    by_key = {i.key: i for i in labour}
    conflicts = synthetic.conflicts(labour, enterprises, per_mille=150, seed=SEED)
    conflict_rows = [
        [c.inspector, by_key[c.inspector].name, c.enterprise, GROUNDS[c.ground.value]]
        for c in conflicts
        if c.inspector in by_key and c.ground.value != "other"
    ]
    _write_csv(HERE / "conflicts.csv", CONFLICT_HEADER, conflict_rows, "utf-8-sig")


def _write_csv(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> None:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(header)
    out.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


if __name__ == "__main__":
    main()
