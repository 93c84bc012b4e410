#include "config.h"

#include "i18n.h"
#include "text.h"

#include <curses.h>
#include <libconfig.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int settings_parse_key(const char *name)
{
    static const struct {
        const char *name;
        int key;
    } named[] = {
        {"Enter", '\n'},
        {"Tab", '\t'},
        {"Space", ' '},
        {"Escape", 27},
        {"Up", KEY_UP},
        {"Down", KEY_DOWN},
        {"Left", KEY_LEFT},
        {"Right", KEY_RIGHT},
        {"PageUp", KEY_PPAGE},
        {"PageDown", KEY_NPAGE},
        {"Home", KEY_HOME},
        {"End", KEY_END},
        {"Backspace", KEY_BACKSPACE},
        {"Delete", KEY_DC},
    };
    if (!name || !*name)
        return -1;
    if (name[1] == '\0' && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 127)
        return (unsigned char)name[0];
    /* "^r" or "C-r": the letter must be there before looking past it ("C-" is too short). */
    size_t len = strlen(name);
    const char *control = len == 2 && name[0] == '^'                    ? name + 1
                          : len == 3 && strncasecmp(name, "C-", 2) == 0 ? name + 2
                                                                        : NULL;
    if (control) {
        char c = *control;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c >= '@' && c <= '_')
            return c - '@';
        return -1;
    }
    if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 12)
            return KEY_F((int)n);
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcasecmp(name, named[i].name) == 0)
            return named[i].key;
    return -1;
}

static void bind_key(struct settings *s, int key, const char *command)
{
    for (int i = 0; i < s->binding_count; i++) {
        if (s->bindings[i].key == key) {
            free(s->bindings[i].command);
            s->bindings[i].command = strdup(command);
            return;
        }
    }
    if (s->binding_count < KEY_BINDINGS_MAX) {
        s->bindings[s->binding_count].key = key;
        s->bindings[s->binding_count].command = strdup(command);
        s->binding_count++;
    }
}

static void settings_defaults(struct settings *s)
{
    memset(s, 0, sizeof *s);
    s->default_filter = strdup("home");
    s->tick_seconds = 1;
    s->sweep_seconds = 60;
    s->colors = COLOR_AUTO; /* the default keys are the request table's (request.h) */
}

bool settings_zone_name_ok(const char *name)
{
    if (!name || !*name || *name == '/' || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
            return false;
    return true;
}

const char *settings_time_zone(const struct settings *s, const char *pgtz, const char *tz)
{
    if (s->time_zone)
        return s->time_zone;
    if (pgtz && *pgtz)
        return NULL; /* libpq sends it already */
    if (tz && *tz == ':')
        tz++;
    return settings_zone_name_ok(tz) ? tz : NULL;
}

/* The settings a file may hold: group.name and the libconfig type each must have. */
static const struct {
    const char *path;
    int type;
} known_settings[] = {
    {"database", CONFIG_TYPE_GROUP},
    {"database.conninfo", CONFIG_TYPE_STRING},
    {"console", CONFIG_TYPE_GROUP},
    {"console.filter", CONFIG_TYPE_STRING},
    {"console.tick", CONFIG_TYPE_INT},
    {"console.sweep", CONFIG_TYPE_INT},
    {"console.colors", CONFIG_TYPE_STRING},
    {"console.sla_warning", CONFIG_TYPE_INT},
    {"console.time_zone", CONFIG_TYPE_STRING},
    {"keys", CONFIG_TYPE_LIST},
    /* read by src/mail/mail_settings.c for tuki mail-in and tuki worker */
    {"mail", CONFIG_TYPE_GROUP},
    {"mail.from", CONFIG_TYPE_STRING},
    {"mail.sendmail", CONFIG_TYPE_STRING},
    {"mail.tag", CONFIG_TYPE_STRING},
    {"mail.socket", CONFIG_TYPE_STRING},
};

static const char *type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP:
        return _("a group { ... }");
    case CONFIG_TYPE_STRING:
        return _("a string in double quotes");
    case CONFIG_TYPE_INT:
        return _("a whole number");
    case CONFIG_TYPE_LIST:
        return _("a list ( ... )");
    default:
        return _("another type");
    }
}

