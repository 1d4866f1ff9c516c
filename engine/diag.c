/* diag.c - diagnostic codes, their rule IDs and bilingual messages, and the
 * list of diagnostics kept in the context. */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "ctx.h"

struct code_info {
  vb_code code;
  const char *id;
  vb_severity sev;
  const char *vi, *en; /* the same %s conversions, in the same order */
};

/* One row per code. tests/unit/test_diag.c checks that both columns use
 * the same conversions. */
static const struct code_info codes[] = {
    {VB_C_NONE, "-", VB_SEV_ERROR, "%s", "%s"},
    {VB_C_XML_MALFORMED, "X001", VB_SEV_ERROR,
     "tệp XML sai cú pháp: %s", "malformed XML: %s"},
    {VB_C_XML_DTD, "X002", VB_SEV_ERROR,
     "không chấp nhận khai báo DTD, thực thể hay tham chiếu ra ngoài "
     "tệp (%s)",
     "DTDs, entities and external references are not accepted (%s)"},
    {VB_C_XML_ROOT, "X003", VB_SEV_ERROR,
     "phần tử gốc phải là <van-ban>, không phải <%s>",
     "the root element must be <van-ban>, not <%s>"},
    {VB_C_UNKNOWN_ELEM, "X004", VB_SEV_WARNING,
     "phần tử <%s> không thuộc mẫu văn bản, bị bỏ qua",
     "element <%s> is not part of the form and is ignored"},
    {VB_C_IO, "X005", VB_SEV_ERROR, "không đọc được tệp: %s",
     "cannot read the file: %s"},
    {VB_C_UTF8, "X006", VB_SEV_ERROR,
     "văn bản không phải mã UTF-8 hợp lệ (%s)",
     "the text is not valid UTF-8 (%s)"},
    {VB_C_CONTROL_CHAR, "X007", VB_SEV_ERROR,
     "ký tự điều khiển %s trong trường <%s>",
     "control character %s in field <%s>"},
    {VB_C_LEGACY_ENC, "X008", VB_SEV_ERROR,
     "trường <%s> có chữ gõ bằng bảng mã cũ TCVN3/VNI (\"%s\"); hãy chuyển "
     "văn bản sang Unicode",
     "field <%s> holds text typed in a legacy TCVN3/VNI encoding (\"%s\"); "
     "convert it to Unicode"},
    {VB_C_LIMIT, "X009", VB_SEV_ERROR, "vượt giới hạn: %s (tối đa %s)",
     "limit exceeded: %s (at most %s)"},
    {VB_C_MARKDOWN, "X010", VB_SEV_ERROR,
     "không đọc được phần nội dung Markdown trong <%s>",
     "cannot parse the Markdown body in <%s>"},
    {VB_C_REQUIRED, "V001", VB_SEV_ERROR,
     "thiếu trường bắt buộc <%s> (%s)",
     "required field <%s> (%s) is missing"},
    {VB_C_EMPTY, "V002", VB_SEV_ERROR, "trường <%s> (%s) để trống",
     "field <%s> (%s) is empty"},
    {VB_C_DUPLICATE, "V003", VB_SEV_ERROR,
     "trường <%s> chỉ được ghi một lần (đã có ở dòng %s)",
     "field <%s> may appear only once (already on line %s)"},
    {VB_C_BAD_VALUE, "V004", VB_SEV_ERROR,
     "giá trị \"%s\" không hợp lệ cho %s",
     "value \"%s\" is not valid for %s"},
    {VB_C_PROFILE, "V005", VB_SEV_ERROR,
     "thể thức \"%s\" không có; dùng %s",
     "unknown profile \"%s\"; use %s"},
    {VB_C_DOC_TYPE, "V006", VB_SEV_ERROR,
     "loại văn bản \"%s\" không có; dùng %s",
     "unknown document type \"%s\"; use %s"},
    {VB_C_DATE, "V010", VB_SEV_ERROR,
     "ngày \"%s\" không có trong lịch (%s)",
     "\"%s\" is not a real calendar date (%s)"},
    {VB_C_DATE_FORMAT, "V011", VB_SEV_ERROR,
     "ngày \"%s\" phải viết dạng %s",
     "date \"%s\" must be written as %s"},
    {VB_C_NUMBER, "V020", VB_SEV_ERROR,
     "số văn bản \"%s\" phải là số nguyên dương (%s)",
     "document number \"%s\" must be a positive integer (%s)"},
    {VB_C_SYMBOL, "V021", VB_SEV_ERROR,
     "ký hiệu cơ quan \"%s\" không hợp lệ: %s",
     "issuer symbol \"%s\" is malformed: %s"},
    {VB_C_SYMBOL_TYPE, "V022", VB_SEV_ERROR,
     "ký hiệu cơ quan \"%s\" không được chứa mã loại văn bản; vanban tự "
     "thêm \"%s\"",
     "issuer symbol \"%s\" must not contain the type code; vanban adds "
     "\"%s\" itself"},
    {VB_C_AUTHORITY, "V030", VB_SEV_ERROR,
     "quyền hạn ký \"%s\" không đúng thể thức; dùng %s",
     "signing authority \"%s\" does not fit the profile; use %s"},
    {VB_C_NOI_NHAN, "V040", VB_SEV_ERROR,
     "Nơi nhận phải có ít nhất một nơi nhận <%s>",
     "the recipients list needs at least one <%s>"},
    {VB_C_CASE, "V050", VB_SEV_WARNING,
     "trích yếu văn bản của Đảng bắt đầu bằng chữ thường (Hướng dẫn "
     "36-HD/VPTW): \"%s\"",
     "a Party document's summary starts with a small letter (Hướng dẫn "
     "36-HD/VPTW): \"%s\""},
    {VB_C_GLYPH, "V060", VB_SEV_ERROR,
     "ký tự %s trong <%s> không có trong phông chữ và sẽ in thành ô trống",
     "character %s in <%s> is missing from the font and would print as a "
     "blank box"},
    {VB_C_LONG_LINE, "V061", VB_SEV_WARNING,
     "\"%s\" dài hơn cột tiêu đề và sẽ xuống dòng (%s)",
     "\"%s\" is wider than its header column and will wrap (%s)"},
    {VB_C_TEMPLATE, "M001", VB_SEV_ERROR,
     "mẫu văn bản \"%s\" không có; dùng %s",
     "unknown document kind \"%s\"; use %s"},
    {VB_C_TPL_ELEMENT, "M002", VB_SEV_ERROR,
     "phần tử <%s> không thuộc ngôn ngữ mẫu văn bản",
     "element <%s> is not part of the template language"},
    {VB_C_TPL_FIELD, "M003", VB_SEV_ERROR,
     "trường \"%s\" không được khai báo trong <%s> của mẫu",
     "field \"%s\" is not declared in <%s> of the template"},
    {VB_C_TPL_CHECK, "M004", VB_SEV_ERROR,
     "kiểm tra \"%s\" không có; dùng %s",
     "unknown check \"%s\"; use %s"},
    {VB_C_TPL_PLACE, "M005", VB_SEV_ERROR,
     "<%s> không được đặt ở chỗ này của bố cục",
     "<%s> is not allowed at this place of the layout"},
    {VB_C_UNKNOWN_ATTR, "V070", VB_SEV_WARNING,
     "thuộc tính %s không thuộc mẫu văn bản, bị bỏ qua",
     "attribute %s is not part of the form and is ignored"},
    {VB_C_MISSPELT, "V071", VB_SEV_ERROR,
     "phần tử <%s> không thuộc mẫu văn bản; có phải là %s?",
     "element <%s> is not part of the form; did you mean %s?"},
    {VB_C_TOO_LONG, "V101", VB_SEV_WARNING,
     "%s dài %s; hướng dẫn yêu cầu ngắn gọn, dễ nhớ",
     "%s is %s long; the guidance asks for it short and memorable"},
    {VB_C_DATE_ORDER, "V102", VB_SEV_ERROR,
     "%s phải trước %s",
     "%s must come before %s"},
    {VB_C_KINH_GUI, "V103", VB_SEV_WARNING,
     "Kính gửi \"%s\" không khớp cấp của đơn vị đăng ký (%s)",
     "Kính gửi \"%s\" does not fit the registering unit's level (%s)"},
    {VB_C_OUT_OF_PERIOD, "V104", VB_SEV_ERROR,
     "%s nằm ngoài thời gian của kế hoạch (%s)",
     "%s is outside the plan's period (%s)"},
    {VB_C_LATE, "V105", VB_SEV_WARNING,
     "ngày đăng ký %s sau hạn đăng ký %s",
     "registered on %s, after the deadline %s"},
    {VB_C_REQUIRED_WHEN, "V107", VB_SEV_ERROR,
     "thiếu trường <%s>, bắt buộc khi %s",
     "field <%s> is missing; it is required when %s"},
    {VB_C_PKG_NOT_ZIP, "W001", VB_SEV_ERROR,
     "tệp không phải tài liệu Word .docx (%s)",
     "the file is not a Word .docx document (%s)"},
    {VB_C_PKG_ENTRIES, "W002", VB_SEV_ERROR,
     "gói tài liệu có %s mục, vượt giới hạn %s mục",
     "the package has %s entries, more than the limit of %s"},
    {VB_C_PKG_SIZE, "W003", VB_SEV_ERROR,
     "mục \"%s\" giải nén ra hơn %s (có thể là bom nén)",
     "entry \"%s\" unpacks to more than %s (a zip bomb?)"},
    {VB_C_PKG_NAME, "W004", VB_SEV_ERROR,
     "gói tài liệu có mục mang tên không an toàn \"%s\"",
     "the package has an entry with an unsafe name \"%s\""},
    {VB_C_PKG_CORRUPT, "W005", VB_SEV_ERROR,
     "không giải nén được mục \"%s\" của gói tài liệu (%s)",
     "cannot unpack entry \"%s\" of the package (%s)"},
    {VB_C_PKG_MISSING, "W006", VB_SEV_ERROR,
     "gói tài liệu thiếu phần %s",
     "the package has no part %s"},
    {VB_C_PKG_XML, "W007", VB_SEV_ERROR,
     "phần XML sai cú pháp: %s", "malformed XML part: %s"},
    {VB_C_PKG_DTD, "W008", VB_SEV_ERROR,
     "phần %s có khai báo DTD hay thực thể, không được chấp nhận",
     "part %s holds a DTD or entity declaration, which is not accepted"},
    {VB_C_FORM_NONE, "W009", VB_SEV_ERROR,
     "tài liệu không phải biểu mẫu của vanban: không có ô nhập nào được gắn "
     "thẻ",
     "the document is not a vanban form: it has no tagged content control"},
    {VB_C_FORM_TAG, "W010", VB_SEV_WARNING,
     "ô nhập có thẻ \"%s\" không phải tên trường, bị bỏ qua",
     "content control tagged \"%s\" is not a field path and is ignored"},
    {VB_C_FORM_DUP, "W011", VB_SEV_WARNING,
     "trường \"%s\" được điền nhiều lần; giữ giá trị đầu tiên",
     "field \"%s\" is filled more than once; the first value is kept"},
    {VB_C_FORM_KIND, "W012", VB_SEV_WARNING,
     "tài liệu không ghi tên mẫu (thuộc tính %s); <van-ban> sẽ không có "
     "mau=",
     "the document does not record its form (property %s); <van-ban> gets "
     "no mau="},
    {VB_C_FORM_FLAT, "W013", VB_SEV_WARNING,
     "trình soạn thảo đã thu ô nhiều đoạn <%s> lại trong một đoạn; chỉ đọc "
     "được đoạn đầu, hãy kiểm tra lại",
     "the editor shrank the multi-paragraph control <%s> into one "
     "paragraph; only its first paragraph is read, check it"},
    {VB_C_FORM_LOST, "W014", VB_SEV_ERROR,
     "các ô nhập đã mất thẻ và còn %s trên %s ô; không xác định được ô nào là "
     "trường nào",
     "the content controls lost their tags and %s of %s remain; which "
     "control is which field cannot be told"},
    /* lists (CSV, XLSX): engine/table.c */
    {VB_C_TAB_XLS, "B001", VB_SEV_ERROR,
     "tệp Excel 97-2003 (.xls) hoặc tệp có mật khẩu: hãy mở bằng Excel và "
     "lưu lại dạng .xlsx hoặc CSV UTF-8, không đặt mật khẩu",
     "an Excel 97-2003 (.xls) or password-protected file: open it in Excel "
     "and save it as .xlsx or CSV UTF-8, without a password"},
    {VB_C_TAB_ODS, "B002", VB_SEV_ERROR,
     "tệp bảng tính OpenDocument (.ods): hãy lưu lại dạng .xlsx hoặc CSV "
     "UTF-8",
     "an OpenDocument spreadsheet (.ods): save it as .xlsx or CSV UTF-8"},
    {VB_C_TAB_UTF16, "B003", VB_SEV_ERROR,
     "tệp văn bản mã UTF-16: hãy lưu lại dạng CSV UTF-8",
     "a UTF-16 text file: save it as CSV UTF-8"},
    {VB_C_TAB_UTF8, "B004", VB_SEV_ERROR,
     "ô không phải mã UTF-8 hợp lệ; hãy lưu tệp dạng CSV UTF-8 (trong "
     "Excel: CSV UTF-8), không dùng bảng mã cũ",
     "the cell is not valid UTF-8; save the file as CSV UTF-8 (in Excel: "
     "CSV UTF-8), not in a legacy code page"},
    {VB_C_TAB_CONTROL, "B005", VB_SEV_ERROR,
     "ô có ký tự điều khiển %s", "the cell holds the control character %s"},
    {VB_C_TAB_QUOTE, "B006", VB_SEV_ERROR,
     "dấu ngoặc kép sai chỗ: ô có dấu \" phải nằm trọn trong ngoặc kép, "
     "mỗi dấu \" bên trong viết thành \"\"",
     "misplaced double quote: a cell holding \" must be quoted as a whole, "
     "each \" inside written as \"\""},
    {VB_C_TAB_UNCLOSED, "B007", VB_SEV_ERROR,
     "dấu ngoặc kép mở ở ô này không được đóng cho đến hết tệp",
     "the double quote opened in this cell is never closed"},
    {VB_C_TAB_FILE_SIZE, "B008", VB_SEV_ERROR,
     "tệp lớn hơn giới hạn %s", "the file is larger than the limit of %s"},
    {VB_C_TAB_ROWS, "B009", VB_SEV_ERROR,
     "danh sách có quá %s dòng dữ liệu; hãy chia thành nhiều tệp",
     "the list has more than %s data rows; split it into several files"},
    {VB_C_TAB_COLS, "B010", VB_SEV_ERROR,
     "danh sách có quá %s cột", "the list has more than %s columns"},
    {VB_C_TAB_CELL_LEN, "B011", VB_SEV_ERROR,
     "ô dài quá %s byte", "the cell is longer than %s bytes"},
    {VB_C_TAB_LINE_LEN, "B012", VB_SEV_ERROR,
     "dòng dài quá %s byte: tệp hỏng hoặc không phải CSV",
     "the line is longer than %s bytes: a damaged file, or not CSV"},
    {VB_C_TAB_CELLS, "B013", VB_SEV_ERROR,
     "danh sách có quá %s ô (số dòng nhân số cột)",
     "the list has more than %s cells (rows times columns)"},
    {VB_C_TAB_ZIP, "B014", VB_SEV_ERROR,
     "tệp XLSX hỏng: không đọc được như tệp nén ZIP",
     "the XLSX file is damaged: it cannot be read as a ZIP archive"},
    {VB_C_TAB_ZIP_ENTRIES, "B015", VB_SEV_ERROR,
     "tệp XLSX có quá %s thành phần", "the XLSX file has more than %s parts"},
    {VB_C_TAB_ZIP_SIZE, "B016", VB_SEV_ERROR,
     "thành phần \"%s\" của tệp XLSX giải nén ra quá %s (tệp hỏng hoặc "
     "bom nén)",
     "part \"%s\" of the XLSX file unpacks to more than %s (a damaged file "
     "or a zip bomb)"},
    {VB_C_TAB_PART, "B017", VB_SEV_ERROR,
     "tệp XLSX thiếu thành phần \"%s\"",
     "the XLSX file lacks the part \"%s\""},
    {VB_C_TAB_XML, "B018", VB_SEV_ERROR,
     "thành phần \"%s\" của tệp XLSX sai cú pháp XML (dòng %s)",
     "part \"%s\" of the XLSX file is malformed XML (line %s)"},
    {VB_C_TAB_XML_DTD, "B019", VB_SEV_ERROR,
     "thành phần \"%s\" của tệp XLSX có khai báo DTD hay thực thể, không "
     "được chấp nhận",
     "part \"%s\" of the XLSX file declares a DTD or entities, which is "
     "not accepted"},
    {VB_C_TAB_SHEET, "B020", VB_SEV_ERROR,
     "không có trang tính \"%s\"; các trang tính: %s",
     "there is no sheet \"%s\"; the sheets are: %s"},
    {VB_C_TAB_NOT_SHEET, "B021", VB_SEV_ERROR,
     "trang \"%s\" không phải trang tính dữ liệu (có thể là biểu đồ)",
     "sheet \"%s\" is not a worksheet (perhaps a chart)"},
    {VB_C_TAB_EMPTY, "B022", VB_SEV_ERROR,
     "danh sách trống: không có dòng tiêu đề",
     "the list is empty: there is no header row"},
    {VB_C_TAB_NO_HEADER, "B023", VB_SEV_ERROR,
     "ô có dữ liệu nhưng cột của nó không có tiêu đề ở dòng tiêu đề",
     "the cell holds data but its column has no header in the header row"},
    {VB_C_TAB_HEADER_DUP, "B024", VB_SEV_ERROR,
     "cột này và cột %s cùng là trường %s",
     "this column and column %s are both field %s"},
    {VB_C_TAB_HEADER_UNKNOWN, "B025", VB_SEV_WARNING,
     "tiêu đề \"%s\" không phải trường nào của mẫu",
     "header \"%s\" is not a field of the form"},
    {VB_C_TAB_NO_FIELDS, "B026", VB_SEV_ERROR,
     "không tiêu đề nào là trường của mẫu; dòng tiêu đề phải là dòng đầu "
     "tiên có dữ liệu, với các tiêu đề như: %s",
     "no header is a field of the form; the header row must be the first "
     "row holding data, with headers such as: %s"},
    {VB_C_TAB_DATE, "B027", VB_SEV_ERROR,
     "ô kiểu ngày chứa %s, không ứng với ngày nào có thật",
     "the date cell holds %s, which is no real date"},
    {VB_C_TAB_FORMULA, "B028", VB_SEV_ERROR,
     "ô có lỗi công thức %s", "the cell holds the formula error %s"},
    {VB_C_TAB_SST_INDEX, "B029", VB_SEV_ERROR,
     "ô trỏ tới chuỗi dùng chung số %s, không có trong tệp XLSX",
     "the cell refers to shared string %s, which the XLSX file lacks"},
    {VB_C_TAB_CELL_REF, "B030", VB_SEV_ERROR,
     "tham chiếu ô \"%s\" của tệp XLSX không hợp lệ",
     "invalid cell reference \"%s\" in the XLSX file"},
    {VB_C_TAB_NUMBER, "B031", VB_SEV_ERROR,
     "ô kiểu số chứa \"%s\", không phải số",
     "the number cell holds \"%s\", which is not a number"},
    {VB_C_TAB_STRINGS, "B032", VB_SEV_ERROR,
     "tệp XLSX có quá %s chuỗi dùng chung",
     "the XLSX file has more than %s shared strings"},
    {VB_C_TAB_LEGACY, "B033", VB_SEV_ERROR,
     "ô có chữ gõ bằng bảng mã cũ TCVN3/VNI (\"%s\"); hãy chuyển văn bản "
     "sang Unicode",
     "the cell holds text typed in a legacy TCVN3/VNI encoding (\"%s\"); "
     "convert it to Unicode"},
    {VB_C_NAME_SPLIT, "V062", VB_SEV_WARNING,
     "tên \"%s\" dài hơn cột tiêu đề, được ngắt thành \"%s\"; nên ghi mỗi "
     "dòng thành một phần tử riêng",
     "the name \"%s\" is wider than its header column and is broken as "
     "\"%s\"; better write each line as an element of its own"},
    /* the register (register.c) */
    {VB_C_REG_FOREIGN, "R001", VB_SEV_ERROR,
     "tệp không phải sổ đăng ký văn bản của vanban (%s)",
     "the file is not a vanban register (%s)"},
    {VB_C_REG_NEWER, "R002", VB_SEV_ERROR,
     "sổ do phiên bản vanban mới hơn tạo ra (lược đồ %s, bản này đọc được "
     "đến %s); hãy cập nhật vanban",
     "the register was written by a newer vanban (schema %s, this one reads "
     "up to %s); update vanban"},
    {VB_C_REG_DAMAGED, "R003", VB_SEV_ERROR,
     "sổ bị hỏng (%s); không sửa gì trong tệp, hãy lấy lại từ bản sao lưu",
     "the register is damaged (%s); nothing was changed, restore it from a "
     "backup"},
    {VB_C_REG_LOCKED, "R004", VB_SEV_ERROR,
     "sổ đang bị tiến trình khác khóa quá %s giây; thử lại sau",
     "the register has been locked by another process for over %s seconds; "
     "try again later"},
    {VB_C_REG_CHANGED, "R005", VB_SEV_ERROR,
     "văn bản này đã được cấp số %s ngày %s và nội dung nay đã khác; nếu đây "
     "là bản đính chính, dùng --dinh-chinh",
     "this document was issued as number %s on %s and its content has "
     "changed since; for a corrected version use --dinh-chinh"},
    {VB_C_REG_SYMBOL, "R006", VB_SEV_ERROR,
     "ký hiệu \"%s\" không có trong sổ (sổ có: %s); Hội đồng, Ban, Tổ dùng "
     "dấu của cơ quan thì thêm bằng vanban register add-body",
     "symbol \"%s\" is not in the register (it has: %s); add a Hội đồng, "
     "Ban or Tổ that uses the agency's seal with vanban register add-body"},
    {VB_C_REG_PROFILE, "R007", VB_SEV_ERROR,
     "văn bản thể thức \"%s\" không vào được sổ thể thức \"%s\"",
     "a document of profile \"%s\" does not go into a register of profile "
     "\"%s\""},
    {VB_C_REG_TERM, "R008", VB_SEV_ERROR,
     "ngày %s không thuộc nhiệm kỳ nào của sổ (%s); thêm nhiệm kỳ bằng "
     "vanban register nhiem-ky",
     "the date %s is in no term of the register (%s); add the term with "
     "vanban register nhiem-ky"},
    {VB_C_REG_ORDER, "R009", VB_SEV_ERROR,
     "ngày %s sớm hơn ngày của văn bản %s đã cấp số trong cùng hệ thống số "
     "(NĐ 30 Điều 15.1: số cấp theo trình tự thời gian)",
     "the date %s is earlier than that of %s, already numbered in the same "
     "series (NĐ 30 Điều 15.1: numbers follow the order of dates)"},
    {VB_C_REG_NO_NUMBER, "R010", VB_SEV_ERROR,
     "văn bản loại \"%s\" không được cấp số",
     "documents of kind \"%s\" take no number"},
    {VB_C_REG_EXISTS, "R011", VB_SEV_ERROR,
     "tệp đã có (%s); không tạo sổ mới đè lên",
     "the file already exists (%s); a new register is never made over it"},
    {VB_C_REG_OPEN, "R012", VB_SEV_ERROR, "không mở được sổ: %s",
     "cannot open the register: %s"},
    {VB_C_REG_CORRECTION, "R013", VB_SEV_ERROR,
     "bản đính chính phải giữ ngày và hệ thống số của văn bản số %s ngày %s",
     "a corrected version must keep the date and series of number %s of %s"},
    {VB_C_REG_OVERLAP, "R014", VB_SEV_ERROR,
     "nhiệm kỳ %s trùng với nhiệm kỳ %s đã có trong sổ",
     "the term %s overlaps the term %s already in the register"},
    {VB_C_REG_DB, "R015", VB_SEV_ERROR,
     "lỗi khi đọc hoặc ghi sổ (%s, mã lỗi SQLite %s)",
     "cannot read or write the register (%s, SQLite error code %s)"},
    {VB_C_REG_ARG, "R016", VB_SEV_ERROR, "giá trị \"%s\" không hợp lệ: %s",
     "value \"%s\" is not valid: %s"},
    {VB_C_BIDI, "X011", VB_SEV_ERROR,
     "ký tự điều khiển hướng chữ %s trong trường <%s>: nó làm bản PDF và "
     "bản Word hiện ra khác nhau; hãy xoá ký tự này",
     "bidirectional control character %s in field <%s>: it makes the PDF "
     "and the Word file show different text; delete it"},
    {VB_C_INVISIBLE, "X012", VB_SEV_ERROR,
     "ký tự định dạng vô hình %s trong trường <%s>: văn bản hành chính "
     "không dùng ký tự này; hãy xoá nó",
     "invisible format character %s in field <%s>: an official document "
     "has no use for it; delete it"},
    {VB_C_NUL, "X013", VB_SEV_ERROR,
     "tệp có byte NUL (U+0000), ký tự mà XML không cho phép; phần sau nó "
     "sẽ không được đọc",
     "the file holds a NUL byte (U+0000), which XML does not allow; what "
     "follows it would not be read"},
    {VB_C_CAN_CU_PUNCT, "V108", VB_SEV_WARNING,
     "căn cứ nên kết thúc bằng %s: \"%s\"",
     "a căn cứ line should end with %s: \"%s\""},
    {VB_C_TITLE_NAME, "V109", VB_SEV_ERROR,
     "không ghi học hàm, học vị trước họ tên người ký (NĐ 30 Phụ lục I, "
     "II.7.c): \"%s\"",
     "no academic title before the signer's name (NĐ 30 Phụ lục I, "
     "II.7.c): \"%s\""},
    {VB_C_STATE_CASE, "V160", VB_SEV_WARNING,
     "trích yếu văn bản hành chính bắt đầu bằng chữ in hoa: \"%s\"",
     "a state document's summary starts with a capital letter: \"%s\""},
    {VB_C_KT_SELF, "V161", VB_SEV_ERROR,
     "\"%s\" là ký thay: người ký là cấp phó, chức vụ không thể là \"%s\"",
     "\"%s\" signs on behalf: the signer is a deputy, the position cannot be "
     "\"%s\""},
    {VB_C_NOT_XML_DOCX, "X030", VB_SEV_ERROR,
     "đây là tệp Word (.docx), không phải văn bản XML; vanban đọc tệp XML "
     "có phần tử gốc <van-ban> (docs/input-format.md); nếu đây là mẫu Word "
     "của vanban đã điền, hãy dùng: vanban extract %s",
     "this is a Word file (.docx), not an XML document; vanban reads XML "
     "files whose root element is <van-ban> (docs/input-format.md); if it "
     "is a filled vanban Word form, use: vanban extract %s"},
    {VB_C_NOT_XML_PDF, "X031", VB_SEV_ERROR,
     "đây là tệp PDF, không phải văn bản XML; vanban đọc tệp XML có phần tử "
     "gốc <van-ban> và từ đó ghi ra PDF (vanban render)",
     "this is a PDF file, not an XML document; vanban reads XML files whose "
     "root element is <van-ban> and writes the PDF from them (vanban render)"},
    {VB_C_NOT_XML_ZIP, "X032", VB_SEV_ERROR,
     "đây là tệp nén ZIP, không phải văn bản XML; hãy giải nén và đưa cho "
     "vanban tệp .xml có phần tử gốc <van-ban>",
     "this is a ZIP archive, not an XML document; unpack it and give vanban "
     "the .xml file whose root element is <van-ban>"},
    {VB_C_NOT_XML_XLSX, "X033", VB_SEV_ERROR,
     "đây là bảng tính Excel (.xlsx), không phải văn bản XML; vanban đọc tệp "
     "XML có phần tử gốc <van-ban> (docs/input-format.md)",
     "this is an Excel workbook (.xlsx), not an XML document; vanban reads "
     "XML files whose root element is <van-ban> (docs/input-format.md)"},
    {VB_C_NOT_XML_TEXT, "X034", VB_SEV_ERROR,
     "đây là văn bản thường, không phải XML; vanban đọc tệp XML có phần tử "
     "gốc <van-ban>: xem docs/input-format.md, hay lấy mẫu trống bằng "
     "vanban form",
     "this is plain text, not XML; vanban reads XML files whose root element "
     "is <van-ban>: see docs/input-format.md, or get a blank form with "
     "vanban form"},
    {VB_C_XML_MISMATCH, "X035", VB_SEV_ERROR,
     "thẻ đóng </%s> không khớp với thẻ đang mở %s; nếu dấu \"<\" thuộc về "
     "chữ, hãy viết &lt;",
     "the end tag </%s> does not match the open tag %s; if the \"<\" "
     "belongs to the text, write &lt;"},
    {VB_C_XML_UNCLOSED, "X036", VB_SEV_ERROR,
     "tệp hết khi thẻ %s chưa được đóng",
     "the file ends while the tag %s is still open"},
    {VB_C_XML_NAME, "X037", VB_SEV_ERROR,
     "sau dấu \"<\" phải là tên thẻ; dấu \"<\" trong chữ phải viết là &lt;",
     "a tag name must follow \"<\"; a \"<\" in text must be written &lt;"},
    {VB_C_XML_ATTR, "X038", VB_SEV_ERROR,
     "thẻ hay thuộc tính viết sai: thẻ đóng bằng \">\", thuộc tính có dạng "
     "ten=\"giá trị\", mỗi thuộc tính một lần, không có \"<\" trong giá trị",
     "malformed tag or attribute: a tag ends with \">\", an attribute is "
     "name=\"value\", each attribute once, no \"<\" in a value"},
    {VB_C_XML_AMP, "X039", VB_SEV_ERROR,
     "dấu \"&\" trong chữ phải viết là &amp;",
     "a \"&\" in text must be written &amp;"},
    {VB_C_XML_EXTRA, "X040", VB_SEV_ERROR,
     "còn nội dung sau thẻ đóng </%s> của phần tử gốc; một tệp chỉ có một "
     "văn bản <van-ban>",
     "content follows the end tag </%s> of the root element; a file holds "
     "one <van-ban> document"},
    {VB_C_XML_EMPTY, "X041", VB_SEV_ERROR,
     "tệp trống, không có văn bản nào",
     "the file is empty: no document in it"},
    {VB_C_NOT_XML_OLE, "X042", VB_SEV_ERROR,
     "đây là tệp Word hay Excel 97-2003 (.doc, .xls), không phải văn bản XML; "
     "vanban đọc tệp XML có phần tử gốc <van-ban> (docs/input-format.md)",
     "this is a Word or Excel 97-2003 file (.doc, .xls), not an XML "
     "document; vanban reads XML files whose root element is <van-ban> "
     "(docs/input-format.md)"},
    {VB_C_DATA_MISSING, "X043", VB_SEV_ERROR,
     "thiếu tệp dữ liệu %s; đã tìm trong thư mục dữ liệu %s; đặt "
     "VANBAN_DATADIR để chỉ thư mục dữ liệu khác",
     "data file %s is missing; searched the data folder %s; set "
     "VANBAN_DATADIR to point at another data folder"},
    {VB_C_MARGIN_RANGE, "V150", VB_SEV_WARNING,
     "%s nằm ngoài khoảng cho phép; dùng %s",
     "the %s is outside the allowed range; used %s"},
    {VB_C_FIT, "V130", VB_SEV_ERROR,
     "\"%s\" quá dài: thu nhỏ đến cỡ chữ %s vẫn vượt số dòng dành cho nó "
     "(sẽ tràn khung); hãy viết ngắn lại",
     "\"%s\" is too long: even at size %s it takes more lines than it is "
     "given (it would cross the border); shorten it"},
    {VB_C_ONE_PAGE, "V131", VB_SEV_ERROR,
     "bản ghi \"%s\" không vừa một trang (%s trang); hãy viết ngắn lại",
     "record \"%s\" does not fit on one page (%s pages); shorten it"},
    {VB_C_BATCH_EXISTS, "B050", VB_SEV_ERROR,
     "tệp \"%s\" đã có; dùng --force để ghi đè",
     "file \"%s\" already exists; use --force to overwrite it"},
    {VB_C_BATCH_DECISION, "B051", VB_SEV_ERROR,
     "quyết định không có danh sách <%s> nào để in giấy chứng nhận",
     "the decision holds no <%s> list to print certificates from"},
    {VB_C_BATCH_OPEN, "B052", VB_SEV_ERROR, "không ghi được tệp \"%s\": %s",
     "cannot write the file \"%s\": %s"},
    {VB_C_LIST_TWICE, "V110", VB_SEV_ERROR,
     "danh sách <%s> vừa viết trong văn bản vừa lấy từ tệp \"%s\": chỉ dùng "
     "một cách",
     "the list <%s> is both written in the document and read from the file "
     "\"%s\": use one or the other"},
    {VB_C_LIST_PATH, "V111", VB_SEV_ERROR,
     "tệp danh sách \"%s\" phải nằm trong thư mục của văn bản (%s)",
     "the list file \"%s\" must be in the document's folder (%s)"},
    {VB_C_NO_FORM, "V112", VB_SEV_ERROR,
     "mẫu %s chưa có bản để điền trong Word: bố cục của nó có phần viết "
     "bằng C (<phan>) mà không có <bo-cuc-mau>",
     "the kind %s has no Word form: its layout has parts written in C "
     "(<phan>) and no <bo-cuc-mau>"},
};

