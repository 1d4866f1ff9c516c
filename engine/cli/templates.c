/* templates.c - `vanban templates [NAME]`: the document kinds vanban
 * prints, and the fields of one of them with their labels, types, whether
 * required, limits and the clause of the guidance behind each. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The type keywords of the template language, in words. */
static const char *type_words(const char *t, vb_lang lang) {
  static const char *const words[][3] = {
      {"dong", "một dòng chữ", "one line of text"},
      {"markdown", "đoạn văn (Markdown)", "paragraphs (Markdown)"},
      {"ngay", "ngày (2023-02-28 hoặc 28/02/2023)",
       "date (2023-02-28 or 28/02/2023)"},
      {"so", "số nguyên dương", "positive whole number"},
      {"lua-chon", "chọn trong danh sách", "one of a list"},
      {"nhom", "nhóm trường", "group of fields"}};
  size_t i;
  for (i = 0; t && i < sizeof(words) / sizeof(words[0]); i++)
    if (!strcmp(t, words[i][0]))
      return words[i][lang == VB_LANG_EN ? 2 : 1];
  return t ? t : "";
}

/* Prints one TSV line of vb_template_fields() as a readable row. */
static void field_row(const char *line, vb_lang lang) {
  const char *col[8] = {0};
  char *copy = strdup(line), *p = copy, *tab;
  int i, depth = 0;
  if (!copy)
    return;
  for (i = 0; i < 8 && p; i++) {
    col[i] = p;
    tab = strchr(p, '\t');
    if (tab)
      *tab++ = '\0';
    p = tab;
  }
  for (p = (char *)col[0]; p && *p; p++)
    depth += *p == '/';
  printf("%*s%-*s %s\n", 2 * depth, "", 28 - 2 * depth,
         strrchr(col[0], '/') ? strrchr(col[0], '/') + 1 : col[0],
         col[1] ? col[1] : "");
  printf("%*s%-*s %s: %s", 2 * depth, "", 28 - 2 * depth, "",
         cli_tr(lang, "kiểu", "type"), type_words(col[2], lang));
  if (col[3] && !strcmp(col[3], "co"))
    printf(", %s", cli_tr(lang, "bắt buộc", "required"));
  else if (col[3] && !strncmp(col[3], "khi ", 4))
    printf(", %s %s", cli_tr(lang, "bắt buộc khi", "required when"),
           col[3] + 4);
  if (col[4] && !strcmp(col[4], "co"))
    printf(", %s", cli_tr(lang, "lặp lại", "repeated"));
  if (col[5] && *col[5] && col[2] && !strcmp(col[2], "dong"))
    printf(", %s %s %s", cli_tr(lang, "tối đa", "at most"), col[5],
           cli_tr(lang, "ký tự", "characters"));
  putchar('\n');
  if (col[7] && *col[7])
    printf("%*s%-*s %s: %s\n", 2 * depth, "", 28 - 2 * depth, "",
           cli_tr(lang, "chọn một", "one of"), col[7]);
  if (col[6] && *col[6])
    printf("%*s%-*s %s: %s\n", 2 * depth, "", 28 - 2 * depth, "",
           cli_tr(lang, "căn cứ", "clause"), col[6]);
  free(copy);
}

int cli_templates(int argc, char **argv) {
  vb_options opt;
  vb_ctx *ctx;
  const char *name = NULL;
  char *text = NULL, *line, *save = NULL;
  vb_status st;
  int i, rc = 0;
  memset(&opt, 0, sizeof(opt));
  opt.lang = cli_lang(argc, argv);
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--lang")) {
      if (i + 1 >= argc) {
        cli_missing_value(opt.lang, a, "vi hoặc en", "vi or en");
        return EXIT_USAGE;
      }
      if (strcmp(argv[i + 1], "vi") && strcmp(argv[i + 1], "en")) {
        cli_bad_arg(opt.lang, a, argv[i + 1], "dùng vi hoặc en",
                    "use vi or en");
        return EXIT_USAGE;
      }
      opt.lang = !strcmp(argv[++i], "en") ? VB_LANG_EN : VB_LANG_VI;
    } else if (a[0] == '-') {
      cli_unknown_option(opt.lang, "templates", a);
      return EXIT_USAGE;
    } else if (name) {
      cli_extra_arg(opt.lang, "templates", a, "nhiều nhất một TÊN_MẪU",
                    "at most one KIND");
      return EXIT_USAGE;
    } else {
      name = a;
    }
  }
  ctx = vb_ctx_new(&opt);
  if (!ctx) {
    fputs(cli_tr(opt.lang, "vanban: hết bộ nhớ\n", "vanban: out of memory\n"),
          stderr);
    return EXIT_INPUT;
  }
  st = name ? vb_template_fields(ctx, name, &text)
            : vb_template_list(ctx, &text);
  if (st != VB_OK) {
    cli_print_diags(ctx, opt.lang, NULL, NULL, 0);
    if (!vb_diag_count(ctx))
      fprintf(stderr, "vanban: %s\n", vb_status_str(st, opt.lang));
    rc = EXIT_INPUT;
  } else {
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
      if (name) {
        field_row(line, opt.lang);
      } else {
        char *tab = strchr(line, '\t');
        if (tab)
          *tab++ = '\0';
        printf("%-14s %s\n", line, tab ? tab : "");
      }
    }
  }
  vb_free(ctx, text);
  vb_ctx_free(ctx);
  return rc;
}
