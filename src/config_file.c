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
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/tuki/tuki.conf", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.config/tuki/tuki.conf", home);
    else
        buf[0] = '\0';
    if (buf[0] && access(buf, F_OK) == 0)
        return strdup(buf);
    if (access("/etc/tuki.conf", F_OK) == 0)
        return strdup("/etc/tuki.conf");
    return NULL;
}
