/* register.c - the register of outgoing documents (sổ đăng ký văn bản
 * đi): number series, issued documents and their history in one SQLite
 * file. Sits between validation and composing: a validated document gets
 * its number here. SQLite and nettle (SHA-256) only in this file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>
#include <sqlite3.h>

#include "buf.h"
#include "ctx.h"
#include "doc.h"
#include "register.h"
#include "text.h"

/* "VBSO" in the SQLite header (offset 68): a register, not any SQLite
 * file. */
#define REG_APPLICATION_ID 0x5642534F
/* How long a writer waits for another process's lock before R004: the
 * lock is held while one document renders, well under a second; half a
 * minute covers a queue of offices numbering at once. */
#define REG_DEFAULT_TIMEOUT_MS 30000u
/* Text given to the register (names, symbols, terms) is a line, not a
 * document. */
#define REG_MAX_ARG 1000

/* Schema migrations: migrations[i] brings a register from user_version i
 * to i + 1. Append only; a released step is never edited. */
static const char *const migrations[] = {
    /* 1: bodies, terms, series, documents, their files, history */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE body("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  symbol TEXT NOT NULL UNIQUE,"
    "  profile TEXT NOT NULL,"
    "  main INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE term("
    "  id INTEGER PRIMARY KEY,"
    "  start TEXT NOT NULL,"
    "  end TEXT NOT NULL,"
    "  CHECK (start <= end));"
    "CREATE TABLE series("
    "  id INTEGER PRIMARY KEY,"
    "  body_id INTEGER NOT NULL REFERENCES body(id),"
    "  scope TEXT NOT NULL,"     /* '2024', or 'term:ID' (Party) */
    "  type_code TEXT NOT NULL," /* '' (state), 'KH' (Party) */
    "  secret INTEGER NOT NULL," /* state: secret documents apart */
    "  name TEXT NOT NULL,"
    "  UNIQUE (body_id, scope, type_code, secret));"
    "CREATE TABLE document("
    "  id INTEGER PRIMARY KEY,"
    "  series_id INTEGER NOT NULL REFERENCES series(id),"
    "  number INTEGER NOT NULL CHECK (number >= 1),"
    "  doc_key TEXT NOT NULL UNIQUE," /* 'ma:...' or 'sha256:...' */
    "  symbol TEXT NOT NULL,"         /* '05/KH-UBND' */
    "  date TEXT NOT NULL,"           /* 'YYYY-MM-DD' */
    "  type_code TEXT NOT NULL,"
    "  type_name TEXT NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  signer TEXT NOT NULL,"
    "  signer_title TEXT NOT NULL,"
    "  recipients TEXT NOT NULL,"
    "  kept_by TEXT NOT NULL,"
    "  secret TEXT NOT NULL,"
    "  input_sha256 TEXT NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  issued_at TEXT NOT NULL,"
    "  UNIQUE (series_id, number));"
    "CREATE TABLE output("
    "  document_id INTEGER NOT NULL REFERENCES document(id),"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  PRIMARY KEY (document_id, path));"
    "CREATE TABLE history("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  action TEXT NOT NULL," /* create, add-term, add-body, issue,
                                 render-again, correct */
    "  document_id INTEGER REFERENCES document(id),"
    "  detail TEXT NOT NULL);",
};
#define REG_SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

struct vb_register {
  vb_ctx *ctx;
  sqlite3 *db;
  char *path;
  unsigned timeout_ms;
  struct timespec busy_since; /* when the current wait for a lock began */
  struct vb_issue *open_issue;
};

struct output {
  char *path;
  char sha[2 * SHA256_DIGEST_SIZE + 1];
  struct output *next;
};

enum issue_kind { ISSUE_NEW, ISSUE_AGAIN, ISSUE_CORRECT };

struct vb_issue {
  struct vb_register *reg; /* NULL once the register closed */
  vb_ctx *ctx;
  struct vb_arena a;
  enum issue_kind kind;
  int in_tx;                 /* the write transaction is open */
  sqlite3_int64 series_id, doc_row;
  long number;
  int version;
  const char *key, *sha, *symbol, *date_iso, *date_vn, *series;
  const char *type_code, *type_name, *summary, *signer, *signer_title;
  const char *recipients, *kept_by, *secret, *old_sha;
  struct output *outputs;
};

struct vb_register_iter {
  struct vb_register *reg;
  sqlite3_stmt *st;
  vb_entry entry;
};

/* --- errors ------------------------------------------------------------ */

static vb_status reg_diag(struct vb_register *r, vb_code code, const char *a0,
                          const char *a1) {
  if (!vb_diag_add(r->ctx, code, r->path, 0, 0, a0, a1))
    return VB_ENOMEM;
  return VB_EREGISTER;
}

/* Maps an SQLite failure to a diagnostic: `what` says what was being
 * done. */
static vb_status db_fail(struct vb_register *r, int rc, const char *what) {
  char code[32], secs[32];
  switch (rc & 0xff) {
  case SQLITE_NOMEM:
    return VB_ENOMEM;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    snprintf(secs, sizeof(secs), "%u", (r->timeout_ms + 999) / 1000);
    return reg_diag(r, VB_C_REG_LOCKED, secs, NULL);
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return reg_diag(r, VB_C_REG_DAMAGED,
                    vb_tr(r->ctx, "SQLite báo tệp hỏng",
                          "SQLite reports a malformed file"),
                    NULL);
  default:
    snprintf(code, sizeof(code), "%d", rc);
    return reg_diag(r, VB_C_REG_DB, what, code);
  }
}

/* --- small SQLite helpers ---------------------------------------------- */

static int prep(struct vb_register *r, const char *sql, sqlite3_stmt **st) {
  return sqlite3_prepare_v2(r->db, sql, -1, st, NULL);
}

/* With SQLITE_STATIC nothing is copied: a bind to a parameter the
 * statement has cannot fail for text under SQLite's 1 GB limit (inputs are
 * at most VB_MAX_INPUT_BYTES). */
static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

/* Runs statements without results. */
static int exec(struct vb_register *r, const char *sql) {
  return sqlite3_exec(r->db, sql, NULL, NULL, NULL);
}

/* A failed ROLLBACK leaves nothing to do: SQLite then rolls the
 * transaction back itself when the connection closes or at the next
 * open. */
static void rollback(struct vb_register *r) {
  if (!sqlite3_get_autocommit(r->db))
    (void)exec(r, "ROLLBACK");
}

