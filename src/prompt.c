#include "prompt.h"

#include "cmdline.h"
#include "i18n.h"
#include "command.h"
#include "model.h"
#include "readline_cleanup.h"
#include "text.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#define PROMPT_TEXT   "tuki: "
#define HISTORY_LINES 2000

/* The longest line the prompt holds, in bytes. readline's motions in a UTF-8 locale (%, w,
 * M-f, f and the like) rescan the line from its start for every character they pass, so one
 * key costs the square of the line's length: 4 s on a line of 100 KB (26 s when it is not
 * ASCII), 40 ms on 8 KiB (150 ms). Without a bound the kill ring doubled from prompt to
 * prompt (yank twice, kill the line) until one yank and one % took longer than the fuzzer
 * would wait. Longer text is written in the editor (note ID, reply ID without the text). */
#define PROMPT_LINE_MAX 8192

void (*prompt_run_line)(struct app *app, const char *line);
void (*prompt_show_status)(struct app *app, const char *text);

static struct app *current_app;
static bool open_now;
static char *history_path;
static FILE *devnull;

/* The chunk of typed bytes being handed to readline, one key per rl_callback_read_char.
 * A copy on the heap: a split escape sequence may get its next byte appended. */
static struct {
    unsigned char *bytes;
    size_t len, pos, cap;
    size_t available; /* what readline may see as already typed: len, less a lone Esc */
} feed;

/* A bracketed paste (ESC [ 200 ~ ... ESC [ 201 ~) is collected here, not by readline, whose
 * own reader would wait inside one call for the end that may come in a later chunk. */
#define PASTE_END "\033[201~"
static struct {
    bool on;
    char *text;
    size_t len, cap;
} paste;

static bool cancel_requested; /* Ctrl-G from readline's key map; acted on between keys */
static int key_injected = -1; /* a key of our own for readline, before the feed's */

#if RL_READLINE_VERSION < 0x0803
/* readline 8.2 aborts a key (C-y with nothing killed, C-x and an unbound key, ...) by a
 * longjmp to _rl_top_level, which readline_internal_char points at its own frame and does
 * not restore when it returns (8.3 does). When rl_callback_read_char then goes on to a key
 * readline pushed back, an abort jumps into that dead frame and returns through garbage.
 * So after each key readline finishes (it redisplays then), the jump goes to a frame that
 * is alive: key_landing in read_key, which ends the call as readline itself would. */
extern sigjmp_buf _rl_top_level;
static sigjmp_buf key_landing;
static bool key_landing_armed;
#endif

/* Waits up to timeout_ms (-1: as long as it takes) for the terminal's next byte; EOF when
 * none comes or the terminal has ended. */
static int terminal_byte(int timeout_ms)
{
    timeout(timeout_ms);
    int c = getch();
    nodelay(stdscr, TRUE);
    return c == ERR || c > 0xff ? EOF : c;
}

/* readline's keys come from what we were handed, never straight from the terminal. It asks
 * for a byte beyond the chunk only to finish something it has begun within one call (the
 * rest of a multibyte character after a character search): then wait for it, as readline's
 * own rl_getc would, rather than invent an end of input in the middle of the line. */
static int feed_getc(FILE *unused)
{
    (void)unused;
    if (key_injected >= 0) {
        int c = key_injected;
        key_injected = -1;
        return c;
    }
    if (feed.pos < feed.len)
        return feed.bytes[feed.pos++];
    return terminal_byte(-1);
}

static int feed_available(void)
{
    return feed.pos < feed.available;
}

static void no_terminal_prep(int meta)
{
    (void)meta;
}

static void no_terminal_deprep(void)
{
}

static bool handler_installed; /* readline has a line of ours, maybe after the prompt closed */

/* Shown in the prompt's line instead of the line until the next key: the status line,
 * the same row, is hidden while the prompt is open. */
static char *prompt_note;