#define NCODES (sizeof(codes) / sizeof(codes[0]))

static const struct code_info *info(vb_code c) {
  size_t i;
  for (i = 0; i < NCODES; i++)
    if (codes[i].code == c)
      return &codes[i];
  return &codes[0];
}

const char *vb_code_id(vb_code code) { return info(code)->id; }

const char *vb_tr(const vb_ctx *ctx, const char *vi, const char *en) {
  return ctx && ctx->opt.lang == VB_LANG_EN ? en : vi;
}

vb_severity vb_code_severity(vb_code code) { return info(code)->sev; }

const char *vb_code_format(vb_code code, vb_lang lang) {
  return lang == VB_LANG_EN ? info(code)->en : info(code)->vi;
}

/* A message argument quotes the input (a value, a word); a hostile input
 * can make it megabytes long, and vb_diag_format() would then fail and the
 * diagnostic would never be shown. Longer arguments are cut at a character
 * boundary and end with "…". */
#define VB_MAX_DIAG_ARG 200

static const char *arg_dup(vb_ctx *ctx, const char *s) {
  size_t n = strlen(s);
  char *p;
  if (n <= VB_MAX_DIAG_ARG)
    return vb_arena_strndup(&ctx->strings, s, n);
  n = VB_MAX_DIAG_ARG;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  p = vb_arena_alloc(&ctx->strings, n + 4);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  memcpy(p + n, "\xE2\x80\xA6", 3); /* "…" */
  p[n + 3] = '\0';
  return p;
}

