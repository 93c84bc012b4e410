/* What each key does: the request table's default keys, then the bindings of tuki.conf
 * (a binding names a request, e.g. "move-down", or is a command string, as in tmux). */
#ifndef TUKI_KEYMAP_H
#define TUKI_KEYMAP_H

#include "config.h"
#include "request.h"

#include <stddef.h>

struct key_action {
    int key;
    enum request request; /* REQ_NONE: run command */
    char *command;        /* a command template of the user's (%i, a leading ':') */
};

struct keymap {
    struct key_action *items;
    int count;
};

void keymap_build(struct keymap *map, const struct settings *settings);
void keymap_free(struct keymap *map);

/* What the key does, or NULL. */
const struct key_action *keymap_find(const struct keymap *map, int key);

/* The command template an action runs: the user's, or its request's; NULL for requests the
 * console and panes act on themselves. */
const char *keymap_command(const struct key_action *action);

/* "j", "Enter", "^L", "F5", "Down": how a key is written in tuki.conf and in the help.
 * One key's name is short (ours, or ncurses' keyname(), "kDC5"): KEYMAP_KEY_NAME_SIZE holds it. */
#define KEYMAP_KEY_NAME_SIZE 32
void keymap_key_name(int key, char *buf, size_t n);

/* The '?' help: every request with its keys, the user's command bindings, then the commands
 * (commands_text). Newly allocated. */
char *keymap_help(const struct keymap *map, const char *commands_text);

#endif
