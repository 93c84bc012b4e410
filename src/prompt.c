#include "prompt.h"

#include "cmdline.h"
#include "command.h"
#include "model.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define PROMPT_TEXT   "tuki: "
#define HISTORY_LINES 2000

void (*prompt_run_line)(struct app *app, const char *line);
void (*prompt_show_status)(struct app *app, const char *text);

static struct app *current_app;
static bool open_now;
static const unsigned char *feed_bytes;
static int feed_len, feed_pos;
static char history_path[4096];
static FILE *devnull;

/* readline reads its keys from what we were handed, never from the terminal. */
static int feed_getc(FILE *unused)
{
    (void)unused;
    if (feed_pos < feed_len)
        return feed_bytes[feed_pos++];
    return EOF;
}

static int feed_available(void)
{
    return feed_pos < feed_len;
}

static void no_terminal_prep(int meta)
{
    (void)meta;
}

static void no_terminal_deprep(void)
{
}

static void redisplay(void)
{
    if (current_app)
        prompt_draw(current_app);
}

static void on_line(char *line)
{
    struct app *app = current_app;
    rl_callback_handler_remove();
    open_now = false;
    if (app)
        app->prompt_active = false;
    curs_set(0);
    if (!line) /* Ctrl-D on an empty line */
        return;
    if (*line) {
        HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
        if (!last || strcmp(last->line, line) != 0)
            add_history(line);
        if (prompt_run_line)
            prompt_run_line(app, line);
    }
    free(line);
}

/* Completion candidates for the word being typed, by what the command expects there. */
static char **candidates;
static int candidate_next;

static char *next_candidate(const char *text, int state)
{
    (void)text;
    if (state == 0)
        candidate_next = 0;
    if (!candidates || !candidates[candidate_next])
        return NULL;
    return strdup(candidates[candidate_next++]);
}

static char **static_list(const char *const *words, const char *prefix)
{
    int n = 0;
    for (const char *const *w = words; *w; w++)
        n++;
    char **v = calloc((size_t)n + 1, sizeof *v);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (strncmp(words[i], prefix, strlen(prefix)) == 0)
            v[k++] = strdup(words[i]);
    return v;
}

static char **command_names(const char *prefix)
{
    const char *names[64];
    int n = 0;
    for (int i = 0; i < command_count && n < 63; i++)
        names[n++] = commands[i].name;
    names[n] = NULL;
    return static_list(names, prefix);
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    strv_free(candidates);
    candidates = NULL;
    size_t word_index = cmdline_word_at(rl_line_buffer, (size_t)start, NULL);
    if (word_index == 0) {
        candidates = command_names(text);
    } else {
        struct cmdline_words w;
        const struct command *c = NULL;
        if (cmdline_split(rl_line_buffer, 1, &w) == CMDLINE_OK) {
            if (w.count)
                c = command_find(w.word[0].text);
            cmdline_words_free(&w);
        }
        enum arg_kind kind = c && word_index <= 4 ? c->args[word_index - 1] : ARG_NONE;
        static const char *const filters[] = {"mine",      "unassigned", "breaching", "all",
                                              "customer:", "status:",    NULL};
        struct db *db = &current_app->db;
        switch (kind) {
        case ARG_ID:
        case ARG_IDS:
            candidates = completion_fetch(db, COMPLETE_ID, text);
            break;
        case ARG_AGENT:
            candidates = completion_fetch(db, COMPLETE_AGENT, text);
            break;
        case ARG_STATUS:
            candidates = completion_fetch(db, COMPLETE_STATUS, text);
            break;
        case ARG_CUSTOMER:
            candidates = completion_fetch(db, COMPLETE_CUSTOMER, text);
            break;
        case ARG_TEAM:
            candidates = completion_fetch(db, COMPLETE_TEAM, text);
            break;
        case ARG_COMMAND:
            candidates = command_names(text);
            break;
        case ARG_FILTER:
            if (strncmp(text, "customer:", 9) == 0) {
                char **codes = completion_fetch(db, COMPLETE_CUSTOMER, text + 9);
                int n = 0;
                while (codes[n])
                    n++;
                candidates = calloc((size_t)n + 1, sizeof *candidates);
                for (int i = 0; i < n; i++) {
                    size_t len = strlen(codes[i]) + 10;
                    candidates[i] = malloc(len);
                    snprintf(candidates[i], len, "customer:%s", codes[i]);
                }
                strv_free(codes);
            } else {
                candidates = static_list(filters, text);
            }
            break;
        default:
            break;
        }
    }
    if (candidates && candidates[0] && strchr(candidates[0], ':') &&
        candidates[0][strlen(candidates[0]) - 1] == ':' && !candidates[1])
        rl_completion_append_character = '\0'; /* customer: wants its code next */
    return rl_completion_matches(text, next_candidate);
}

/* Several matches: show them in the status line instead of letting readline print. */
static void show_matches(char **matches, int count, int longest)
{
    (void)longest;
    if (!current_app || !prompt_show_status)
        return;
    size_t cap = 32;
    for (int i = 1; i <= count; i++)
        cap += strlen(matches[i]) + 1;
    char *out = malloc(cap);
    size_t len = (size_t)snprintf(out, cap, "%d matches:", count);
    for (int i = 1; i <= count; i++)
        len += (size_t)snprintf(out + len, cap - len, " %s", matches[i]);
    prompt_show_status(current_app, out);
    free(out);
}

