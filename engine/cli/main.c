/* main.c - the `vanban` command: dispatches to its subcommands (cli.h).
 * Uses only the public header. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"

static const struct command {
  const char *name;
  int (*run)(int argc, char **argv);
} commands[] = {
    {"check", cli_render},
    {"render", cli_render},
    {"templates", cli_templates},
    {"form", cli_form},
    {"extract", cli_extract},
    {"register", cli_register},
};

int main(int argc, char **argv) {
  size_t i;
  int k;
  vb_lang lang;
#ifdef __GLIBC__
  /* libharu allocates and frees 128 KB maps per face and many small
   * buffers: without these glibc maps, unmaps and trims them again and
   * again, a third of a short run. A process-wide choice, so the command
   * makes it, not the library. */
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
  if (argc == 2 && !strcmp(argv[1], "--version")) {
    printf("vanban %s\n", vb_version());
    return 0;
  }
  lang = cli_lang(argc, argv);
  /* "--lang en" before the subcommand too: moved after it, where the
   * subcommand reads it as one of its options */
  for (k = 1; k + 2 < argc && !strcmp(argv[k], "--lang"); k += 2)
    ;
  if (k > 1 && k < argc) {
    char *cmd = argv[k];
    memmove(argv + 2, argv + 1, (size_t)(k - 1) * sizeof(*argv));
    argv[1] = cmd;
  }
  /* vanban --help, vanban help [COMMAND], vanban COMMAND ... --help */
  if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
                   !strcmp(argv[1], "help"))) {
    for (k = 2; k < argc; k++)
      if (argv[k][0] != '-') {
        if (cli_help(stdout, lang, argv[k]))
          return 0;
        cli_unknown_command(lang, argv[k]);
        return EXIT_USAGE;
      } else if (!strcmp(argv[k], "--lang")) {
        k++;
      }
    cli_usage(stdout, lang);
    return 0;
  }
  for (i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
    if (!strcmp(argv[1], commands[i].name)) {
      if (cli_wants_help(argc - 1, argv + 1)) {
        cli_help(stdout, lang, argv[1]);
        return 0;
      }
      return commands[i].run(argc - 1, argv + 1);
    }
  if (argc > 1)
    cli_unknown_command(lang, argv[1]);
  else
    cli_usage(stderr, lang);
  return EXIT_USAGE;
}
