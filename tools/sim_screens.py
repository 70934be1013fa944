#!/usr/bin/env python3
"""sim_screens.py: draws the simplified phone screens of the practice
simulations (content/<course>/img/th-*.svg).  Drawn for the project: plain
shapes and text, no artwork of the real apps.  Run from the repository root;
it rewrites the files.  Every screen is 360x640 (the viewBox the
simulation files' tap areas refer to)."""
from xml.sax.saxutils import escape

W, H = 360, 640
FONT = 'font-family="Noto Sans,Arial,sans-serif"'


def text(x, y, s, size=18, fill="#1a1a1a", weight="normal", anchor="start"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" fill="{fill}" font-weight="{weight}" '
            f'text-anchor="{anchor}">{escape(s)}</text>')


def rect(x, y, w, h, fill, rx=0, stroke=None):
    st = f' stroke="{stroke}" stroke-width="2"' if stroke else ""
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}"{st}/>'


def screen(title, parts, bar="#ffffff", ink="#1a1a1a"):
    head = [rect(0, 0, W, H, "#f4f6f8"), rect(0, 0, W, 28, "#e3e7eb"),
            text(14, 20, "9:41", 15, "#333"), text(346, 20, "4G ▮▮▮ 80%", 14, "#333", anchor="end")]
    if title:
        head += [rect(0, 28, W, 56, bar), text(20, 64, title, 21, ink, "bold")]
    body = "".join(head + parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" {FONT}>'
            f'<title>{escape(title or "Màn hình chính")}</title>{body}</svg>\n')


def icon(x, y, label, color, glyph):
    """An 80x96 app icon at (x, y): a rounded square with a glyph, its name under it."""
    return (rect(x + 8, y, 64, 64, color, 16) + text(x + 40, y + 42, glyph, 26, "#fff", "bold", "middle") +
            text(x + 40, y + 86, label, 14, "#1a1a1a", anchor="middle"))


def button(x, y, w, h, label, fill="#0b5cad", ink="#fff", size=19):
    return rect(x, y, w, h, fill, 10) + text(x + w / 2, y + h / 2 + 7, label, size, ink, "bold", "middle")


def row(y, label, value=None, h=64):
    out = rect(0, y, W, h, "#ffffff") + rect(0, y + h - 1, W, 1, "#d0d5da") + text(20, y + h / 2 + 7, label, 19)
    if value:
        out += text(340, y + h / 2 + 7, value, 16, "#5a6570", anchor="end")
    return out + text(346, y + h / 2 + 7, "", 16)


def bubble(x, y, w, lines, fill="#ffffff"):
    h = 16 + 24 * len(lines)
    out = rect(x, y, w, h, fill, 12, "#c9d1d9")
    for i, ln in enumerate(lines):
        out += text(x + 12, y + 30 + 24 * i, ln, 16)
    return out


def home(extra=""):
    return screen(None, [rect(0, 28, W, 612, "#dfeaf5"), text(180, 120, "9:41", 54, "#1a3550", "bold", "middle"),
                         text(180, 152, "Thứ Ba, 8 tháng 12", 17, "#1a3550", anchor="middle"),
                         icon(20, 220, "CH Play", "#1e8e3e", "▶"), icon(100, 220, "Zalo", "#0068ff", "Z"),
                         icon(180, 220, "Tin nhắn", "#f29900", "✉"), icon(260, 220, "Cài đặt", "#5f6368", "⚙"),
                         icon(20, 340, "Máy ảnh", "#333333", "◉"), icon(100, 340, "Điện thoại", "#188038", "✆"),
                         icon(180, 340, "Ngân hàng", "#b3261e", "₫"), icon(260, 340, "Ảnh", "#8e24aa", "▣"), extra])


