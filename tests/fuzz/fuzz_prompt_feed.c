/* libFuzzer: arbitrary bytes typed at the ':' prompt, in chunks as the terminal might deliver
 * them, then the prompt closed. Curses runs on a null terminal (/dev/null both ways); no
 * database, so completion finds nothing and lines run nowhere.
 * Input: the first byte is the chunk size (1-256), the rest are the keys.
 * prompt.c is used whole, through its header: the seam is curses on a null terminal and
 * prompt_run_line, which the console sets and this harness points at a counter. */
#include "app.h"
#include "prompt.h"

#include <curses.h>
#include <locale.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct app app;
static long lines_run;
static char state_dir[] = "/tmp/tuki-fuzz-XXXXXX";

static void remove_state_dir(void)
{
    char tuki_dir[sizeof state_dir + 8];
    snprintf(tuki_dir, sizeof tuki_dir, "%s/tuki", state_dir); /* made by prompt_init */
    rmdir(tuki_dir); /* empty: the history is never written */
    rmdir(state_dir);
}

static void count_line(struct app *a, const char *line)
{
    (void)a;
    (void)line;
    lines_run++;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    if (!mkdtemp(state_dir))
        abort();
    atexit(remove_state_dir);
    setenv("HOME", state_dir, 1); /* no ~/.inputrc of the person running it */
    setenv("XDG_STATE_HOME", state_dir, 1);
    setenv("TERM", "xterm", 1);
    if (!freopen("/dev/null", "w", stdout)) /* putp's mode switches go to stdout */
        abort();
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in || !newterm("xterm", out, in))
        abort();
    raw();
    noecho();
    nodelay(stdscr, TRUE);
    prompt_run_line = count_line;
    prompt_init(&app);
    return 0;
}

/* Counts of five digits and more (M-1 0 0 0 0 0 0 @ inserts a million characters) make an
 * input slow, not wrong: they are left out so that a timeout means a hang. A count's digits
 * may each come with Meta (Esc 1 Esc 0 ...). */
static bool has_huge_count(const uint8_t *data, size_t size)
{
    int digits = 0;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == 27 && i + 1 < size && data[i + 1] >= '0' && data[i + 1] <= '9')
            continue;
        digits = data[i] >= '0' && data[i] <= '9' ? digits + 1 : 0;
        if (digits >= 5)
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || has_huge_count(data, size))
        return 0;
    /* Each input starts from the same readline: emacs keys, no history (a line accepted by
     * an earlier input would make a finding depend on the order inputs ran in). */
    rl_editing_mode = 1;
    rl_set_keymap(emacs_standard_keymap);
    clear_history();
    int chunk = data[0] + 1;
    data++;
    size--;
    size_t pos = 0;
    while (pos < size) {
        if (!prompt_is_open())
            prompt_open(&app, ""); /* the bytes after a finished line open it again, as ':' */
        int n = size - pos < (size_t)chunk ? (int)(size - pos) : chunk;
        int used = prompt_feed(&app, data + pos, n);
        if (used < 0 || used > n)
            abort();
        pos += used ? (size_t)used : 1; /* a byte the prompt refused goes to the screen */
    }
    prompt_cancel(&app);
    if (prompt_is_open() || app.prompt_active)
        abort();
    return 0;
}
