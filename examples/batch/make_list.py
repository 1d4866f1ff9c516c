#!/usr/bin/python3
"""examples/batch/make_list.py - a generated list of certificates for
`vanban batch giay-chung-nhan` (tests and benchmarks).

    make_list.py N OUT.csv|OUT.xlsx [--seed S] [--labels] [--hd36]

Every value is deterministic for a seed. Row 1 of every 97 has the longest
model name the template accepts on two lines (it shrinks), row 1 of every
89 the longest group name; --labels writes the Vietnamese labels as
headers instead of the field names; --hd36 makes Party certificates.
"""
import csv
import random
import sys

FIELDS = ["ten-tep", "loai", "co-quan-chu-quan", "co-quan", "ky-hieu",
          "ten-mo-hinh", "chu-the", "don-vi", "linh-vuc", "nam",
          "so-quyet-dinh", "ngay-quyet-dinh", "dia-danh", "ngay",
          "quyen-han", "chuc-vu", "nguoi-ky"]
LABELS = {"ten-tep": "tên tệp", "loai": "loại giấy",
          "co-quan-chu-quan": "cơ quan chủ quản", "co-quan": "cơ quan cấp giấy",
          "ky-hieu": "ký hiệu cơ quan", "ten-mo-hinh": "tên mô hình",
          "chu-the": "tập thể, cá nhân", "don-vi": "đơn vị",
          "linh-vuc": "lĩnh vực", "nam": "năm",
          "so-quyet-dinh": "số quyết định", "ngay-quyet-dinh": "ngày quyết định",
          "dia-danh": "địa danh", "ngay": "ngày ký", "quyen-han": "quyền hạn ký",
          "chuc-vu": "chức vụ người ký", "nguoi-ky": "người ký"}

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
      "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
DEM = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân"]
TEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa",
       "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga",
       "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Yến"]
XA = ["Phúc Thành", "Hồng Thành", "Tây Thành", "Đô Thành", "Mã Thành",
      "Hoa Thành", "Lăng Thành", "Nhân Thành", "Bảo Thành", "Sơn Thành"]
TO = ["Hội Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Đoàn Thanh niên",
      "Chi bộ thôn", "Ban Công tác Mặt trận", "Tổ hòa giải"]
VIEC = ["Chung sức xây dựng nông thôn mới", "Đường hoa kiểu mẫu",
        "Thắp sáng đường quê", "Phụ nữ giúp nhau phát triển kinh tế",
        "Dòng họ không có người vi phạm pháp luật", "Tổ tự quản an ninh trật tự",
        "Hũ gạo tình thương", "Sân chơi cho thiếu nhi", "Vườn mẫu, khu dân cư mẫu",
        "Nhà văn hóa xanh - sạch - đẹp", "Camera an ninh vì bình yên thôn xóm"]
LINH_VUC = ["kinh tế", "VH-XH", "QP-AN", "HTCT"]
LONG_MODEL = ("Chung sức đồng lòng xây dựng thôn, xóm sáng - xanh - sạch - đẹp, "
              "giúp nhau phát triển kinh tế hộ gia đình, giữ gìn an ninh trật tự "
              "và bảo vệ môi trường ở khu dân cư")
LONG_GROUP = ("Chi hội Phụ nữ thôn Đông Hồng và Tổ hợp tác sản xuất rau an toàn "
              "của các hộ gia đình hội viên ở xóm Bắc, xã Phúc Thành")


def rows(n, seed=1, hd36=False):
    rnd = random.Random(seed)
    for i in range(1, n + 1):
        person = rnd.random() < 0.4
        xa = rnd.choice(XA)
        if person:
            who = "Ông" if rnd.random() < 0.5 else "Bà"
            chu_the = "%s %s %s %s" % (who, rnd.choice(HO), rnd.choice(DEM),
                                       rnd.choice(TEN))
        else:
            chu_the = "%s xã %s" % (rnd.choice(TO), xa)
        model = "%s %s" % (rnd.choice(VIEC), xa)
        if i % 97 == 0:
            model = LONG_MODEL
        if i % 89 == 0:
            chu_the = LONG_GROUP
        so = rnd.randint(1, 250)
        yield {
            "ten-tep": "%04d %s" % (i, chu_the),
            "loai": "giay-khen" if i % 10 == 0 else "giay-chung-nhan",
            "co-quan-chu-quan": "Huyện ủy Yên Thành" if hd36 else "Ủy ban nhân dân huyện Yên Thành",
            "co-quan": "Ban Chỉ đạo phong trào “Dân vận khéo”" if not hd36 else "Ban Dân vận",
            "ky-hieu": "BDVHU" if hd36 else "UBND",
            "ten-mo-hinh": model,
            "chu-the": chu_the,
            "don-vi": "xã %s, huyện Yên Thành, tỉnh Nghệ An" % xa,
            "linh-vuc": rnd.choice(LINH_VUC),
            "nam": "2024",
            "so-quyet-dinh": str(so),
            "ngay-quyet-dinh": "2024-%02d-%02d" % (rnd.randint(1, 12), rnd.randint(1, 28)),
            "dia-danh": "Yên Thành",
            "ngay": "20/12/2024",
            "quyen-han": "TM. Ban Chỉ đạo",
            "chuc-vu": "Trưởng ban",
            "nguoi-ky": "%s %s %s" % (rnd.choice(HO), rnd.choice(DEM), rnd.choice(TEN)),
        }


def write(path, data, labels=False):
    head = [LABELS[f] if labels else f for f in FIELDS]
    if path.endswith(".xlsx"):
        import openpyxl
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Danh sách"
        ws.append(head)
        for r in data:
            ws.append([r[f] for f in FIELDS])
        wb.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as fp:
        w = csv.writer(fp)
        w.writerow(head)
        for r in data:
            w.writerow([r[f] for f in FIELDS])


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    labels = "--labels" in args
    hd36 = "--hd36" in args
    args = [a for a in args if not a.startswith("--")]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    write(args[1], list(rows(int(args[0]), seed, hd36)), labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