static void say_line_too_long(size_t bytes)
{
    free(prompt_note);
    if (asprintf(&prompt_note,
                 _("%zu bytes do not fit the prompt's line (at most %d): write long text "
                   "in the editor (note ID, reply ID)"),
                 bytes, PROMPT_LINE_MAX) < 0)
        prompt_note = NULL;
}

static void forget_note(void)
{
    free(prompt_note);
    prompt_note = NULL;
}

/* The length of the character at s (at most n bytes) in the locale's multibyte encoding, or
 * 0 when there is none the prompt keeps: a byte that starts no character, a character cut
 * short, or one beyond ASCII that the terminal cannot show (wcwidth -1: a C1 control, an
 * unassigned code point, glibc's decoding of F5 A9 A9 A9). readline 8.2 steps forward over
 * those as characters and back over them as zero-width ones, so vi's % went back and forth
 * between two of them for ever. */
static size_t char_length(const char *s, size_t n, mbstate_t *st)
{
    wchar_t wc;
    size_t len = mbrtowc(&wc, s, n, st);
    if (len == 0 || len == (size_t)-1 || len == (size_t)-2 || (len > 1 && wcwidth(wc) < 0)) {
        memset(st, 0, sizeof *st);
        return 0;
    }
    return len;
}

/* True when line is text of the locale's encoding: no NUL inside (only at its end) and no
 * byte outside a character. Single-byte locales are all text. */
static bool is_text(const char *line, size_t n)
{
    mbstate_t st = {0};
    for (size_t i = 0; i < n;) {
        size_t len = MB_CUR_MAX > 1 ? char_length(line + i, n - i, &st) : line[i] != '\0';
        if (!len)
            return false;
        i += len;
    }
    return true;
}

/* Keeps the line text after each key: bytes that are no character (a stray UTF-8 continuation
 * byte, a cut character, a NUL) and characters the terminal cannot show are dropped.
 * readline inserts them as they come, and its vi % then loops over them for ever (readline
 * 8.2; the fuzzer found both). */
static void keep_line_text(void)
{
    if (is_text(rl_line_buffer, (size_t)rl_end))
        return;
    mbstate_t st = {0};
    for (int i = 0; i < rl_end;) {
        size_t len = MB_CUR_MAX > 1 ? char_length(rl_line_buffer + i, (size_t)(rl_end - i), &st)
                                    : rl_line_buffer[i] != '\0';
        if (len) {
            i += (int)len;
            continue;
        }
        /* the whole unshowable character, or the one byte that starts none */
        wchar_t wc;
        mbstate_t probe = {0};
        size_t n =
            MB_CUR_MAX > 1 ? mbrtowc(&wc, rl_line_buffer + i, (size_t)(rl_end - i), &probe) : 1;
        int drop = n == 0 || n == (size_t)-1 || n == (size_t)-2 ? 1 : (int)n;
        rl_delete_text(i, i + drop);
        rl_point = rl_point >= i + drop ? rl_point - drop : rl_point > i ? i : rl_point;
        rl_mark = rl_mark >= i + drop ? rl_mark - drop : rl_mark > i ? i : rl_mark;
    }
}

/* Keeps the line within PROMPT_LINE_MAX after each key: what a key (a yank, a count, a
 * macro) put beyond it is cut off at a character boundary, an edit that C-_ can undo, and
 * the prompt's line says so. Not while searching: the line is then a history entry, already
 * text and bounded when it was added. */
static void keep_line_bounded(void)
{
    if (rl_end <= PROMPT_LINE_MAX)
        return;
    size_t bytes = (size_t)rl_end;
    int cut = PROMPT_LINE_MAX;
    while (cut > 0 && ((unsigned char)rl_line_buffer[cut] & 0xc0) == 0x80)
        cut--; /* not inside a UTF-8 character */
    rl_delete_text(cut, rl_end);
    if (rl_point > rl_end)
        rl_point = rl_end;
    if (rl_mark > rl_end)
        rl_mark = rl_end;
    say_line_too_long(bytes);
}

