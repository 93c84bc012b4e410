/* libFuzzer: settings_load on any file contents (written to a temporary file, as the
 * loader reads a path), and settings_parse_key on the same bytes as a key name. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[] = "/tmp/tuki-fuzz-conf-XXXXXX";

static void ignore_warning(const char *line)
{
    if (!line)
        abort();
}

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    atexit(remove_file);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);

    struct settings s;
    char *err = NULL;
    int rc = settings_load(&s, path, ignore_warning, &err);
    if (rc != 0 && (rc != -1 || !err || !*err))
        abort(); /* a refusal always says why */
    if (rc == 0 && err)
        abort(); /* and nothing is left to free when it does not refuse */
    free(err);
    settings_free(&s);

    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    settings_parse_key(name);
    free(name);
    return 0;
}