static void history_file(char *buf, size_t n)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[3500];
    if (state && *state)
        snprintf(dir, sizeof dir, "%s/tuki", state);
    else
        snprintf(dir, sizeof dir, "%s/.local/state/tuki", home && *home ? home : ".");
    /* mkdir -p, quietly: no history is better than no console. */
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
    snprintf(buf, n, "%s/history", dir);
}

void prompt_init(struct app *app)
{
    current_app = app;
    devnull = fopen("/dev/null", "w");
    rl_readline_name = "tuki"; /* for $if tuki in ~/.inputrc */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0;
    rl_getc_function = feed_getc;
    rl_input_available_hook = feed_available;
    rl_redisplay_function = redisplay;
    rl_prep_term_function = no_terminal_prep;
    rl_deprep_term_function = no_terminal_deprep;
    rl_outstream = devnull;
    rl_instream = stdin;
    rl_attempted_completion_function = complete;
    rl_completion_display_matches_hook = show_matches;
    rl_basic_word_break_characters = " \t";
    using_history();
    stifle_history(HISTORY_LINES);
    history_file(history_path, sizeof history_path);
    read_history(history_path);
}

void prompt_done(void)
{
    if (*history_path && write_history(history_path) != 0 && errno != ENOENT) {
        /* The history is a convenience; losing it is not worth an error on the way out. */
    }
    strv_free(candidates);
    candidates = NULL;
    if (open_now)
        rl_callback_handler_remove();
    if (devnull)
        fclose(devnull);
    devnull = NULL;
    current_app = NULL;
}

bool prompt_is_open(void)
{
    return open_now;
}

void prompt_open(struct app *app, const char *initial)
{
    current_app = app;
    open_now = true;
    app->prompt_active = true;
    rl_callback_handler_install(PROMPT_TEXT, on_line);
    if (initial && *initial) {
        rl_insert_text(initial);
        rl_point = rl_end;
    }
    curs_set(1);
    prompt_draw(app);
}

void prompt_cancel(struct app *app)
{
    if (!open_now)
        return;
    rl_replace_line("", 0);
    rl_callback_handler_remove();
    open_now = false;
    app->prompt_active = false;
    curs_set(0);
}

static bool in_vi_insert_mode(void)
{
    return rl_editing_mode == 0 && rl_get_keymap() != vi_movement_keymap;
}

/* After an Esc with nothing behind it: the next byte, if one comes within a moment. */
static int byte_after_escape(void)
{
    timeout(30);
    int c = getch();
    nodelay(stdscr, TRUE);
    return c;
}

int prompt_feed(struct app *app, const unsigned char *bytes, int n)
{
    current_app = app;
    unsigned char buf[1024];
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    memcpy(buf, bytes, (size_t)n);
    feed_bytes = buf;
    feed_len = n;
    feed_pos = 0;
    while (feed_pos < feed_len && open_now) {
        unsigned char b = buf[feed_pos];
        if (b == 27 && feed_pos + 1 == feed_len) {
            /* A lone Esc cancels; Esc [ or Esc O is an arrow or function key split across
             * reads. In vi insert mode Esc switches to command mode, as vi users expect. */
            int next = byte_after_escape();
            if (next == '[' || next == 'O') {
                buf[feed_len++] = (unsigned char)next;
            } else if (!in_vi_insert_mode()) {
                if (next != ERR)
                    ungetch(next); /* typed after the Esc: the screen's key */
                prompt_cancel(app);
                feed_pos++;
                break;
            } else if (next != ERR) {
                ungetch(next);
            }
        }
        if (b == 7) { /* Ctrl-G cancels, as in emacs */
            prompt_cancel(app);
            feed_pos++;
            break;
        }
        /* readline takes one key, or a whole escape sequence, per call. */
        int before = feed_pos;
        rl_callback_read_char();
        if (feed_pos == before)
            feed_pos++;
    }
    int consumed = feed_pos > n ? n : feed_pos;
    feed_len = feed_pos = 0;
    feed_bytes = NULL;
    return consumed;
}

void prompt_draw(struct app *app)
{
    if (!open_now)
        return;
    int row = LINES - 1, cols = COLS;
    if (cols < 2 || row < 0)
        return;
    const char *prompt = rl_display_prompt ? rl_display_prompt : PROMPT_TEXT;
    int prompt_w = text_width(prompt);
    const char *line = rl_line_buffer ? rl_line_buffer : "";
    int cursor_col = text_column_at(line, (size_t)rl_point);
    int avail = cols - prompt_w - 1;
    if (avail < 1)
        avail = 1;
    /* Scroll sideways so the cursor stays visible in a long line. */
    int skip_cols = cursor_col >= avail ? cursor_col - avail + 1 : 0;
    size_t skip = text_offset_at(line, skip_cols);
    int skipped_w = text_column_at(line, skip);
    move(row, 0);
    clrtoeol();
    attron(A_BOLD);
    mvaddnstr(row, 0, prompt, -1);
    attroff(A_BOLD);
    char *shown = malloc((size_t)avail * 4 + 1);
    if (shown) {
        text_fit(shown, (size_t)avail * 4 + 1, line + skip, avail);
        mvaddstr(row, prompt_w, shown);
        free(shown);
    }
    (void)app;
    move(row, prompt_w + cursor_col - skipped_w);
    wnoutrefresh(stdscr);
    doupdate();
}