static void redisplay(void)
{
#if RL_READLINE_VERSION < 0x0803
    if (key_landing_armed)
        memcpy(_rl_top_level, key_landing, sizeof key_landing);
#endif
    /* readline redisplays after every key it finishes, also keys of a macro. */
    if (handler_installed && !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH)) {
        keep_line_text();
        keep_line_bounded();
    }
    if (handler_installed) {
        readline_keep_search_in_line(); /* a failed search shows its message: this runs */
        readline_drop_history_edits();
    }
    if (current_app)
        prompt_draw(current_app);
}

/* While the prompt is open the terminal marks pastes (ESC [ 200 ~ ... ESC [ 201 ~), so a
 * pasted newline or Tab is text, not Enter or completion. readline would ask for this when
 * preparing the terminal, but with a redisplay function of ours it prepares nothing and
 * reports enable-bracketed-paste off, so the prompt asks itself. */
static void terminal_marks_pastes(bool on)
{
    putp(on ? "\033[?2004h" : "\033[?2004l");
    fflush(stdout); /* putp writes through stdio, which curses never flushes */
}

static bool in_readline;   /* inside rl_callback_read_char */
static bool line_accepted; /* on_line had the line: its entry edits are reverted */
static void abandon_line(void);

static void close_prompt(void)
{
    forget_note();
    terminal_marks_pastes(false);
    open_now = false;
    paste.on = false;
    cancel_requested = false;
    if (current_app)
        current_app->prompt_active = false;
    curs_set(0);
    /* Inside readline the handler stays until rl_callback_read_char returns: readline goes
     * on with keys it pushed back and would hand a line to no handler (a leak, in 8.2). */
    if (!in_readline)
        abandon_line();
}

static void on_line(char *line)
{
    struct app *app = current_app;
    if (!open_now) { /* a second line from keys readline pushed back: the prompt is closed */
        free(line);
        return;
    }
    line_accepted = true;
    readline_drop_history_edits(); /* the accepted entry's edits are already reverted */
    readline_free_line_edits();
    close_prompt();
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

/* The words of words[0..n) (n < 0: up to a NULL) that start with prefix, strdup'd. */
static char **matching(const char *const *words, int n, const char *prefix)
{
    if (n < 0)
        for (n = 0; words[n]; n++)
            ;
    char **v = calloc((size_t)n + 1, sizeof *v);
    if (!v)
        return NULL;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (strncmp(words[i], prefix, strlen(prefix)) == 0)
            v[k++] = strdup(words[i]);
    return v;
}

static char **command_names(const char *prefix)
{
    const char **names = calloc((size_t)command_count + 1, sizeof *names);
    if (!names)
        return NULL;
    for (int i = 0; i < command_count; i++)
        names[i] = commands[i].name;
    char **v = matching(names, command_count, prefix);
    free(names);
    return v;
}

/* The candidates of kind for text, each with lead in front (a field's "contact=");
 * a name with a space comes quoted, as the command line reads it. */
static char **with_lead(struct db *db, enum completion_kind kind, const char *text,
                        const char *lead)
{
    char **raw = completion_fetch(db, kind, text[0] == '"' ? text + 1 : text);
    for (char **p = raw; p && *p; p++) {
        char *v = NULL;
        bool quote = strchr(*p, ' ') != NULL;
        if (asprintf(&v, "%s%s%s%s", lead, quote ? "\"" : "", *p, quote ? "\"" : "") < 0)
            continue;
        free(*p);
        *p = v;
    }
    return raw;
}

/* edit's field=value words: the field names, then contacts or teams after contact= or team=. */
static char **edit_fields(struct db *db, const char *text)
{
    static const char *const fields[] = {
        "type=", "contact=", "subject=", "channel=", "team=", NULL};
    if (strncmp(text, "contact=", 8) == 0)
        return with_lead(db, COMPLETE_CONTACT, text + 8, "contact=");
    if (strncmp(text, "team=", 5) == 0)
        return with_lead(db, COMPLETE_TEAM, text + 5, "team=");
    return matching(fields, -1, text);
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
        static const char *const filters[] = {
            "home",      "mine",    "unassigned", "breaching", "all",
            "customer:", "status:", "team:",      "type:",     NULL};
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
        case ARG_CONTACT:
            candidates = with_lead(db, COMPLETE_CONTACT, text, "");
            break;
        case ARG_CANNED:
            candidates = completion_fetch(db, COMPLETE_CANNED, text);
            break;
        case ARG_EDIT_FIELD:
            candidates = edit_fields(db, text);
            break;
        case ARG_COMMAND:
            candidates = command_names(text);
            break;
        case ARG_FILTER:
            if (strncmp(text, "customer:", 9) == 0) {
                candidates = with_lead(db, COMPLETE_CUSTOMER, text + 9, "customer:");
            } else if (strncmp(text, "team:", 5) == 0) {
                candidates = with_lead(db, COMPLETE_TEAM, text + 5, "team:");
            } else if (strncmp(text, "status:", 7) == 0) {
                candidates = with_lead(db, COMPLETE_STATUS, text + 7, "status:");
            } else {
                candidates = matching(filters, -1, text);
            }
            break;
        default:
            break;
        }
    }
    if (candidates && candidates[0] && !candidates[1] && *candidates[0] &&
        strchr(":=", candidates[0][strlen(candidates[0]) - 1]))
        rl_completion_append_character = '\0'; /* customer: and contact= want a value next */
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
    /* through a variable: GCC's sanitizer build cannot see that ngettext never returns NULL */
    const char *heading = ngettext("%d match:", "%d matches:", count);
    if (!heading)
        heading = "%d:";
    size_t len = (size_t)snprintf(out, cap, heading, count);
    for (int i = 1; i <= count; i++)
        len += (size_t)snprintf(out + len, cap - len, " %s", matches[i]);
    prompt_show_status(current_app, out);
    free(out);
}