int vb_diag_add(vb_ctx *ctx, vb_code code, const char *file, unsigned line,
                unsigned col, const char *a0, const char *a1) {
  return vb_diag_add_field(ctx, code, file, line, col, NULL, a0, a1);
}

int vb_diag_add_field(vb_ctx *ctx, vb_code code, const char *file,
                      unsigned line, unsigned col, const char *field,
                      const char *a0, const char *a1) {
  vb_diag *d;
  vb_severity sev = vb_code_severity(code);
  unsigned max =
      ctx->opt.max_errors ? ctx->opt.max_errors : VB_DEFAULT_MAX_ERRORS;
  /* errors and warnings are capped apart: a flood of warnings never
   * hides the error that stops the document */
  if ((sev == VB_SEV_ERROR ? ctx->kept_err : ctx->kept_warn) >= max) {
    ctx->truncated = 1;
    if (sev == VB_SEV_ERROR)
      ctx->nerr++;
    return 1;
  }
  if (ctx->ndiag == ctx->cap) {
    size_t cap = ctx->cap ? ctx->cap * 2 : 16;
    vb_diag *v = vb_realloc(&ctx->mem, ctx->diags, cap * sizeof(*v));
    if (!v)
      return 0;
    ctx->diags = v;
    ctx->cap = cap;
  }
  d = &ctx->diags[ctx->ndiag];
  memset(d, 0, sizeof(*d));
  d->code = code;
  d->severity = sev;
  d->line = line;
  d->col = col;
  d->file = vb_arena_strdup(&ctx->strings, file ? file : "-");
  d->arg[0] = a0 ? arg_dup(ctx, a0) : NULL;
  d->arg[1] = a1 ? arg_dup(ctx, a1) : NULL;
  d->field = field ? arg_dup(ctx, field) : NULL;
  if (!d->file || (a0 && !d->arg[0]) || (a1 && !d->arg[1]) ||
      (field && !d->field))
    return 0;
  ctx->ndiag++;
  if (sev == VB_SEV_ERROR) {
    ctx->nerr++;
    ctx->kept_err++;
  } else {
    ctx->kept_warn++;
  }
  return 1;
}