/* One integer from a query without parameters; -1 on failure. */
static sqlite3_int64 query_int(struct vb_register *r, const char *sql,
                               int *rc) {
  sqlite3_stmt *st;
  sqlite3_int64 v = -1;
  *rc = prep(r, sql, &st);
  if (*rc != SQLITE_OK)
    return -1;
  *rc = sqlite3_step(st);
  if (*rc == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
    *rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return v;
}

static char *dup_str(struct vb_arena *a, const unsigned char *s) {
  return vb_arena_strdup(a, s ? (const char *)s : "");
}

/* A text column; "" for NULL. */
static const char *col(sqlite3_stmt *st, int i) {
  const unsigned char *s = sqlite3_column_text(st, i);
  return s ? (const char *)s : "";
}

/* printf into the arena; no fixed buffer holds a name or a symbol. NULL
 * when out of memory. */
static char *aprintf(struct vb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *aprintf(struct vb_arena *a, const char *fmt, ...) {
  struct vb_buf b;
  va_list ap;
  char *r = NULL;
  vb_buf_init(&b, a->mem, 1 << 20);
  va_start(ap, fmt);
  vb_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (!vb_buf_err(&b))
    r = vb_arena_strndup(a, b.ptr, b.len);
  vb_buf_release(&b);
  return r;
}

/* "YYYY-MM-DD" as "DD/MM/YYYY"; other text as it is. */
static char *vn_date(struct vb_arena *a, const char *iso) {
  if (strlen(iso) != 10)
    return vb_arena_strdup(a, iso);
  return aprintf(a, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* --- values ------------------------------------------------------------ */

static void sha256_hex(const void *data, size_t len, char *hex) {
  struct sha256_ctx c;
  uint8_t d[SHA256_DIGEST_SIZE];
  size_t i;
  sha256_init(&c);
  sha256_update(&c, len, data);
  sha256_digest(&c, sizeof(d), d);
  for (i = 0; i < sizeof(d); i++)
    snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* A line of text given to the register: valid UTF-8, no control
 * characters, not empty (`one_word`: no space or slash); *out is its NFC
 * form. VB_EREGISTER after a
 * diagnostic, or VB_ENOMEM. */
static vb_status clean_arg(struct vb_register *r, struct vb_arena *a,
                           const char *s, const char *what, int one_word,
                           const char **out) {
  struct vb_buf b;
  size_t i, n = s ? strlen(s) : 0;
  int ok = n > 0 && n <= REG_MAX_ARG && vb_utf8_valid(s, n);
  vb_status st;
  *out = NULL;
  for (i = 0; ok && i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      ok = 0;
  /* a symbol is one word: "UBND", "MTTQ-BTT" */
  if (ok && one_word && (strchr(s, ' ') || strchr(s, '/')))
    ok = 0;
  if (!ok)
    return reg_diag(r, VB_C_REG_ARG, s ? s : "", what);
  /* NFC of n bytes is at most 3n (Unicode's bound for composition) */
  vb_buf_init(&b, &r->ctx->mem, (size_t)3 * REG_MAX_ARG + 1);
  st = vb_text_nfc(s, n, &b);
  if (st == VB_OK && !(*out = vb_arena_strndup(a, b.ptr, b.len)))
    st = VB_ENOMEM;
  vb_buf_release(&b);
  return st;
}

/* "YYYY-MM-DD:YYYY-MM-DD" with real dates, start <= end. */
static int parse_term(const char *s, char *start, char *end) {
  int y1, m1, d1, y2, m2, d2, real1 = 0, real2 = 0;
  const char *colon = s ? strchr(s, ':') : NULL;
  char first[16];
  if (!colon || colon - s != 10 || strlen(colon + 1) != 10)
    return 0;
  memcpy(first, s, 10);
  first[10] = '\0';
  if (!vb_parse_date(first, &y1, &m1, &d1, &real1) ||
      !vb_parse_date(colon + 1, &y2, &m2, &d2, &real2) || !real1 || !real2)
    return 0;
  snprintf(start, 11, "%04d-%02d-%02d", y1, m1, d1);
  snprintf(end, 11, "%04d-%02d-%02d", y2, m2, d2);
  return strcmp(start, end) <= 0;
}

/* --- opening ----------------------------------------------------------- */

/* Looks at the file before SQLite does: SQLite takes an empty file for a
 * new database and would write into a truncated one. */
static vb_status check_file(struct vb_register *r) {
  unsigned char h[100];
  struct stat sb;
  ssize_t n;
  int fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &sb) != 0) {
    vb_status st = reg_diag(r, VB_C_REG_OPEN, strerror(errno), NULL);
    if (fd >= 0)
      close(fd);
    return st;
  }
  if (!S_ISREG(sb.st_mode)) {
    close(fd);
    return reg_diag(r, VB_C_REG_OPEN,
                    vb_tr(r->ctx, "không phải tệp thường", "not a regular file"),
                    NULL);
  }
  do
    n = read(fd, h, sizeof(h));
  while (n < 0 && errno == EINTR);
  close(fd);
  if (n < 0)
    return reg_diag(r, VB_C_REG_OPEN, strerror(errno), NULL);
  if (n == 0)
    return reg_diag(r, VB_C_REG_DAMAGED,
                    vb_tr(r->ctx, "tệp trống", "the file is empty"), NULL);
  if ((size_t)n < sizeof(h) || memcmp(h, "SQLite format 3", 16)) {
    if (n >= 16 && !memcmp(h, "SQLite format 3", 16))
      return reg_diag(r, VB_C_REG_DAMAGED,
                      vb_tr(r->ctx, "tệp bị cắt cụt", "the file is truncated"),
                      NULL);
    return reg_diag(r, VB_C_REG_FOREIGN,
                    vb_tr(r->ctx, "không phải tệp SQLite",
                          "not an SQLite file"),
                    NULL);
  }
  /* nothing more without SQLite's lock: another process may be writing,
   * or a hot journal may wait to be rolled back; the size and the pages
   * are SQLite's and integrity_check's to judge */
  return VB_OK;
}

static vb_status check_db(struct vb_register *r) {
  sqlite3_int64 app, ver;
  sqlite3_stmt *st;
  char a[32], b[32];
  int rc;
  app = query_int(r, "PRAGMA application_id", &rc);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, vb_tr(r->ctx, "đọc phần đầu", "reading the header"));
  if (app != REG_APPLICATION_ID) {
    snprintf(a, sizeof(a), "application_id %08llx",
             (unsigned long long)(app & 0xffffffff));
    return reg_diag(r, VB_C_REG_FOREIGN, a, NULL);
  }
  ver = query_int(r, "PRAGMA user_version", &rc);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, vb_tr(r->ctx, "đọc phần đầu", "reading the header"));
  if (ver > REG_SCHEMA_VERSION || ver < 1) {
    snprintf(a, sizeof(a), "%lld", (long long)ver);
    snprintf(b, sizeof(b), "%d", REG_SCHEMA_VERSION);
    if (ver < 1)
      return reg_diag(r, VB_C_REG_DAMAGED,
                      vb_tr(r->ctx, "không có lược đồ", "no schema"), NULL);
    return reg_diag(r, VB_C_REG_NEWER, a, b);
  }
  /* the whole file, every open: a register is small, and a damaged one
   * must never be written to */
  rc = prep(r, "PRAGMA integrity_check(1)", &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "integrity_check");
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && strcmp(col(st, 0), "ok")) {
    sqlite3_finalize(st);
    return reg_diag(r, VB_C_REG_DAMAGED,
                    vb_tr(r->ctx, "PRAGMA integrity_check không đạt",
                          "PRAGMA integrity_check failed"),
                    NULL);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return db_fail(r, rc, "integrity_check");
  /* an older register: the missing steps, in one transaction */
  if (ver < REG_SCHEMA_VERSION) {
    int i;
    char sql[64];
    rc = exec(r, "BEGIN IMMEDIATE");
    for (i = (int)ver; rc == SQLITE_OK && i < REG_SCHEMA_VERSION; i++)
      rc = exec(r, migrations[i]);
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", REG_SCHEMA_VERSION);
    if (rc == SQLITE_OK)
      rc = exec(r, sql);
    if (rc == SQLITE_OK)
      rc = exec(r, "COMMIT");
    if (rc != SQLITE_OK) {
      rollback(r);
      return db_fail(r, rc, vb_tr(r->ctx, "nâng cấp lược đồ",
                                  "upgrading the schema"));
    }
  }
  return VB_OK;
}

static struct vb_register *reg_new(vb_ctx *ctx, const char *path) {
  struct vb_register *r = vb_calloc(&ctx->mem, 1, sizeof(*r));
  size_t n = strlen(path);
  if (!r)
    return NULL;
  r->ctx = ctx;
  r->timeout_ms = REG_DEFAULT_TIMEOUT_MS;
  r->path = vb_malloc(&ctx->mem, n + 1);
  if (!r->path) {
    vb_mfree(&ctx->mem, r);
    return NULL;
  }
  memcpy(r->path, path, n + 1);
  return r;
}

/* SQLite's busy handler. Its default backs off to sleeps of 100 ms: with
 * several processes waiting, the lock then lies idle between holders most
 * of the time (ten times fewer numbers per second on a loaded machine).
 * Short sleeps keep it in use, and the wait is measured in real time. */
static int busy_wait(void *arg, int count) {
  struct vb_register *r = arg;
  struct timespec now, nap = {0, 1000000};
  double ms;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (count == 0)
    r->busy_since = now;
  ms = (double)(now.tv_sec - r->busy_since.tv_sec) * 1000.0 +
       (double)(now.tv_nsec - r->busy_since.tv_nsec) / 1e6;
  if (ms >= (double)r->timeout_ms)
    return 0;
  if (count > 1000) /* a long wait: poll less often */
    nap.tv_nsec = 10000000;
  nanosleep(&nap, NULL);
  return 1;
}

static vb_status db_open(struct vb_register *r, const char *file) {
  int rc = sqlite3_open_v2(file, &r->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, vb_tr(r->ctx, "mở tệp", "opening the file"));
  sqlite3_extended_result_codes(r->db, 0);
  sqlite3_busy_handler(r->db, busy_wait, r);
  /* no code from the file (triggers, views) runs with our rights; every
   * commit on disk before it returns */
  rc = exec(r, "PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON; "
               "PRAGMA synchronous=FULL");
  return rc == SQLITE_OK ? VB_OK : db_fail(r, rc, "PRAGMA");
}

vb_status vb_register_open(vb_ctx *ctx, const char *path, vb_register **out) {
  struct vb_register *r;
  vb_status st;
  if (!ctx || !path || !out)
    return VB_EUSAGE;
  *out = NULL;
  r = reg_new(ctx, path);
  if (!r)
    return VB_ENOMEM;
  st = check_file(r);
  if (st == VB_OK)
    st = db_open(r, path);
  if (st == VB_OK)
    st = check_db(r);
  if (st != VB_OK) {
    vb_register_close(r);
    return st;
  }
  *out = r;
  return VB_OK;
}

void vb_register_close(vb_register *r) {
  if (!r)
    return;
  if (r->open_issue) {
    rollback(r);
    r->open_issue->reg = NULL;
    r->open_issue->in_tx = 0;
  }
  sqlite3_close(r->db);
  vb_mfree(&r->ctx->mem, r->path);
  vb_mfree(&r->ctx->mem, r);
}

vb_ctx *vb_register_ctx(const vb_register *r) { return r->ctx; }

vb_status vb_register_main_body(vb_register *r, struct vb_arena *a,
                                const char **name, const char **profile) {
  sqlite3_stmt *st;
  int rc = prep(r, "SELECT name, profile FROM body WHERE main = 1", &st);
  vb_status s = VB_OK;
  if (rc != SQLITE_OK)
    return db_fail(r, rc, vb_tr(r->ctx, "đọc cơ quan", "reading the body"));
  rc = sqlite3_step(st);
  *name = vb_arena_strdup(a, rc == SQLITE_ROW ? col(st, 0) : "");
  *profile = vb_arena_strdup(a, rc == SQLITE_ROW ? col(st, 1) : "");
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    s = db_fail(r, rc, vb_tr(r->ctx, "đọc cơ quan", "reading the body"));
  else if (!*name || !*profile)
    s = VB_ENOMEM;
  sqlite3_finalize(st);
  return s;
}

void vb_register_set_timeout(vb_register *r, unsigned ms) {
  if (!r)
    return;
  r->timeout_ms = ms;
}

/* --- creating ---------------------------------------------------------- */

static int add_history(struct vb_register *r, const char *action,
                       sqlite3_int64 doc, const char *detail) {
  sqlite3_stmt *st;
  int rc = prep(r, "INSERT INTO history(at, action, document_id, detail) "
                   "VALUES (" NOW_SQL ", ?1, ?2, ?3)",
                &st);
  if (rc != SQLITE_OK)
    return rc;
  bind_text(st, 1, action);
  if (doc > 0)
    sqlite3_bind_int64(st, 2, doc);
  bind_text(st, 3, detail);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_body(struct vb_register *r, const char *name,
                       const char *symbol, const char *profile, int main_) {
  sqlite3_stmt *st;
  int rc = prep(r, "INSERT INTO body(name, symbol, profile, main) "
                   "VALUES (?1, ?2, ?3, ?4)",
                &st);
  if (rc != SQLITE_OK)
    return rc;
  bind_text(st, 1, name);
  bind_text(st, 2, symbol);
  bind_text(st, 3, profile);
  sqlite3_bind_int(st, 4, main_);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Adds a term inside the caller's transaction; R014 on an overlap. */
static vb_status insert_term(struct vb_register *r, const char *start,
                             const char *end) {
  sqlite3_stmt *st;
  struct vb_arena a;
  char mine[32];
  vb_status s;
  int rc = prep(r, "SELECT start, end FROM term WHERE start <= ?2 AND "
                   "?1 <= end LIMIT 1",
                &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "term");
  bind_text(st, 1, start);
  bind_text(st, 2, end);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *theirs;
    snprintf(mine, sizeof(mine), "%s:%s", start, end);
    vb_arena_init(&a, &r->ctx->mem);
    theirs = aprintf(&a, "%s:%s", col(st, 0), col(st, 1));
    sqlite3_finalize(st);
    s = theirs ? reg_diag(r, VB_C_REG_OVERLAP, mine, theirs) : VB_ENOMEM;
    vb_arena_release(&a);
    return s;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(r, rc, "term");
  rc = prep(r, "INSERT INTO term(start, end) VALUES (?1, ?2)", &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "term");
  bind_text(st, 1, start);
  bind_text(st, 2, end);
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(r, rc, "term");
  snprintf(mine, sizeof(mine), "%s:%s", start, end);
  rc = add_history(r, "add-term", 0, mine);
  return rc == SQLITE_OK ? VB_OK : db_fail(r, rc, "history");
}

static vb_status build_schema(struct vb_register *r, const char *issuer,
                              const char *symbol, const char *profile,
                              const char *start, const char *end) {
  char sql[96], *detail;
  struct vb_arena a;
  vb_status st = VB_OK;
  /* write-ahead log, kept in the file: one fsync per number instead of
   * the rollback journal's three (four times the numbers per second on a
   * busy disk), and readers never wait for a writer. The -wal and -shm
   * files beside the register exist only while it is open. */
  int rc = exec(r, "PRAGMA journal_mode=WAL"), i;
  if (rc == SQLITE_OK)
    rc = exec(r, "BEGIN IMMEDIATE");
  vb_arena_init(&a, &r->ctx->mem);
  for (i = 0; rc == SQLITE_OK && i < REG_SCHEMA_VERSION; i++)
    rc = exec(r, migrations[i]);
  snprintf(sql, sizeof(sql), "PRAGMA application_id=%d; PRAGMA user_version=%d",
           REG_APPLICATION_ID, REG_SCHEMA_VERSION);
  if (rc == SQLITE_OK)
    rc = exec(r, sql);
  if (rc == SQLITE_OK)
    rc = insert_body(r, issuer, symbol, profile, 1);
  detail = aprintf(&a, "%s (%s), %s", issuer, symbol, profile);
  if (rc == SQLITE_OK)
    rc = detail ? add_history(r, "create", 0, detail) : SQLITE_NOMEM;
  vb_arena_release(&a);
  if (rc != SQLITE_OK)
    st = db_fail(r, rc, vb_tr(r->ctx, "tạo sổ", "creating the register"));
  if (st == VB_OK && start)
    st = insert_term(r, start, end);
  if (st == VB_OK && (rc = exec(r, "COMMIT")) != SQLITE_OK)
    st = db_fail(r, rc, vb_tr(r->ctx, "tạo sổ", "creating the register"));
  if (st != VB_OK)
    rollback(r);
  return st;
}

static int known_profile(const char *p) {
  return p && (!strcmp(p, "nd30") || !strcmp(p, "mttq") || !strcmp(p, "hd36"));
}

vb_status vb_register_create(vb_ctx *ctx, const char *path,
                             const vb_register_init *init,
                             vb_register **out) {
  struct vb_register *r;
  struct vb_arena a;
  struct vb_buf tmp;
  char start[11], end[11];
  const char *issuer, *symbol;
  vb_status st = VB_OK;
  int fd = -1, made = 0;
  if (!ctx || !path || !init || !out)
    return VB_EUSAGE;
  *out = NULL;
  r = reg_new(ctx, path);
  if (!r)
    return VB_ENOMEM;
  vb_arena_init(&a, &ctx->mem);
  vb_buf_init(&tmp, &ctx->mem, VB_PATH_MAX);
  st = clean_arg(r, &a, init->issuer, "--co-quan", 0, &issuer);
  if (st == VB_OK)
    st = clean_arg(r, &a, init->symbol, "--ky-hieu", 1, &symbol);
  if (st == VB_OK && !known_profile(init->profile))
    st = reg_diag(r, VB_C_REG_ARG, init->profile ? init->profile : "",
                  "--profile (nd30, mttq, hd36)");
  if (st == VB_OK && init->term && strcmp(init->profile, "hd36"))
    st = reg_diag(r, VB_C_REG_ARG, init->term,
                  vb_tr(r->ctx, "nhiệm kỳ chỉ dùng cho sổ thể thức hd36",
                        "terms are for registers of profile hd36 only"));
  if (st == VB_OK && init->term && !parse_term(init->term, start, end))
    st = reg_diag(r, VB_C_REG_ARG, init->term,
                  "--nhiem-ky YYYY-MM-DD:YYYY-MM-DD");
  if (st == VB_OK && access(path, F_OK) == 0)
    st = reg_diag(r, VB_C_REG_EXISTS, path, NULL);
  if (st != VB_OK)
    goto out;
  /* built beside the target under another name, then linked in: a
   * register appears whole or not at all, and never replaces a file */
  vb_buf_printf(&tmp, "%s.XXXXXX", path);
  if (vb_buf_err(&tmp)) {
    st = vb_buf_err(&tmp);
    goto out;
  }
  fd = mkstemp(tmp.ptr);
  if (fd < 0) {
    st = reg_diag(r, VB_C_REG_OPEN, strerror(errno), NULL);
    goto out;
  }
  made = 1;
  /* mkstemp() makes 0600; a register gets the usual permissions */
  {
    mode_t um = umask(0);
    umask(um);
    int bad = fchmod(fd, 0666 & ~um) != 0;
    if (close(fd) != 0)
      bad = 1;
    if (bad)
      st = reg_diag(r, VB_C_REG_OPEN, strerror(errno), NULL);
  }
  if (st == VB_OK)
    st = db_open(r, tmp.ptr);
  if (st == VB_OK)
    st = build_schema(r, issuer, symbol, init->profile,
                      init->term ? start : NULL, end);
  if (r->db && sqlite3_close(r->db) != SQLITE_OK && st == VB_OK)
    st = reg_diag(r, VB_C_REG_OPEN, "sqlite3_close", NULL);
  r->db = NULL;
  if (st == VB_OK && link(tmp.ptr, path) != 0) {
    int e = errno;
    /* FAT and exFAT (a USB stick) have no hard links: rename, after a
     * last look that the name is still free */
    if ((e == EPERM || e == ENOTSUP || e == ENOSYS) &&
        access(path, F_OK) != 0 && rename(tmp.ptr, path) == 0)
      made = 0;
    else
      st = e == EEXIST || access(path, F_OK) == 0
               ? reg_diag(r, VB_C_REG_EXISTS, path, NULL)
               : reg_diag(r, VB_C_REG_OPEN, strerror(e), NULL);
  }
out:
  if (made)
    unlink(tmp.ptr);
  vb_buf_release(&tmp);
  vb_arena_release(&a);
  vb_register_close(r);
  if (st != VB_OK)
    return st;
  return vb_register_open(ctx, path, out);
}

vb_status vb_register_add_term(vb_register *r, const char *term) {
  char start[11], end[11];
  vb_status st;
  int rc;
  if (!r || !term || r->open_issue)
    return VB_EUSAGE;
  if (!parse_term(term, start, end))
    return reg_diag(r, VB_C_REG_ARG, term, "YYYY-MM-DD:YYYY-MM-DD");
  rc = exec(r, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "BEGIN");
  /* terms number Party series only (HD 36 1.3.1.a) */
  if (query_int(r, "SELECT count(*) FROM body WHERE main = 1 AND "
                   "profile = 'hd36'",
                &rc) != 1)
    st = rc != SQLITE_OK
             ? db_fail(r, rc, "body")
             : reg_diag(r, VB_C_REG_ARG, term,
                        vb_tr(r->ctx, "nhiệm kỳ chỉ dùng cho sổ thể thức hd36",
                              "terms are for registers of profile hd36 "
                              "only"));
  else
    st = insert_term(r, start, end);
  if (st == VB_OK && (rc = exec(r, "COMMIT")) != SQLITE_OK)
    st = db_fail(r, rc, "COMMIT");
  if (st != VB_OK)
    rollback(r);
  return st;
}

vb_status vb_register_add_body(vb_register *r, const char *issuer,
                               const char *symbol) {
  struct vb_arena a;
  const char *name, *sym, *detail;
  vb_status st = VB_OK;
  int rc;
  if (!r || r->open_issue)
    return VB_EUSAGE;
  vb_arena_init(&a, &r->ctx->mem);
  st = clean_arg(r, &a, issuer, "--co-quan", 0, &name);
  if (st == VB_OK)
    st = clean_arg(r, &a, symbol, "--ky-hieu", 1, &sym);
  if (st != VB_OK)
    goto out;
  rc = exec(r, "BEGIN IMMEDIATE");
  /* the profile of the agency whose seal it uses */
  if (rc == SQLITE_OK) {
    sqlite3_stmt *s;
    rc = prep(r, "INSERT INTO body(name, symbol, profile) SELECT ?1, ?2, "
                 "profile FROM body WHERE main = 1",
              &s);
    if (rc == SQLITE_OK) {
      bind_text(s, 1, name);
      bind_text(s, 2, sym);
      rc = sqlite3_step(s);
      sqlite3_finalize(s);
      rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    st = reg_diag(r, VB_C_REG_ARG, sym,
                  vb_tr(r->ctx, "ký hiệu đã có trong sổ",
                        "the symbol is already in the register"));
    goto out;
  }
  detail = aprintf(&a, "%s (%s)", name, sym);
  if (rc == SQLITE_OK)
    rc = detail ? add_history(r, "add-body", 0, detail) : SQLITE_NOMEM;
  if (rc == SQLITE_OK)
    rc = exec(r, "COMMIT");
  if (rc != SQLITE_OK)
    st = db_fail(r, rc, "add-body");
out:
  if (st != VB_OK)
    rollback(r);
  vb_arena_release(&a);
  return st;
}

/* --- numbering --------------------------------------------------------- */

/* "Ban Dân vận Tỉnh ủy; Thường trực Huyện ủy" and the Lưu line. */
static vb_status recipients(struct vb_issue *is, const vb_doc *doc) {
  struct vb_buf b;
  const struct vb_nn *n;
  vb_buf_init(&b, &is->reg->ctx->mem, VB_MAX_INPUT_BYTES);
  is->kept_by = "";
  for (n = doc->chk.plan.noi_nhan; n; n = n->next) {
    if (n->kind == VB_NN_LUU) {
      is->kept_by = vb_arena_strdup(&is->a, n->text);
      continue;
    }
    if (b.len)
      vb_buf_puts(&b, "; ");
    vb_buf_puts(&b, n->text);
    if (n->kind == VB_NN_GROUP)
      vb_buf_putc(&b, ':');
  }
  is->recipients = vb_buf_err(&b) ? NULL : vb_arena_strdup(&is->a, b.ptr);
  vb_buf_release(&b);
  return is->recipients && is->kept_by ? VB_OK : VB_ENOMEM;
}

/* The body whose ký hiệu the document carries; R006 / R007. */
static vb_status find_body(struct vb_register *r, const vb_doc_info *info,
                           sqlite3_int64 *body) {
  sqlite3_stmt *st;
  struct vb_buf known;
  vb_status s = VB_OK;
  /* every body of a register numbers in the profile of the agency */
  int rc = prep(r, "SELECT profile FROM body WHERE main = 1", &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "body");
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW &&
      (!info->profile || strcmp(col(st, 0), info->profile)))
    s = reg_diag(r, VB_C_REG_PROFILE, info->profile ? info->profile : "",
                 col(st, 0));
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return db_fail(r, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "body");
  if (s != VB_OK)
    return s;
  rc = prep(r, "SELECT id FROM body WHERE symbol = ?1", &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "body");
  bind_text(st, 1, info->symbol);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *body = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return VB_OK;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(r, rc, "body");
  vb_buf_init(&known, &r->ctx->mem, 1 << 16);
  if (prep(r, "SELECT symbol FROM body ORDER BY id", &st) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      if (known.len)
        vb_buf_puts(&known, ", ");
      vb_buf_puts(&known, col(st, 0));
    }
    sqlite3_finalize(st);
  }
  s = vb_buf_err(&known)
          ? VB_ENOMEM
          : reg_diag(r, VB_C_REG_SYMBOL, info->symbol ? info->symbol : "",
                     known.ptr);
  vb_buf_release(&known);
  return s;
}

/* The series a document falls into, made on first use. State (NĐ 30
 * Điều 15): per body and calendar year, secret documents apart. Party
 * (HD 36 1.3.1.a): per body, term of the committee and document type,
 * secret documents in the normal series. */
static vb_status find_series(struct vb_issue *is, const vb_doc_info *info,
                             sqlite3_int64 body) {
  struct vb_register *r = is->reg;
  sqlite3_stmt *st;
  char scope[32];
  const char *name;
  const char *type = "";
  int secret = 0, rc;
  if (info->party) {
    rc = prep(r, "SELECT id, start, end FROM term WHERE start <= ?1 AND "
                 "?1 <= end",
              &st);
    if (rc != SQLITE_OK)
      return db_fail(r, rc, "term");
    bind_text(st, 1, is->date_iso);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
      struct vb_buf terms;
      vb_status s;
      sqlite3_finalize(st);
      if (rc != SQLITE_DONE)
        return db_fail(r, rc, "term");
      vb_buf_init(&terms, &r->ctx->mem, 1 << 16);
      if (prep(r, "SELECT start || ':' || end FROM term ORDER BY start",
               &st) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
          if (terms.len)
            vb_buf_puts(&terms, ", ");
          vb_buf_puts(&terms, col(st, 0));
        }
        sqlite3_finalize(st);
      }
      if (!terms.len)
        vb_buf_puts(&terms, vb_tr(r->ctx, "sổ chưa có nhiệm kỳ",
                                  "the register has no term"));
      s = vb_buf_err(&terms)
              ? VB_ENOMEM
              : reg_diag(r, VB_C_REG_TERM, is->date_vn, terms.ptr);
      vb_buf_release(&terms);
      return s;
    }
    snprintf(scope, sizeof(scope), "term:%lld",
             (long long)sqlite3_column_int64(st, 0));
    name = aprintf(&is->a, "%s %s %.4s-%.4s", info->symbol, info->type_code,
                   col(st, 1), col(st, 2));
    sqlite3_finalize(st);
    type = info->type_code;
  } else {
    secret = info->secret != NULL;
    snprintf(scope, sizeof(scope), "%04d", info->year);
    name = aprintf(&is->a, "%s %04d%s", info->symbol, info->year,
                   secret ? " mật" : "");
  }
  if (!name)
    return VB_ENOMEM;
  rc = prep(r, "INSERT OR IGNORE INTO series(body_id, scope, type_code, "
               "secret, name) VALUES (?1, ?2, ?3, ?4, ?5)",
            &st);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, body);
    bind_text(st, 2, scope);
    bind_text(st, 3, type);
    sqlite3_bind_int(st, 4, secret);
    bind_text(st, 5, name);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  if (rc == SQLITE_OK)
    rc = prep(r, "SELECT id, name FROM series WHERE body_id = ?1 AND "
                 "scope = ?2 AND type_code = ?3 AND secret = ?4",
              &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "series");
  sqlite3_bind_int64(st, 1, body);
  bind_text(st, 2, scope);
  bind_text(st, 3, type);
  sqlite3_bind_int(st, 4, secret);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    is->series_id = sqlite3_column_int64(st, 0);
    is->series = dup_str(&is->a, sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return db_fail(r, rc, "series");
  return is->series ? VB_OK : VB_ENOMEM;
}

/* "05/KH-UBND" (state) or "05-KH/BDVHU" (Party). */
static const char *number_symbol(struct vb_issue *is,
                                 const vb_doc_info *info) {
  if (info->party)
    return aprintf(&is->a, "%02ld-%s/%s", is->number, info->type_code,
                   info->symbol);
  return aprintf(&is->a, "%02ld/%s-%s", is->number, info->type_code,
                 info->symbol);
}

/* The same document numbered before: again, corrected, or R005. */
static vb_status known_document(struct vb_issue *is, sqlite3_stmt *st,
                                unsigned flags) {
  struct vb_register *r = is->reg;
  const char *sha = col(st, 2), *date = col(st, 1), *sym = col(st, 5);
  const char *when = vn_date(&is->a, date);
  is->doc_row = sqlite3_column_int64(st, 0);
  is->number = (long)sqlite3_column_int64(st, 3);
  is->version = sqlite3_column_int(st, 4);
  if (!when)
    return VB_ENOMEM;
  if (!strcmp(sha, is->sha)) {
    is->kind = ISSUE_AGAIN;
    return VB_OK;
  }
  if (!(flags & VB_TAKE_CORRECTION))
    return reg_diag(r, VB_C_REG_CHANGED, sym, when);
  /* Điều 18.3: the corrected text keeps the number and the date */
  if (sqlite3_column_int64(st, 6) != is->series_id ||
      strcmp(date, is->date_iso))
    return reg_diag(r, VB_C_REG_CORRECTION, sym, when);
  is->kind = ISSUE_CORRECT;
  is->old_sha = vb_arena_strdup(&is->a, sha);
  is->version++;
  return is->old_sha ? VB_OK : VB_ENOMEM;
}

/* A new number: the next in the series, never before a later date. */
static vb_status next_number(struct vb_issue *is) {
  struct vb_register *r = is->reg;
  sqlite3_stmt *st;
  int rc = prep(r, "SELECT symbol, date FROM document WHERE series_id = ?1 "
                   "AND date > ?2 ORDER BY number DESC LIMIT 1",
                &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "document");
  sqlite3_bind_int64(st, 1, is->series_id);
  bind_text(st, 2, is->date_iso);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const char *when = vn_date(&is->a, col(st, 1));
    const char *later = when ? aprintf(&is->a, "%s (%s)", col(st, 0), when)
                             : NULL;
    sqlite3_finalize(st);
    return later ? reg_diag(r, VB_C_REG_ORDER, is->date_vn, later)
                 : VB_ENOMEM;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return db_fail(r, rc, "document");
  rc = prep(r, "SELECT COALESCE(MAX(number), 0) FROM document WHERE "
               "series_id = ?1",
            &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "document");
  sqlite3_bind_int64(st, 1, is->series_id);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    is->number = (long)sqlite3_column_int64(st, 0) + 1;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW)
    return db_fail(r, rc, "document");
  if (is->number > VB_MAX_NUMBER) {
    char lim[32];
    snprintf(lim, sizeof(lim), "%d", VB_MAX_NUMBER);
    if (!vb_diag_add(r->ctx, VB_C_LIMIT, r->path, 0, 0,
                     vb_tr(r->ctx, "số văn bản trong một hệ thống số",
                           "document numbers in one series"),
                     lim))
      return VB_ENOMEM;
    return VB_ELIMIT;
  }
  is->kind = ISSUE_NEW;
  is->version = 1;
  return VB_OK;
}