def call_screen(who, number, lines, incoming):
    parts = [rect(0, 28, W, 612, "#1f2a36"), text(180, 110, who, 24, "#fff", "bold", "middle"),
             text(180, 142, number, 18, "#cfd8e3", anchor="middle")]
    for i, ln in enumerate(lines):
        parts.append(text(180, 200 + 26 * i, ln, 17, "#ffe08a", anchor="middle"))
    if incoming:
        parts += [rect(40, 500, 88, 88, "#d93025", 44), text(84, 556, "✆", 34, "#fff", "bold", "middle"),
                  text(84, 614, "Từ chối", 15, "#fff", anchor="middle"),
                  rect(232, 500, 88, 88, "#188038", 44), text(276, 556, "✆", 34, "#fff", "bold", "middle"),
                  text(276, 614, "Nghe", 15, "#fff", anchor="middle")]
    else:
        parts += [rect(28, 380, 88, 88, "#3c4a5a", 44), text(72, 434, "✕", 26, "#fff", anchor="middle"),
                  text(72, 488, "Tắt tiếng", 14, "#fff", anchor="middle"),
                  rect(136, 380, 88, 88, "#3c4a5a", 44), text(180, 434, "#", 26, "#fff", anchor="middle"),
                  text(180, 488, "Bàn phím", 14, "#fff", anchor="middle"),
                  rect(244, 380, 88, 88, "#3c4a5a", 44), text(288, 434, "◀", 26, "#fff", anchor="middle"),
                  text(288, 488, "Loa ngoài", 14, "#fff", anchor="middle"),
                  rect(136, 520, 88, 88, "#d93025", 44), text(180, 576, "✆", 34, "#fff", "bold", "middle"),
                  text(180, 630, "Kết thúc", 14, "#fff", anchor="middle")]
    return screen(None, parts)


def store_result(y, name, who, stars, downloads, color, glyph):
    return (rect(10, y, 340, 110, "#ffffff", 12, "#d0d5da") + rect(22, y + 20, 64, 64, color, 14) +
            text(54, y + 62, glyph, 22, "#fff", "bold", "middle") + text(100, y + 38, name, 18, weight="bold") +
            text(100, y + 62, who, 14, "#3c4043") + text(100, y + 88, f"{stars} · {downloads}", 14, "#3c4043"))


def qr(x, y, s):
    """A made-up QR-like pattern (not a working code)."""
    out = rect(x, y, s, s, "#fff")
    cell = s / 9
    pat = ["111101111", "101001101", "111011111", "000110100", "110101011", "001011010", "111100110", "101011001", "111010111"]
    for r, line in enumerate(pat):
        for c, ch in enumerate(line):
            if ch == "1":
                out += rect(round(x + c * cell, 1), round(y + r * cell, 1), round(cell, 1), round(cell, 1), "#111")
    return out


def pay_confirm(name, account, amount):
    return screen("Xác nhận chuyển tiền", [
        rect(10, 100, 340, 250, "#ffffff", 12, "#d0d5da"),
        text(26, 136, "Người nhận", 16, "#5a6570"), text(26, 166, name, 22, "#b3261e" if "HUNG" in name else "#1a1a1a", "bold"),
        text(26, 194, account, 16, "#3c4043"),
        text(26, 238, "Số tiền", 16, "#5a6570"), text(26, 272, amount, 26, "#1a1a1a", "bold"),
        text(26, 318, "Nội dung: Mua hàng tạp hóa", 16, "#3c4043"),
        button(20, 420, 320, 64, "Xác nhận"), button(20, 500, 320, 64, "Hủy", "#ffffff", "#0b5cad")],
        bar="#b3261e", ink="#ffffff")


def sms(lines, sender):
    return screen("Tin nhắn", [text(20, 112, sender, 18, "#1a1a1a", "bold"), text(20, 136, "Hôm nay 08:15", 14, "#5a6570"),
                               bubble(14, 156, 320, lines, "#eef1f4")])


def settings_rows(title, rows, y0=100):
    parts = []
    for i, (label, value) in enumerate(rows):
        parts.append(row(y0 + 64 * i, label, value))
    return screen(title, parts, bar="#ffffff")


S = {}
# ---- vneid: install from the official store, refuse a link or a look-alike ----
S["vneid/img/th-cai-1-zalo.svg"] = screen("Zalo · Anh Tuấn", [
    bubble(14, 110, 320, ["Chào bác, cháu ở phường đây.", "Bác bấm vào link này để cài", "VNeID bản mới nhé:",
                          "http://vneid-capnhat.top/vneid.apk"]),
    text(20, 290, "10:02", 14, "#5a6570")], bar="#0068ff", ink="#ffffff")
S["vneid/img/th-cai-2-home.svg"] = home()
S["vneid/img/th-cai-3-tim.svg"] = screen("CH Play", [rect(14, 100, 332, 56, "#ffffff", 28, "#9aa0a6"),
                                                     text(40, 136, "🔍 Tìm ứng dụng…", 18, "#5a6570"),
                                                     text(20, 210, "Gợi ý cho bạn", 18, weight="bold")], bar="#ffffff")
S["vneid/img/th-cai-4-ketqua.svg"] = screen("Kết quả: VNeID", [
    store_result(100, "VNeID Pro", "Tiện ích 24h", "3,1 ★", "5 N+ lượt tải", "#e37400", "V+"),
    store_result(226, "VNeID", "Trung tâm dữ liệu quốc gia", "4,5 ★", "10 Tr+ lượt tải", "#c5221f", "★"),
    text(110, 352, "về dân cư (Bộ Công an)", 14, "#3c4043"),
    store_result(380, "Định danh nhanh", "Ứng dụng miễn phí", "2,8 ★", "1 N+ lượt tải", "#5f6368", "ID")])
