/* Settings from the libconfig file: validated once at start-up into plain data. */
#ifndef TUKI_CONFIG_H
#define TUKI_CONFIG_H

#include "config_file.h"

#include <stdbool.h>
#include <stddef.h>

#define KEY_BINDINGS_MAX 64

enum color_mode { COLOR_AUTO, COLOR_NONE, COLOR_8, COLOR_256 };

struct key_binding {
    int key;       /* an ncurses key code or a byte */
    char *command; /* a console command line, as typed at the prompt */
};

struct settings {
    char *path;              /* the file read, or NULL when defaults only */
    char *conninfo;          /* database.conninfo, NULL for libpq's defaults */
    char *default_filter;    /* console.filter */
    int tick_seconds;        /* console.tick: how often timers repaint */
    int sweep_seconds;       /* console.sweep: how often tuki.sla_sweep() runs */
    enum color_mode colors;  /* console.colors */
    int sla_warning_percent; /* console.sla_warning: yellow from this share; 0 = the schema's */
    char *time_zone;         /* console.time_zone: the zone times are shown in, NULL if unset */
    int binding_count;
    struct key_binding bindings[KEY_BINDINGS_MAX];
};

/* Fills s with defaults, then with the file at path (if not NULL).
 * Returns 0, or -1 with "file:line: what is wrong" in *err (newly allocated: the caller frees
 * it; NULL when out of memory). Warnings about unknown settings go to warn(…) one line each. */
int settings_load(struct settings *s, const char *path, void (*warn)(const char *line), char **err);

void settings_free(struct settings *s);

/* Whether name looks like an IANA time zone name ("Europe/Helsinki", "UTC", "Etc/GMT-2"):
 * letters, digits and / _ - + only, not a path. PostgreSQL decides whether it exists. */
bool settings_zone_name_ok(const char *name);

/* The zone the console's session should use: console.time_zone, else nothing when PGTZ is set
 * (libpq sends that itself), else $TZ (a leading ':' dropped) when it is a zone name, else
 * NULL (the server's zone). */
const char *settings_time_zone(const struct settings *s, const char *pgtz, const char *tz);

/* Parses a key name as written in the file: "t", "^R"/"C-r", "Enter", "Tab", "F5", "Up". -1 if
 * unknown. */
int settings_parse_key(const char *name);

#endif
