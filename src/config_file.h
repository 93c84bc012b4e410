/* Which tuki.conf is read: apart from config.c, because the small front program (front.c)
 * needs it too and links nothing but libc and libconfig. */
#ifndef TUKI_CONFIG_FILE_H
#define TUKI_CONFIG_FILE_H

/* Where the configuration comes from: explicit path, else $XDG_CONFIG_HOME/tuki/tuki.conf,
 * else /etc/tuki.conf; NULL when none exists. Caller frees. */
char *settings_find_file(const char *explicit_path);

#endif
