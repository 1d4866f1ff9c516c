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

/* Input files larger than this are refused before parsing (the library
 * applies its own, smaller limit too). */
#define MAX_READ ((size_t)64 << 20)

/* The Vietnamese or the English text. */
const char *cli_tr(vb_lang lang, const char *vi, const char *en);
/* Prints the usage of every subcommand. */
void cli_usage(FILE *fp, vb_lang lang);
/* Reads a whole file, or standard input for "-"; NULL with errno set. The
 * caller frees with free(). */
char *cli_read_input(const char *path, size_t *len);
/* Prints every diagnostic of ctx with its source line and caret (when
 * `data` is the text of the file they point into), then the counts. */
void cli_print_diags(vb_ctx *ctx, vb_lang lang, const char *data,
                     size_t len);

/* The diagnostics of ctx as a JSON array (json.c). */
void cli_print_diags_json(vb_ctx *ctx, vb_lang lang, FILE *fp);

/* Subcommands: argc/argv start at the subcommand's name. */
int cli_render(int argc, char **argv);    /* check, render */
int cli_templates(int argc, char **argv); /* templates [NAME] */
int cli_form(int argc, char **argv);      /* form KIND */
int cli_extract(int argc, char **argv);   /* extract */
int cli_register(int argc, char **argv); /* register init|list|export|... */
int cli_batch(int argc, char **argv);    /* batch KIND LIST */
/* `render --register`: reads `input`, takes its number from the register
 * at reg_path, renders `formats` and writes each to path_of(o, format)
 * (malloc'd), then records it. Returns the exit status. */
int cli_register_render(const char *reg_path, int correct,
                        const vb_options *lib, const char *input,
                        int formats,
                        char *(*path_of)(const void *o, int format),
                        const void *o);

#endif
