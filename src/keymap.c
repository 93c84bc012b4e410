#include "keymap.h"

#include "i18n.h"
#include "text.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind(struct keymap *map, int key, enum request request, const char *command)
{
    struct key_action *a = NULL;
    for (int i = 0; i < map->count; i++)
        if (map->items[i].key == key)
            a = &map->items[i];
    if (!a) {
        map->items = realloc(map->items, ((size_t)map->count + 1) * sizeof *map->items);
        a = &map->items[map->count++];
        a->command = NULL;
    }
    free(a->command);
    a->key = key;
    a->request = request;
    a->command = command ? strdup(command) : NULL;
}

void keymap_build(struct keymap *map, const struct settings *settings)
{
    memset(map, 0, sizeof *map);
    for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
        char *keys = strdup(requests[r].keys), *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            int code = settings_parse_key(k);
            if (code >= 0)
                bind(map, code, (enum request)r, NULL);
        }
        free(keys);
    }
    for (int i = 0; i < settings->binding_count; i++) {
        const struct key_binding *b = &settings->bindings[i];
        enum request r = request_by_name(b->command);
        bind(map, b->key, r, r == REQ_NONE ? b->command : NULL);
    }
}

void keymap_free(struct keymap *map)
{
    for (int i = 0; i < map->count; i++)
        free(map->items[i].command);
    free(map->items);
    memset(map, 0, sizeof *map);
}

const struct key_action *keymap_find(const struct keymap *map, int key)
{
    for (int i = 0; i < map->count; i++)
        if (map->items[i].key == key)
            return &map->items[i];
    return NULL;
}

const char *keymap_command(const struct key_action *action)
{
    return action->request == REQ_NONE ? action->command : requests[action->request].command;
}

void keymap_key_name(int key, char *buf, size_t n)
{
    static const struct {
        int key;
        const char *name;
    } named[] = {
        {'\n', "Enter"},
        {'\t', "Tab"},
        {' ', "Space"},
        {27, "Escape"},
        {KEY_UP, "Up"},
        {KEY_DOWN, "Down"},
        {KEY_LEFT, "Left"},
        {KEY_RIGHT, "Right"},
        {KEY_PPAGE, "PageUp"},
        {KEY_NPAGE, "PageDown"},
        {KEY_HOME, "Home"},
        {KEY_END, "End"},
        {KEY_BACKSPACE, "Backspace"},
        {KEY_DC, "Delete"},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (named[i].key == key) {
            snprintf(buf, n, "%s", named[i].name);
            return;
        }
    }
    if (key < 32)
        snprintf(buf, n, "^%c", key + '@');
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, n, "F%d", key - KEY_F(0));
    else if (key < 127)
        snprintf(buf, n, "%c", key);
    else
        snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
}

struct text {
    char *s;
    size_t len;
};

static void append(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void append(struct text *t, const char *fmt, ...)
{
    char *piece = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&piece, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->s = realloc(t->s, t->len + (size_t)n + 1);
    memcpy(t->s + t->len, piece, (size_t)n + 1);
    t->len += (size_t)n;
    free(piece);
}

/* All keys of one request, "j Down x": newly allocated, "" when it has none, NULL without
 * memory. Not a fixed buffer: a user's file may bind any number of keys to one request. */
static char *keys_of(const struct keymap *map, enum request r)
{
    struct text t = {0};
    for (int i = 0; i < map->count; i++) {
        const struct key_action *a = &map->items[i];
        if (a->request != r)
            continue;
        char name[KEYMAP_KEY_NAME_SIZE];
        keymap_key_name(a->key, name, sizeof name);
        append(&t, "%s%s", t.len ? " " : "", name);
    }
    return t.s ? t.s : strdup("");
}

char *keymap_help(const struct keymap *map, const char *commands_text)
{
    struct text t = {0};
    int column = 0;
    append(&t, "%s", _("Keys\n"));
    for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
        char *keys = keys_of(map, (enum request)r);
        if (!keys || !*keys) {
            free(keys);
            continue; /* rebound away: the user's binding is listed below */
        }
        /* Two to a line, so that the commands below still fit a small pane. */
        const char *help = _(requests[r].help);
        if (column)
            append(&t, "  %-14s %s\n", keys, help);
        else /* padded by display columns: translations have letters of two bytes */
            append(&t, "  %-14s %s%*s", keys, help,
                   text_width(help) < 28 ? 28 - text_width(help) : 0, "");
        free(keys);
        column = !column;
    }
    if (column)
        append(&t, "\n");
    bool header = false;
    for (int i = 0; i < map->count; i++) {
        const struct key_action *a = &map->items[i];
        if (a->request != REQ_NONE)
            continue;
        if (!header)
            append(&t, "%s", _("Your bindings (tuki.conf)\n"));
        header = true;
        char name[KEYMAP_KEY_NAME_SIZE];
        keymap_key_name(a->key, name, sizeof name);
        append(&t, "  %-14s %s\n", name, a->command);
    }
    /* TRANSLATORS: %%i stays as it is: the placeholder tuki.conf bindings use for the ticket. */
    append(&t, _("\nCommands (%%i = the selected ticket)\n%s"), commands_text);
    return t.s;
}