static int fail_at(config_setting_t *st, const char *path, char **err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* *err = "path:line: message" (text_printf's). */
static int fail_at(config_setting_t *st, const char *path, char **err, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    *err = NULL;
    if (msg)
        *err = text_printf("%s:%d: %s", path, config_setting_source_line(st), msg);
    free(msg);
    return -1;
}

/* An optional integer setting: stored in *out when present and within [min, max]; a value
 * outside names its file:line and the range, which reads "'NAME' must be RANGE". */
static int load_int(config_t *cfg, const char *name, int min, int max, const char *range, int *out,
                    const char *path, char **err)
{
    int num;
    if (!config_lookup_int(cfg, name, &num))
        return 0;
    if (num < min || num > max) {
        /* TRANSLATORS: a setting's name (console.tick), then what it may be (1 to 60 seconds,
           a whole number). */
        return fail_at(config_lookup(cfg, name), path, err, _("'%s' must be %s"), name, range);
    }
    *out = num;
    return 0;
}

/* Every setting must be known and of the right type; unknown ones are warned about. */
static int check_tree(config_setting_t *group, const char *prefix, const char *path,
                      void (*warn)(const char *), char **err)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        config_setting_t *st = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(st);
        char *full = NULL;
        if (asprintf(&full, "%s%s%s", prefix, *prefix ? "." : "", name ? name : "") < 0)
            return fail_at(st, path, err, "%s", _("out of memory"));
        int want = -1;
        for (size_t k = 0; k < sizeof known_settings / sizeof known_settings[0]; k++)
            if (strcmp(known_settings[k].path, full) == 0)
                want = known_settings[k].type;
        if (want < 0) {
            char *line = NULL;
            if (asprintf(&line, _("%s:%d: unknown setting '%s' ignored"), path,
                         config_setting_source_line(st), full) >= 0)
                warn(line);
            free(line);
            free(full);
            continue;
        }
        int type = config_setting_type(st);
        int rc = 0;
        if (type != want)
            rc = fail_at(st, path, err, _("'%s' must be %s"), full, type_name(want));
        else if (type == CONFIG_TYPE_GROUP)
            rc = check_tree(st, full, path, warn, err);
        free(full);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int load_bindings(struct settings *s, config_setting_t *list, const char *path, char **err)
{
    int n = config_setting_length(list);
    for (int i = 0; i < n; i++) {
        config_setting_t *item = config_setting_get_elem(list, (unsigned)i);
        const char *key = NULL, *command = NULL;
        if (config_setting_type(item) != CONFIG_TYPE_GROUP ||
            !config_setting_lookup_string(item, "key", &key) ||
            !config_setting_lookup_string(item, "command", &command))
            return fail_at(
                item, path, err, "%s",
                _("each entry of 'keys' must be { key = \"t\"; command = \"take %i\"; }"));
        int code = settings_parse_key(key);
        if (code < 0)
            return fail_at(item, path, err, _("unknown key name '%s'"), key);
        if (code == ':' || code == 'q')
            return fail_at(item, path, err, _("key '%s' cannot be rebound"), key);
        bind_key(s, code, command);
    }
    return 0;
}

int settings_load(struct settings *s, const char *path, void (*warn)(const char *line), char **err)
{
    *err = NULL;
    settings_defaults(s);
    if (!path)
        return 0;
    s->path = strdup(path);

    config_t cfg;
    config_init(&cfg);
    int rc = -1;
    if (!config_read_file(&cfg, path)) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            *err = text_printf(_("%s: cannot read the file"), path);
        else
            *err = text_printf("%s:%d: %s", path, config_error_line(&cfg), config_error_text(&cfg));
        goto out;
    }
    config_setting_t *root = config_root_setting(&cfg);
    if (check_tree(root, "", path, warn, err) < 0)
        goto out;

    const char *str;
    if (config_lookup_string(&cfg, "database.conninfo", &str))
        s->conninfo = strdup(str);
    if (config_lookup_string(&cfg, "console.filter", &str)) {
        free(s->default_filter);
        s->default_filter = strdup(str);
    }
    if (load_int(&cfg, "console.tick", 1, 60, _("1 to 60 seconds"), &s->tick_seconds, path, err) <
            0 ||
        load_int(&cfg, "console.sweep", 10, 3600, _("10 to 3600 seconds"), &s->sweep_seconds, path,
                 err) < 0 ||
        load_int(&cfg, "console.sla_warning", 1, 99, _("a percentage from 1 to 99"),
                 &s->sla_warning_percent, path, err) < 0)
        goto out;
    if (config_lookup_string(&cfg, "console.time_zone", &str)) {
        if (!settings_zone_name_ok(str)) {
            fail_at(config_lookup(&cfg, "console.time_zone"), path, err, "%s",
                    "'console.time_zone' must be a time zone name such as \"Europe/Helsinki\"");
            goto out;
        }
        free(s->time_zone);
        s->time_zone = strdup(str);
    }
    if (config_lookup_string(&cfg, "console.colors", &str)) {
        static const char *names[] = {"auto", "none", "8", "256"};
        int found = -1;
        for (int i = 0; i < 4; i++)
            if (strcmp(str, names[i]) == 0)
                found = i;
        if (found < 0) {
            fail_at(config_lookup(&cfg, "console.colors"), path, err, "%s",
                    _("'console.colors' must be \"auto\", \"none\", \"8\" or \"256\""));
            goto out;
        }
        s->colors = (enum color_mode)found;
    }
    config_setting_t *keys = config_lookup(&cfg, "keys");
    if (keys && load_bindings(s, keys, path, err) < 0)
        goto out;
    rc = 0;
out:
    config_destroy(&cfg);
    return rc;
}

void settings_free(struct settings *s)
{
    free(s->path);
    free(s->conninfo);
    free(s->default_filter);
    free(s->time_zone);
    for (int i = 0; i < s->binding_count; i++)
        free(s->bindings[i].command);
    memset(s, 0, sizeof *s);
}
