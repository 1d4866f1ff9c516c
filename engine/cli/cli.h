/* cli.h - what the subcommands of the `vanban` command share. The command
 * uses only the public header; these files are the only ones that print. */
#ifndef VB_CLI_H
#define VB_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "../vanban.h"

/* Exit statuses */
#define EXIT_INPUT 1 /* the input has errors, or rendering failed */
#define EXIT_USAGE 2

/* Input files are read up to one byte past this; the library then says
 * the file is over its own, smaller limit (X009). */
#define MAX_READ ((size_t)64 << 20)

struct stat;

/* The Vietnamese or the English text. */
const char *cli_tr(vb_lang lang, const char *vi, const char *en);
/* Prints the usage of every subcommand. */
void cli_usage(FILE *fp, vb_lang lang);
/* Prints the usage and options of one subcommand; 0 when there is no
 * such subcommand (nothing printed). */
int cli_help(FILE *fp, vb_lang lang, const char *cmd);
/* The language of the messages: English when "--lang en" is anywhere in
 * argv (the last --lang wins), so that even the first usage error of a
 * line is in the chosen language. */
vb_lang cli_lang(int argc, char **argv);
/* 1 when argv[1..] holds --help or -h. */
int cli_wants_help(int argc, char **argv);
/* Usage errors, each naming the argument and what is allowed, on stderr:
 *   vanban: OPT "VALUE": why               (cli_bad_arg; value may be NULL)
 *   vanban CMD: ARG: no such option; the options of CMD: ...
 *   vanban: OPT: the value after it is missing (allowed)
 *   vanban CMD: "ARG": one argument too many; CMD takes ...
 *   vanban CMD: WHAT is missing
 *   vanban: "ARG": no such command; the commands: ... */
void cli_bad_arg(vb_lang lang, const char *opt, const char *value,
                 const char *vi, const char *en);
void cli_unknown_option(vb_lang lang, const char *cmd, const char *arg);
void cli_missing_value(vb_lang lang, const char *opt, const char *vi,
                       const char *en);
void cli_extra_arg(vb_lang lang, const char *cmd, const char *arg,
                   const char *vi, const char *en);
void cli_missing_arg(vb_lang lang, const char *cmd, const char *vi,
                     const char *en);
void cli_unknown_command(vb_lang lang, const char *arg);
/* "PATH: lỗi[X005]: không đọc được tệp: why" (errno err, translated). */
void cli_read_error(vb_lang lang, const char *path, int err);
/* "vanban: PATH: không ghi được tệp: why" (errno err, translated). */
void cli_write_error(vb_lang lang, const char *path, int err);
/* "1 error, 2 warnings" / "1 lỗi, 2 cảnh báo" (no newline). */
void cli_counts(FILE *fp, vb_lang lang, size_t errs, size_t warns);
/* "đã ghi a.pdf (3 trang), a.docx" on stderr: the n paths (NULL and "-"
 * skipped; pages NULL or 0: no page count); nothing when none is left. */
void cli_written(vb_lang lang, const char *const *paths, const int *pages,
                 size_t n);
/* Reads a whole file, or standard input for "-", and fills *st (fstat).
 * Opened non-blocking: with `regular_only` anything but a regular file is
 * refused (errno EINVAL); a folder is EISDIR. NULL with errno set; the
 * caller frees with free(). */
char *cli_read_file(const char *path, size_t *len, int regular_only,
                    struct stat *st);
/* cli_read_file() of any kind of file, without the stat. */
char *cli_read_input(const char *path, size_t *len);
/* Writes s with every control character escaped ("\x1B", "\u202E"). */
void cli_put(FILE *fp, const char *s);
/* Prints every diagnostic of ctx, escaped, then the counts. Under a
 * diagnostic of the file `name`, its source line from `data` with a caret;
 * under one of another file (a profile), that file's own line. With `name`
 * NULL, no source line at all. */
void cli_print_diags(vb_ctx *ctx, vb_lang lang, const char *name,
                     const char *data, size_t len);

/* The diagnostics of ctx as a JSON array (json.c). */
void cli_print_diags_json(vb_ctx *ctx, vb_lang lang, FILE *fp);

/* Subcommands: argc/argv start at the subcommand's name. */
int cli_render(int argc, char **argv);    /* check, render */
int cli_templates(int argc, char **argv); /* templates [NAME] */
int cli_form(int argc, char **argv);      /* form KIND */
int cli_extract(int argc, char **argv);   /* extract */
int cli_register(int argc, char **argv); /* register init|list|export|... */
/* `render --register`: reads `input`, takes its number from the register
 * at reg_path, renders `formats` and writes each to path_of(o, format)
 * (malloc'd), then records it. Returns the exit status. */
int cli_register_render(const char *reg_path, int correct,
                        const vb_options *lib, const char *input,
                        int formats,
                        char *(*path_of)(const void *o, int format),
                        const void *o);

#endif