/* $XDG_STATE_HOME/tuki/history, else ~/.local/state/tuki/history, its directory made as
 * needed, quietly: no history is better than no console. NULL without memory. */
static char *history_file(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char *dir = NULL;
    int made = state && *state ? asprintf(&dir, "%s/tuki", state)
                               : asprintf(&dir, "%s/.local/state/tuki", home && *home ? home : ".");
    if (made < 0)
        return NULL;
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
    char *path = NULL;
    if (asprintf(&path, "%s/history", dir) < 0)
        path = NULL;
    free(dir);
    return path;
}

static int paste_begin(int count, int key)
{
    (void)count;
    (void)key;
    paste.on = true;
    paste.len = 0;
    return 0;
}

static int cancel_key(int count, int key)
{
    (void)count;
    (void)key;
    cancel_requested = true;
    return 0;
}

/* Takes one byte of a paste; at its end the text goes into the line as one insertion,
 * control characters and all (a NUL cannot be in a line and is dropped). */
static void paste_take(unsigned char b)
{
    if (b == '\0')
        return;
    if (paste.len + 2 > paste.cap) {
        size_t cap = paste.cap ? paste.cap * 2 : 256;
        char *text = realloc(paste.text, cap);
        if (!text)
            return; /* out of memory: the byte is lost, the paste goes on */
        paste.text = text;
        paste.cap = cap;
    }
    paste.text[paste.len++] = b == '\r' ? '\n' : (char)b; /* terminals paste newlines as CR */
    size_t end_len = strlen(PASTE_END);
    if (paste.len < end_len || memcmp(paste.text + paste.len - end_len, PASTE_END, end_len) != 0)
        return;
    paste.len -= end_len;
    paste.text[paste.len] = '\0';
    paste.on = false;
    if ((size_t)rl_end + paste.len > PROMPT_LINE_MAX)
        say_line_too_long((size_t)rl_end + paste.len); /* whole or not at all */
    else
        rl_insert_text(paste.text);
    redisplay();
}