static vb_status copy_info(struct vb_issue *is, const vb_doc_info *info) {
  struct vb_arena *a = &is->a;
  is->type_code = vb_arena_strdup(a, info->type_code);
  is->type_name = vb_arena_strdup(a, info->type_name ? info->type_name : "");
  is->summary = vb_arena_strdup(a, info->summary ? info->summary : "");
  is->signer = vb_arena_strdup(a, info->signer ? info->signer : "");
  is->signer_title =
      vb_arena_strdup(a, info->signer_title ? info->signer_title : "");
  is->secret = vb_arena_strdup(a, info->secret ? info->secret : "");
  return a->failed ? VB_ENOMEM : VB_OK;
}

/* Everything of vb_register_take() inside the write transaction. */
static vb_status take_locked(struct vb_issue *is, vb_doc *doc,
                             const vb_doc_info *info, unsigned flags) {
  struct vb_register *r = is->reg;
  sqlite3_int64 body = 0;
  sqlite3_stmt *st;
  vb_status s;
  int rc;
  s = find_body(r, info, &body);
  if (s == VB_OK)
    s = find_series(is, info, body);
  if (s != VB_OK)
    return s;
  rc = prep(r, "SELECT id, date, input_sha256, number, version, symbol, "
               "series_id FROM document WHERE doc_key = ?1",
            &st);
  if (rc != SQLITE_OK)
    return db_fail(r, rc, "document");
  bind_text(st, 1, is->key);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    s = known_document(is, st, flags);
  else if (rc == SQLITE_DONE)
    s = next_number(is);
  else
    s = db_fail(r, rc, "document");
  sqlite3_finalize(st);
  if (s == VB_OK)
    s = copy_info(is, info);
  if (s == VB_OK)
    s = recipients(is, doc);
  if (s == VB_OK && !(is->symbol = number_symbol(is, info)))
    s = VB_ENOMEM;
  if (s == VB_OK)
    s = vb_doc_set_number(doc, is->number);
  return s;
}