int vb_diag_add_cell(vb_ctx *ctx, vb_code code, const char *file,
                     unsigned row, unsigned col, const char *column,
                     const char *a0, const char *a1) {
  size_t n = ctx->ndiag;
  vb_diag *d;
  if (!vb_diag_add(ctx, code, file, row, col, a0, a1))
    return 0;
  if (ctx->ndiag == n) /* past max_errors: counted, not kept */
    return 1;
  d = &ctx->diags[n];
  d->table = 1;
  if (column && !(d->column = arg_dup(ctx, column))) {
    ctx->ndiag--;
    if (vb_code_severity(code) == VB_SEV_ERROR)
      ctx->nerr--;
    return 0;
  }
  return 1;
}

size_t vb_diag_count(const vb_ctx *ctx) { return ctx ? ctx->ndiag : 0; }

const vb_diag *vb_diag_at(const vb_ctx *ctx, size_t i) {
  return ctx && i < ctx->ndiag ? &ctx->diags[i] : NULL;
}

size_t vb_error_count(const vb_ctx *ctx) { return ctx ? ctx->nerr : 0; }

/* Substitutes the arguments for the %s conversions of fmt. */
static void expand(struct vb_buf *b, const char *fmt, const vb_diag *d) {
  int k = 0;
  const char *p;
  for (p = fmt; *p; p++) {
    if (p[0] == '%' && p[1] == 's') {
      const char *a = k < 2 ? d->arg[k] : NULL;
      vb_buf_puts(b, a ? a : "");
      k++;
      p++;
    } else {
      vb_buf_putc(b, *p);
    }
  }
}