/* Lines longer than the prompt holds (a history file of an older tuki) or not text are not
 * recalled. */
static void drop_long_history(void)
{
    for (int i = 0; i < history_length;) {
        HIST_ENTRY *e = history_get(history_base + i);
        if (e && (strlen(e->line) > PROMPT_LINE_MAX || !is_text(e->line, strlen(e->line))))
            free_history_entry(remove_history(i));
        else
            i++;
    }
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
    rl_initialize(); /* reads ~/.inputrc, so that these bindings come after it */
    Keymap maps[] = {emacs_standard_keymap, vi_insertion_keymap, vi_movement_keymap};
    for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
        rl_bind_keyseq_in_map("\033[200~", paste_begin, maps[i]);
        rl_bind_key_in_map(7, cancel_key, maps[i]); /* Ctrl-G cancels, as in emacs */
        /* C-o runs the line and preloads the next history line into the next prompt: in
         * readline 8.2 that line's undo list then shares nodes with the saved line's, which
         * Up at the top of the history frees (a use after free the fuzzer found). The
         * prompt closes after each line, so it has no use here. */
        rl_unbind_function_in_map(rl_operate_and_get_next, maps[i]);
    }
    using_history();
    stifle_history(HISTORY_LINES);
    history_path = history_file();
    if (history_path)
        read_history(history_path);
    drop_long_history();
}

void prompt_done(void)
{
    if (history_path && write_history(history_path) != 0 && errno != ENOENT) {
        /* The history is a convenience; losing it is not worth an error on the way out. */
    }
    free(history_path);
    history_path = NULL;
    strv_free(candidates);
    candidates = NULL;
    if (open_now && current_app)
        prompt_cancel(current_app);
    forget_note();
    free(feed.bytes);
    free(paste.text);
    memset(&feed, 0, sizeof feed);
    memset(&paste, 0, sizeof paste);
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
    if (open_now)
        prompt_cancel(app);
    current_app = app;
    open_now = true;
    app->prompt_active = true;
    abandon_line(); /* none should be left; a line of readline's own never carries over */
    line_accepted = false;
    rl_callback_handler_install(PROMPT_TEXT, on_line);
    handler_installed = true;
    terminal_marks_pastes(true);
    readline_forget_last_kill();
    if (initial && *initial) {
        rl_insert_text(initial);
        keep_line_text();
        keep_line_bounded();
        rl_point = rl_end;
    }
    curs_set(1);
    prompt_draw(app);
}

/* Abandons the line the way readline does on SIGINT in callback mode: its undo list (also
 * where history entries point to it), numeric argument, keyboard macro, search or key
 * sequence in progress and pushed-back input all go, so nothing of this line is left for
 * the next prompt_open to undo or free again. */
static void read_key(void);

/* Ends a history search the way a person would, with Ctrl-G: readline's own path gives back
 * the line, prompt and undo list it set aside, which rl_callback_sigcleanup would drop. */
static void end_search(void)
{
    if (line_accepted)
        readline_drop_search();
    for (int tries = 0; tries < 2 && RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH); tries++) {
        key_injected = 7;
        read_key();
        key_injected = -1;
    }
}

void prompt_cancel(struct app *app)
{
    if (!open_now)
        return;
    current_app = app;
    close_prompt();
}

/* Ends readline's line the way readline does on SIGINT in callback mode, and frees what that
 * leaves: the undo lists (also where history entries point to them), numeric argument,
 * keyboard macro, search, key sequence or command in progress and pushed-back input. */
static void abandon_line(void)
{
    static bool abandoning; /* end_search reads a key, and read_key comes back here */
    if (!handler_installed || abandoning)
        return;
    abandoning = true;
    end_search();
    readline_drop_history_edits();
    rl_free_line_state();
    rl_callback_sigcleanup();
    readline_free_pending_key();
    rl_clear_pending_input();
    readline_drop_history_edits(); /* what the search or sigcleanup gave back */
    readline_free_line_edits();
    rl_callback_handler_remove();
    handler_installed = false;
    abandoning = false;
}