vb_status vb_register_take(vb_register *r, vb_doc *doc, const void *input,
                           size_t len, unsigned flags, vb_issue **out) {
  struct vb_issue *is;
  vb_doc_info info;
  char sha[2 * SHA256_DIGEST_SIZE + 1], buf[32];
  vb_status s;
  int rc;
  if (!r || !doc || !out || (!input && len) || r->open_issue)
    return VB_EUSAGE;
  *out = NULL;
  if (vb_doc_get_info(doc, &info) != VB_OK || info.composed)
    return VB_EUSAGE;
  if (!info.type_code)
    return reg_diag(r, VB_C_REG_NO_NUMBER, info.kind ? info.kind : "", NULL);
  if (!info.year || !info.symbol)
    return reg_diag(r, VB_C_REG_ARG, info.year ? "ky-hieu" : "ngay",
                    vb_tr(r->ctx, "văn bản cần có ngày và ký hiệu để cấp số",
                          "a document needs a date and a symbol to be "
                          "numbered"));
  is = vb_calloc(&r->ctx->mem, 1, sizeof(*is));
  if (!is)
    return VB_ENOMEM;
  is->reg = r;
  is->ctx = r->ctx;
  vb_arena_init(&is->a, &r->ctx->mem);
  sha256_hex(input ? input : "", len, sha);
  is->sha = vb_arena_strdup(&is->a, sha);
  /* a document without <van-ban ma="..."> is known by its bytes */
  {
    struct vb_buf k;
    vb_buf_init(&k, &r->ctx->mem, 1 << 20);
    vb_buf_printf(&k, info.id ? "ma:%s" : "sha256:%s", info.id ? info.id : sha);
    is->key = vb_buf_err(&k) ? NULL : vb_arena_strdup(&is->a, k.ptr);
    vb_buf_release(&k);
  }
  snprintf(buf, sizeof(buf), "%04d-%02d-%02d", info.year, info.month,
           info.day);
  is->date_iso = vb_arena_strdup(&is->a, buf);
  snprintf(buf, sizeof(buf), "%02d/%02d/%04d", info.day, info.month,
           info.year);
  is->date_vn = vb_arena_strdup(&is->a, buf);
  if (is->a.failed || !is->key) {
    vb_issue_free(is);
    return VB_ENOMEM;
  }
  /* BEGIN IMMEDIATE takes the write lock now and holds it while the
   * document renders and its files are written: the number is the next
   * one when taken and still free at commit, and a process that dies in
   * between leaves a journal that SQLite rolls back on the next open. */
  rc = exec(r, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) {
    s = db_fail(r, rc, "BEGIN IMMEDIATE");
    vb_issue_free(is);
    return s;
  }
  is->in_tx = 1;
  r->open_issue = is;
  s = take_locked(is, doc, &info, flags);
  if (s != VB_OK) {
    vb_issue_free(is);
    return s;
  }
  *out = is;
  return VB_OK;
}