char *vb_diag_format(vb_ctx *ctx, const vb_diag *d, vb_lang lang) {
  struct vb_buf b;
  const char *sev;
  if (!ctx || !d)
    return NULL;
  vb_buf_init(&b, &ctx->mem, 1 << 20);
  if (lang == VB_LANG_EN)
    sev = d->severity == VB_SEV_ERROR ? "error" : "warning";
  else
    sev = d->severity == VB_SEV_ERROR ? "lỗi" : "cảnh báo";
  vb_buf_puts(&b, d->file);
  if (d->table) {
    if (d->line)
      vb_buf_printf(&b, lang == VB_LANG_EN ? ": row %u" : ": dòng %u",
                    d->line);
    if (d->line && d->column)
      vb_buf_printf(&b, lang == VB_LANG_EN ? ", column %s" : ", cột %s",
                    d->column);
  } else if (d->line) {
    vb_buf_printf(&b, ":%u", d->line);
    if (d->col)
      vb_buf_printf(&b, ":%u", d->col);
  }
  vb_buf_printf(&b, ": %s[%s]: ", sev, vb_code_id(d->code));
  expand(&b, vb_code_format(d->code, lang), d);
  return vb_buf_detach(&b, NULL);
}

const char *vb_status_str(vb_status st, vb_lang lang) {
  static const char *const vi[] = {
      "thành công", "văn bản đầu vào có lỗi", "hết bộ nhớ",
      "lỗi đọc hoặc ghi tệp", "vượt giới hạn", "lỗi khi tạo PDF",
      "lỗi khi tạo DOCX", "gọi sai cách", "thiếu hoặc hỏng tệp phông chữ",
      "lỗi sổ đăng ký văn bản"};
  static const char *const en[] = {
      "success", "the input has errors", "out of memory",
      "cannot read or write a file", "limit exceeded", "PDF rendering failed",
      "DOCX writing failed", "invalid call", "font file missing or unusable",
      "register error"};
  if ((unsigned)st >= sizeof(vi) / sizeof(vi[0]))
    return lang == VB_LANG_EN ? "unknown error" : "lỗi không xác định";
  return lang == VB_LANG_EN ? en[st] : vi[st];
}