static bool in_vi_insert_mode(void)
{
    return rl_editing_mode == 0 && rl_get_keymap() != vi_movement_keymap;
}

/* Hands readline the next key (one byte, or what readline pushed back). */
static void read_key(void)
{
    /* Also before the key: a search that ends without a redisplay (a non-incremental search
     * aborted redisplays while still searching) leaves the line on a history entry with no
     * line set aside, and the next Up at the top would free the list that entry is given. */
    if (handler_installed)
        readline_drop_history_edits();
    in_readline = true;
#if RL_READLINE_VERSION < 0x0803
    if (sigsetjmp(key_landing, 0) == 0) {
        key_landing_armed = true;
        rl_callback_read_char();
    } else {
        key_landing_armed = false;
        redisplay(); /* as rl_callback_read_char does after an abort */
    }
    key_landing_armed = false;
#else
    rl_callback_read_char();
#endif
    in_readline = false;
    if (!open_now)
        abandon_line(); /* the line ended inside readline */
}

/* Copies the chunk so that one more byte fits after it. */
static bool feed_load(const unsigned char *bytes, size_t n)
{
    if (n + 1 > feed.cap) {
        unsigned char *grown = realloc(feed.bytes, n + 1);
        if (!grown)
            return false;
        feed.bytes = grown;
        feed.cap = n + 1;
    }
    memcpy(feed.bytes, bytes, n);
    feed.len = feed.available = n;
    feed.pos = 0;
    return true;
}

int prompt_feed(struct app *app, const unsigned char *bytes, int n)
{
    current_app = app;
    if (n <= 0 || !open_now || !feed_load(bytes, (size_t)n))
        return 0;
    if (!paste.on)
        forget_note(); /* a key after the note: the line again */
    /* An Esc at the end of a chunk is a key of its own or the start of an arrow or function
     * key whose rest is still on its way: a moment tells which. A lone Esc cancels (in vi
     * insert mode it switches to command mode instead, as vi users expect). */
    bool lone_escape = false;
    if (feed.bytes[feed.len - 1] == 27 && !paste.on) {
        int next = terminal_byte(30);
        if (next == '[' || next == 'O') {
            feed.bytes[feed.len++] = (unsigned char)next;
            feed.available = feed.len;
        } else {
            if (next != EOF)
                ungetch(next); /* typed after the Esc: the next chunk's */
            lone_escape = true;
            feed.available = feed.len - 1; /* readline must not take it as typeahead */
        }
    }
    while (feed.pos < feed.len && open_now) {
        if (paste.on) {
            paste_take(feed.bytes[feed.pos++]);
            continue;
        }
        if (lone_escape && feed.pos + 1 == feed.len && !in_vi_insert_mode()) {
            feed.pos++;
            prompt_cancel(app);
            break;
        }
        size_t before = feed.pos;
        read_key(); /* one key: readline keeps a split sequence's state */
        if (cancel_requested)
            prompt_cancel(app);
        else if (feed.pos == before && !rl_pending_input)
            break; /* readline took nothing: the rest is not the prompt's */
    }
    /* A byte appended after a final Esc was not the caller's. */
    int consumed = feed.pos > (size_t)n ? n : (int)feed.pos;
    feed.len = feed.pos = feed.available = 0;
    return consumed;
}

void prompt_draw(struct app *app)
{
    if (!open_now)
        return;
    int row = LINES - 1, cols = COLS;
    if (cols < 2 || row < 0)
        return;
    if (prompt_note) {
        move(row, 0);
        clrtoeol();
        char *shown = malloc((size_t)cols * 4 + 1);
        if (shown) {
            text_fit(shown, (size_t)cols * 4 + 1, prompt_note, cols - 1);
            attron(A_BOLD);
            mvaddstr(row, 0, shown);
            attroff(A_BOLD);
            free(shown);
        }
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
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