vb_status vb_issue_get_info(const vb_issue *is, vb_issue_info *out) {
  if (!is || !out)
    return VB_EUSAGE;
  memset(out, 0, sizeof(*out));
  out->number = is->number;
  out->symbol = is->symbol;
  out->date = is->date_vn;
  out->series = is->series;
  out->again = is->kind == ISSUE_AGAIN;
  out->version = is->version;
  return VB_OK;
}

vb_status vb_issue_add_output(vb_issue *is, const char *path,
                              const unsigned char *data, size_t len) {
  struct output *o, **tail;
  if (!is || !is->in_tx || !path || (!data && len))
    return VB_EUSAGE;
  o = vb_arena_alloc(&is->a, sizeof(*o));
  if (!o || !(o->path = vb_arena_strdup(&is->a, path)))
    return VB_ENOMEM;
  sha256_hex(data ? (const void *)data : "", len, o->sha);
  for (tail = &is->outputs; *tail; tail = &(*tail)->next)
    ;
  *tail = o;
  return VB_OK;
}

static int step_done(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int write_document(struct vb_issue *is) {
  struct vb_register *r = is->reg;
  sqlite3_stmt *st;
  int rc;
  if (is->kind == ISSUE_NEW)
    rc = prep(r, "INSERT INTO document(type_code, type_name, summary, "
                 "signer, signer_title, recipients, kept_by, secret, "
                 "input_sha256, version, series_id, number, doc_key, symbol, "
                 "date, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                 "?9, ?10, ?11, ?12, ?13, ?14, ?15, " NOW_SQL ")",
              &st);
  else
    rc = prep(r, "UPDATE document SET type_code = ?1, type_name = ?2, "
                 "summary = ?3, signer = ?4, signer_title = ?5, "
                 "recipients = ?6, kept_by = ?7, secret = ?8, "
                 "input_sha256 = ?9, version = ?10 WHERE id = ?16",
              &st);
  if (rc != SQLITE_OK)
    return rc;
  bind_text(st, 1, is->type_code);
  bind_text(st, 2, is->type_name);
  bind_text(st, 3, is->summary);
  bind_text(st, 4, is->signer);
  bind_text(st, 5, is->signer_title);
  bind_text(st, 6, is->recipients);
  bind_text(st, 7, is->kept_by);
  bind_text(st, 8, is->secret);
  bind_text(st, 9, is->sha);
  sqlite3_bind_int(st, 10, is->version);
  if (is->kind == ISSUE_NEW) {
    sqlite3_bind_int64(st, 11, is->series_id);
    sqlite3_bind_int64(st, 12, is->number);
    bind_text(st, 13, is->key);
    bind_text(st, 14, is->symbol);
    bind_text(st, 15, is->date_iso);
  } else {
    sqlite3_bind_int64(st, 16, is->doc_row);
  }
  rc = step_done(st);
  if (rc == SQLITE_OK && is->kind == ISSUE_NEW)
    is->doc_row = sqlite3_last_insert_rowid(r->db);
  return rc;
}