S["vneid/img/th-cai-5-trang.svg"] = screen("VNeID", [
    rect(22, 110, 84, 84, "#c5221f", 18), text(64, 164, "★", 34, "#fff", "bold", "middle"),
    text(122, 140, "VNeID", 24, weight="bold"), text(122, 166, "Trung tâm dữ liệu quốc gia", 14, "#3c4043"),
    text(122, 186, "về dân cư (Bộ Công an)", 14, "#3c4043"), text(22, 240, "4,5 ★ · 10 Tr+ lượt tải · Miễn phí", 16, "#3c4043"),
    button(20, 280, 320, 64, "Cài đặt", "#1e8e3e"), text(22, 400, "Ứng dụng định danh điện tử", 17, weight="bold"),
    text(22, 428, "của Bộ Công an.", 17)])
S["vneid/img/th-cai-6-mo.svg"] = screen("VNeID", [
    rect(22, 110, 84, 84, "#c5221f", 18), text(64, 164, "★", 34, "#fff", "bold", "middle"),
    text(122, 140, "VNeID", 24, weight="bold"), text(122, 166, "Đã cài đặt", 16, "#1e8e3e", "bold"),
    button(20, 280, 150, 64, "Gỡ cài đặt", "#ffffff", "#1e8e3e", 17), button(190, 280, 150, 64, "Mở", "#1e8e3e")])
# ---- payment by QR: check the name and the amount ----
S["thanh-toan-khong-tien-mat/img/th-qr-1-ngan-hang.svg"] = screen("Ngân hàng của tôi", [
    rect(10, 100, 340, 90, "#ffffff", 12, "#d0d5da"), text(26, 134, "Số dư", 16, "#5a6570"), text(26, 170, "2.350.000 đ", 24, weight="bold"),
    button(10, 220, 165, 90, "Chuyển tiền", "#ffffff", "#b3261e", 17), button(185, 220, 165, 90, "Quét QR", "#b3261e", "#fff", 19),
    button(10, 330, 165, 90, "Lịch sử", "#ffffff", "#b3261e", 17), button(185, 330, 165, 90, "Tiết kiệm", "#ffffff", "#b3261e", 17)],
    bar="#b3261e", ink="#ffffff")
S["thanh-toan-khong-tien-mat/img/th-qr-2-quet.svg"] = screen("Quét mã QR", [
    rect(0, 84, W, 556, "#2b2b2b"), text(180, 130, "Đưa mã QR vào giữa khung", 17, "#fff", anchor="middle"),
    rect(70, 190, 220, 220, "none", 8, "#ffffff"), qr(90, 210, 180),
    text(180, 450, "Tạp hóa Bà Lan", 18, "#fff", "bold", "middle"),
    button(20, 540, 150, 60, "Ảnh có sẵn", "#3c4043", "#fff", 16), button(190, 540, 150, 60, "Đèn", "#3c4043", "#fff", 16)],
    bar="#b3261e", ink="#ffffff")
S["thanh-toan-khong-tien-mat/img/th-qr-3-so-tien.svg"] = screen("Chuyển tiền", [
    text(20, 124, "Người nhận", 16, "#5a6570"), text(20, 154, "TRAN VAN HUNG", 21, weight="bold"),
    text(20, 214, "Số tiền (đồng)", 16, "#5a6570"), rect(14, 226, 332, 60, "#ffffff", 8, "#9aa0a6"),
    text(20, 330, "Nội dung", 16, "#5a6570"), rect(14, 342, 332, 60, "#ffffff", 8, "#9aa0a6"),
    text(30, 380, "Mua hàng tạp hóa", 18, "#3c4043"), button(20, 460, 320, 64, "Tiếp tục")], bar="#b3261e", ink="#ffffff")
S["thanh-toan-khong-tien-mat/img/th-qr-4-sai-ten.svg"] = pay_confirm("TRAN VAN HUNG", "Tài khoản 0987 654 321", "150.000 đ")
S["thanh-toan-khong-tien-mat/img/th-qr-5-dung.svg"] = pay_confirm("NGUYEN THI LAN", "Tạp hóa Bà Lan · 0912 345 678", "150.000 đ")
S["thanh-toan-khong-tien-mat/img/th-qr-6-xong.svg"] = screen("Kết quả", [
    rect(130, 110, 100, 100, "#1e8e3e", 50), text(180, 178, "✓", 52, "#fff", "bold", "middle"),
    text(180, 250, "Chuyển tiền thành công", 22, weight="bold", anchor="middle"),
    text(180, 290, "150.000 đ đến NGUYEN THI LAN", 17, anchor="middle"),
    button(20, 360, 320, 64, "Lưu biên lai"), button(20, 440, 320, 64, "Về trang chủ", "#ffffff", "#0b5cad")], bar="#b3261e", ink="#ffffff")