const char *vb_errno_str(int e, vb_lang lang) {
  static const struct {
    int e;
    const char *vi, *en;
  } t[] = {
      {ENOENT, "không có tệp hay thư mục này", "no such file or folder"},
      {EACCES, "không có quyền", "permission denied"},
      {EPERM, "không được phép", "operation not permitted"},
      {EISDIR, "đây là một thư mục", "it is a folder"},
      {ENOTDIR, "một phần của đường dẫn không phải thư mục",
       "a part of the path is not a folder"},
      {EINVAL, "không phải tệp thông thường", "not a regular file"},
      {ENAMETOOLONG, "tên tệp quá dài", "file name too long"},
      {ELOOP, "quá nhiều liên kết tượng trưng",
       "too many symbolic links"},
      {ENOSPC, "hết chỗ trên đĩa", "no space left on the disk"},
      {EDQUOT, "vượt hạn mức đĩa", "disk quota exceeded"},
      {EFBIG, "tệp quá lớn", "file too large"},
      {EROFS, "ổ đĩa chỉ đọc", "read-only file system"},
      {ENOMEM, "hết bộ nhớ", "out of memory"},
      {EIO, "lỗi vào/ra của thiết bị", "input/output error"},
      {EPIPE, "đầu đọc đã đóng", "the reader has closed the pipe"},
      {ENXIO, "không có thiết bị hay đầu đọc", "no device or reader"},
      {EBUSY, "thiết bị hay tài nguyên đang bận", "device or resource busy"},
      {ETXTBSY, "tệp đang được dùng", "file in use"},
      {EEXIST, "tệp đã có", "file exists"},
      {EMFILE, "mở quá nhiều tệp", "too many open files"},
  };
  size_t i;
  for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    if (t[i].e == e)
      return lang == VB_LANG_EN ? t[i].en : t[i].vi;
  return lang == VB_LANG_EN ? "system error" : "lỗi hệ thống";
}
