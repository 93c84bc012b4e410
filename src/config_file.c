#include "config_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *settings_find_file(const char *explicit_path)
{
    if (explicit_path)
        return strdup(explicit_path);
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *own = NULL;
    if (xdg && *xdg && asprintf(&own, "%s/tuki/tuki.conf", xdg) < 0)
        own = NULL;
    else if (!(xdg && *xdg) && home && *home &&
             asprintf(&own, "%s/.config/tuki/tuki.conf", home) < 0)
        own = NULL;
    if (own && access(own, F_OK) == 0)
        return own;
    free(own);
    if (access("/etc/tuki.conf", F_OK) == 0)
        return strdup("/etc/tuki.conf");
    return NULL;
}