# ---- scams: a text message and a call ----
L = "lua-dao-truc-tuyen/img/"
S[L + "th-lua-1-tin-nhan.svg"] = sms(["[BO CONG AN] Tai khoan dinh", "danh cua ban se bi khoa.", "Truy cap vneid-xacminh.top",
                                      "de mo khoa trong 24 gio."], "+84 89 123 4567")
S[L + "th-lua-2-goi-den.svg"] = call_screen("Số lạ", "+84 89 765 4321", ["Cuộc gọi đến…"], True)
S[L + "th-lua-3-chuyen-tien.svg"] = call_screen("Số lạ", "00:42", ["“Tôi là công an phường.", "Bác liên quan vụ rửa tiền,",
                                                                    "phải chuyển tiền vào tài khoản", "tạm giữ ngay.”"], False)
S[L + "th-lua-4-otp.svg"] = call_screen("Số lạ", "01:37", ["“Bác đọc cho tôi mã OTP", "vừa gửi đến máy bác", "để xác minh.”"], False)
S[L + "th-lua-5-cup-may.svg"] = call_screen("Số lạ", "02:05", ["“Nhanh lên, không thì", "bác bị bắt đấy!”"], False)
S[L + "th-lua-6-bao.svg"] = screen("Điện thoại", [text(180, 130, "Cuộc gọi đã kết thúc", 20, weight="bold", anchor="middle"),
                                                  text(180, 170, "+84 89 765 4321 · 02:11", 16, "#5a6570", anchor="middle"),
                                                  button(20, 230, 320, 64, "Chặn số này", "#ffffff", "#b3261e"),
                                                  button(20, 310, 320, 64, "Gọi 113", "#188038"),
                                                  button(20, 390, 320, 64, "Nhắn cho con", "#ffffff", "#0b5cad")])
# ---- a strong screen lock ----
D = "dien-thoai-thong-minh/img/"
S[D + "th-khoa-1-home.svg"] = home()
S[D + "th-khoa-2-cai-dat.svg"] = settings_rows("Cài đặt", [("Wi-Fi", "Bật"), ("Âm thanh", ""), ("Màn hình", ""),
                                                            ("Bảo mật", ""), ("Pin", "80%"), ("Ứng dụng", "")])
S[D + "th-khoa-3-bao-mat.svg"] = settings_rows("Bảo mật", [("Khóa màn hình", "Không có"), ("Vân tay", "Tắt"),
                                                            ("Tìm điện thoại", "Bật"), ("Cập nhật bảo mật", "")])
S[D + "th-khoa-4-kieu.svg"] = settings_rows("Chọn kiểu khóa", [("Không có", "Không an toàn"), ("Vuốt", "Không an toàn"),
                                                                 ("Hình vẽ", "Trung bình"), ("Mã PIN", "Tốt"), ("Mật khẩu", "Tốt nhất")])
S[D + "th-khoa-5-chon-pin.svg"] = screen("Mã PIN", [text(180, 140, "Chọn mã PIN 6 chữ số", 20, weight="bold", anchor="middle"),
                                                  text(180, 176, "Không dùng ngày sinh,", 16, "#5a6570", anchor="middle"),
                                                  text(180, 200, "số điện thoại hay 123456", 16, "#5a6570", anchor="middle"),
                                                  rect(60, 240, 240, 60, "#ffffff", 8, "#9aa0a6")])
S[D + "th-khoa-6-nhap-lai.svg"] = screen("Mã PIN", [text(180, 140, "Nhập lại mã PIN", 20, weight="bold", anchor="middle"),
                                                  text(180, 176, "để chắc chắn bạn nhớ đúng", 16, "#5a6570", anchor="middle"),
                                                  rect(60, 240, 240, 60, "#ffffff", 8, "#9aa0a6"),
                                                  text(180, 280, "• • • • • •", 22, "#9aa0a6", anchor="middle")])

if __name__ == "__main__":
    for path, svg in S.items():
        with open("content/" + path, "w", encoding="utf-8") as f:
            f.write(svg)
        assert len(svg.encode()) < 15 * 1024, path
        print(path, len(svg.encode()))
