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
    {"batch", cli_batch},
};

int main(int argc, char **argv) {
  size_t i;
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
  if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    cli_usage(stdout, VB_LANG_VI);
    return 0;
  }
  for (i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  cli_usage(stderr, VB_LANG_VI);
  return EXIT_USAGE;
}