static int write_outputs(struct vb_issue *is) {
  struct vb_register *r = is->reg;
  const struct output *o;
  sqlite3_stmt *st;
  int rc = SQLITE_OK;
  for (o = is->outputs; o && rc == SQLITE_OK; o = o->next) {
    rc = prep(r, "INSERT OR REPLACE INTO output(document_id, path, sha256, "
                 "version) VALUES (?1, ?2, ?3, ?4)",
              &st);
    if (rc != SQLITE_OK)
      break;
    sqlite3_bind_int64(st, 1, is->doc_row);
    bind_text(st, 2, o->path);
    bind_text(st, 3, o->sha);
    sqlite3_bind_int(st, 4, is->version);
    rc = step_done(st);
  }
  return rc;
}

vb_status vb_issue_commit(vb_issue *is) {
  struct vb_register *r;
  struct vb_buf d;
  const struct output *o;
  static const char *const action[] = {"issue", "render-again", "correct"};
  int rc;
  if (!is || !is->reg || !is->in_tx)
    return VB_EUSAGE;
  r = is->reg;
  vb_buf_init(&d, &r->ctx->mem, 1 << 20);
  vb_buf_printf(&d, "%s %s %s, %s sha256 %s", is->symbol, is->date_vn,
                is->series, is->key, is->sha);
  if (is->kind == ISSUE_CORRECT)
    vb_buf_printf(&d, ", version %d, was sha256 %s", is->version, is->old_sha);
  for (o = is->outputs; o; o = o->next)
    vb_buf_printf(&d, "; %s sha256 %s", o->path, o->sha);
  if (vb_buf_err(&d)) {
    vb_buf_release(&d);
    return VB_ENOMEM;
  }
  rc = is->kind == ISSUE_AGAIN ? SQLITE_OK : write_document(is);
  if (rc == SQLITE_OK)
    rc = write_outputs(is);
  if (rc == SQLITE_OK)
    rc = add_history(r, action[is->kind], is->doc_row, d.ptr);
  vb_buf_release(&d);
  if (rc == SQLITE_OK)
    rc = exec(r, "COMMIT");
  if (rc != SQLITE_OK) {
    vb_status s = db_fail(r, rc, "COMMIT");
    rollback(r);
    is->in_tx = 0;
    r->open_issue = NULL;
    return s;
  }
  is->in_tx = 0;
  r->open_issue = NULL;
  return VB_OK;
}

