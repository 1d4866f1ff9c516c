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
