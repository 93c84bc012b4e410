/* Every action the console knows, in one table (tig's request.h): its name (what a
 * tuki.conf binding may name), its default keys (as tuki.conf writes them, space
 * separated), its help line, and for actions that are commands, the command template
 * (%i = the selected ticket; a leading ':' puts it on the prompt instead of running it).
 * The key map and the '?' help are built from this table and nothing else. */
#ifndef TUKI_REQUEST_H
#define TUKI_REQUEST_H

#include "i18n.h"

#define REQUEST_LIST(R)                                                                            \
    R(MOVE_DOWN, "move-down", "j Down", N_("next line"), NULL)                                     \
    R(MOVE_UP, "move-up", "k Up", N_("previous line"), NULL)                                       \
    R(PAGE_DOWN, "page-down", "Space PageDown", N_("next page"), NULL)                             \
    R(PAGE_UP, "page-up", "b PageUp", N_("previous page"), NULL)                                   \
    R(MOVE_FIRST, "move-first", "g Home", N_("first line"), NULL)                                  \
    R(MOVE_LAST, "move-last", "G End", N_("last line"), NULL)                                      \
    R(ENTER, "enter", "Enter", N_("open the selected ticket"), NULL)                               \
    R(NEXT_PANE, "next-pane", "Tab", N_("next pane"), NULL)                                        \
    R(PROMPT, "prompt", ":", N_("the command prompt"), NULL)                                       \
    R(SEARCH, "search", "/", N_("search tickets"), NULL)                                           \
    R(HELP, "help", "?", N_("this help"), NULL)                                                    \
    R(CANCEL, "cancel", "Escape", N_("cancel a waiting statement"), NULL)                          \
    R(QUIT, "quit", "q", N_("quit"), NULL)                                                         \
    R(TAKE, "take-selected", "t", N_("take the selected ticket"), "take %i")                       \
    R(ASSIGN, "assign-selected", "a", N_("assign the selected ticket"), ":assign %i ")             \
    R(REPLY, "reply-selected", "r", N_("reply in the editor"), "reply %i")                         \
    R(NOTE, "note-selected", "n", N_("internal note in the editor"), "note %i")                    \
    R(STATUS, "status-selected", "s", N_("change the status"), ":status %i ")                      \
    R(WORKLOAD, "workload", "w", N_("workload per agent"), "workload")                             \
    R(REDRAW, "redraw", "^L", N_("repaint the screen"), "redraw")                                  \
    R(RELOAD, "reload", "R", N_("query everything again"), "reload")                               \
    R(EDIT, "edit-selected", "e", N_("edit the ticket's fields"), "edit %i")                       \
    R(NEW, "new-ticket", "N", N_("new ticket (editor form)"), "new")

enum request {
    REQ_NONE,
#define REQUEST_ENUM(id, name, keys, help, command) REQ_##id,
    REQUEST_LIST(REQUEST_ENUM)
#undef REQUEST_ENUM
        REQ_COUNT
};

struct request_info {
    enum request request;
    const char *name;
    const char *keys;
    const char *help;
    const char *command; /* NULL: the console or a pane acts on it */
};

/* The table, indexed by request (entry 0 is REQ_NONE). */
extern const struct request_info requests[REQ_COUNT];

/* The request of that name, or REQ_NONE. */
enum request request_by_name(const char *name);

#endif