void vb_issue_free(vb_issue *is) {
  if (!is)
    return;
  if (is->reg) {
    if (is->in_tx)
      rollback(is->reg);
    if (is->reg->open_issue == is)
      is->reg->open_issue = NULL;
  }
  vb_arena_release(&is->a);
  vb_mfree(&is->ctx->mem, is);
}

/* --- listing ----------------------------------------------------------- */

vb_status vb_register_list(vb_register *r, const vb_register_filter *f,
                           vb_register_iter **out) {
  struct vb_register_iter *it;
  int rc;
  if (!r || !out)
    return VB_EUSAGE;
  *out = NULL;
  it = vb_calloc(&r->ctx->mem, 1, sizeof(*it));
  if (!it)
    return VB_ENOMEM;
  it->reg = r;
  rc = prep(r, "SELECT d.number, d.symbol, substr(d.date, 9, 2) || '/' || "
               "substr(d.date, 6, 2) || '/' || substr(d.date, 1, 4), "
               "d.type_code, d.type_name, d.summary, d.signer, d.recipients, "
               "d.kept_by, d.secret, s.name, d.doc_key, d.version "
               "FROM document d JOIN series s ON s.id = d.series_id "
               "WHERE (?1 = 0 OR substr(d.date, 1, 4) = printf('%04d', ?1)) "
               "AND (?2 IS NULL OR d.type_code = ?2) "
               "ORDER BY d.date, d.series_id, d.number",
            &it->st);
  if (rc != SQLITE_OK) {
    vb_mfree(&r->ctx->mem, it);
    return db_fail(r, rc, "list");
  }
  sqlite3_bind_int(it->st, 1, f ? f->year : 0);
  if (f && f->type_code)
    sqlite3_bind_text(it->st, 2, f->type_code, -1, SQLITE_TRANSIENT);
  *out = it;
  return VB_OK;
}

vb_status vb_register_next(vb_register_iter *it, const vb_entry **out) {
  vb_entry *e;
  int rc;
  if (!it || !out)
    return VB_EUSAGE;
  *out = NULL;
  rc = sqlite3_step(it->st);
  if (rc == SQLITE_DONE)
    return VB_OK;
  if (rc != SQLITE_ROW)
    return db_fail(it->reg, rc, "list");
  e = &it->entry;
  e->number = (long)sqlite3_column_int64(it->st, 0);
  e->symbol = col(it->st, 1);
  e->date = col(it->st, 2);
  e->type_code = col(it->st, 3);
  e->type_name = col(it->st, 4);
  e->summary = col(it->st, 5);
  e->signer = col(it->st, 6);
  e->recipients = col(it->st, 7);
  e->kept_by = col(it->st, 8);
  e->secret = col(it->st, 9);
  e->series = col(it->st, 10);
  e->id = col(it->st, 11);
  e->version = sqlite3_column_int(it->st, 12);
  *out = e;
  return VB_OK;
}

void vb_register_iter_free(vb_register_iter *it) {
  if (!it)
    return;
  sqlite3_finalize(it->st);
  vb_mfree(&it->reg->ctx->mem, it);
}
