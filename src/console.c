#include "console.h"

#include "command.h"
#include "console_events.h"
#include "loop.h"
#include "migrate.h"
#include "model.h"
#include "pane.h"
#include "prompt.h"
#include "screen.h"
#include "script.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sysexits.h>
#include <unistd.h>

#define DEFAULT_WARNING_FRACTION 0.75
#define CTRL_C_BYTE              3 /* what Ctrl-C sends when the terminal does not turn it into SIGINT */

void app_status(struct app *app, bool is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    va_end(ap);
    app->status_is_error = is_error;
}

double app_warning_fraction(const struct app *app)
{
    if (app->settings->sla_warning_percent > 0)
        return app->settings->sla_warning_percent / 100.0;
    return app->warning_fraction > 0 ? app->warning_fraction : DEFAULT_WARNING_FRACTION;
}

static void show_connected(struct app *app)
{
    app_status(app, false, "connected as %s to %s", app->db.role, app->db.dbname);
}

static int open_database(struct db *db, const char *conninfo)
{
    char err[1024];
    if (db_connect(db, conninfo, err, sizeof err) < 0) {
        fprintf(stderr, "tuki: cannot connect to the database: %s\n", err);
        db_close(db);
        return EX_UNAVAILABLE;
    }
    if (migrate_check_compatible(db->conn, err, sizeof err) < 0) {
        fprintf(stderr, "tuki: %s\n", err);
        db_close(db);
        return EX_UNAVAILABLE;
    }
    return 0;
}

/* Once per connection: LISTEN, and the schema's warning threshold. */
static void on_connected(struct app *app)
{
    PQclear(db_exec(&app->db, "LISTEN tuki", 0, NULL));
    PGresult *res = db_exec(&app->db, "SELECT tuki.sla_warning_percent() / 100.0", 0, NULL);
    if (db_ok(res) && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        app->warning_fraction = atof(PQgetvalue(res, 0, 0));
    PQclear(res);
}

static void panes_changed(struct app *app)
{
    /* The queue first: the SLA pane shows the clocks of the queue's rows. */
    for (int i = 0; i < PANE_COUNT; i++)
        if (app->panes[i]->ops->on_change)
            app->panes[i]->ops->on_change(app->panes[i], app);
}

/* The ticket a key or command means: the open ticket when its pane has the focus, else
 * the row under the queue's cursor. */
static long long selected_ticket(const struct app *app)
{
    if (app->focus == PANE_TICKET) {
        long long id = ticket_pane_id(app->panes[PANE_TICKET]);
        if (id)
            return id;
    }
    return queue_pane_selected(app->panes[PANE_QUEUE]);
}

static void ui_open_ticket(void *data, long long id)
{
    struct app *app = data;
    ticket_pane_show(app->panes[PANE_TICKET], app, id);
}

static void ui_set_filter(void *data, const struct filter *f)
{
    struct app *app = data;
    queue_pane_set_filter(app->panes[PANE_QUEUE], app, f);
    app->panes[PANE_SLA]->ops->on_change(app->panes[PANE_SLA], app);
    app->focus = PANE_QUEUE;
}

static void ui_show_workload(void *data)
{
    struct app *app = data;
    ticket_pane_show_workload(app->panes[PANE_TICKET], app);
}

static void binding_key_name(int key, char *buf, size_t n)
{
    if (key == '\n')
        snprintf(buf, n, "Enter");
    else if (key == '\t')
        snprintf(buf, n, "Tab");
    else if (key < 32)
        snprintf(buf, n, "^%c", key + '@');
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, n, "F%d", key - KEY_F(0));
    else if (key < 127)
        snprintf(buf, n, "%c", key);
    else
        snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
}

static void ui_show_help(void *data, const char *commands_text)
{
    struct app *app = data;
    size_t cap = 8192 + strlen(commands_text), len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len,
                            "Keys\n"
                            "  j k ↑ ↓        move            Enter   open the ticket\n"
                            "  Space b PgDn PgUp  page         g G     top, bottom\n"
                            "  Tab            next pane       :       prompt (Tab completes)\n"
                            "  /              search          ?       this help\n"
                            "  q              quit\n");
    for (int i = 0; i < app->settings->binding_count; i++) {
        char name[32];
        binding_key_name(app->settings->bindings[i].key, name, sizeof name);
        len += (size_t)snprintf(text + len, cap - len, "  %-14s %s\n", name,
                                app->settings->bindings[i].command);
    }
    snprintf(text + len, cap - len, "\nCommands (%%i = the selected ticket)\n%s", commands_text);
    ticket_pane_show_text(app->panes[PANE_TICKET], app, "Help", text);
    free(text);
}

static void ui_changed(void *data)
{
    panes_changed(data);
}

static void ui_redraw(void *data)
{
    (void)data;
    clearok(curscr, TRUE);
}

static void ui_quit(void *data)
{
    ((struct app *)data)->quit = true;
}

static const struct command_ui screen_ui = {
    .open_ticket = ui_open_ticket,
    .set_filter = ui_set_filter,
    .show_workload = ui_show_workload,
    .show_help = ui_show_help,
    .changed = ui_changed,
    .redraw = ui_redraw,
    .quit = ui_quit,
};

static void run_line(struct app *app, const char *line)
{
    struct command_ctx ctx = {
        .db = &app->db, .selected = selected_ticket(app), .ui = &screen_ui, .ui_data = app};
    int rc = command_run(&ctx, line);
    if (rc < 0 || *ctx.message)
        app_status(app, rc < 0, "%s", ctx.message);
}

/* A key bound to a command: run it, or with a leading ':' put it on the prompt. */
static bool run_binding(struct app *app, int key)
{
    for (int i = 0; i < app->settings->binding_count; i++) {
        const struct key_binding *b = &app->settings->bindings[i];
        if (b->key != key)
            continue;
        char line[2048];
        const char *cmd = b->command[0] == ':' ? b->command + 1 : b->command;
        if (command_expand(cmd, selected_ticket(app), line, sizeof line) < 0) {
            app_status(app, true, "no ticket selected");
            return true;
        }
        if (b->command[0] == ':') {
            keypad(stdscr, FALSE);
            prompt_open(app, line);
        } else {
            run_line(app, line);
        }
        return true;
    }
    return false;
}

static void handle_key(struct app *app, int key)
{
    struct pane *pane = app->panes[app->focus];
    if (app->too_small) {
        if (key == 'q')
            app->quit = true;
        return;
    }
    switch (key) {
    case ':':
        keypad(stdscr, FALSE); /* readline wants the raw bytes of arrows and friends */
        prompt_open(app, "");
        return;
    case '/':
        keypad(stdscr, FALSE);
        prompt_open(app, "search ");
        return;
    case '?': {
        char text[8192];
        command_help(NULL, text, sizeof text);
        ui_show_help(app, text);
        return;
    }
    case 'q':
        app->quit = true;
        return;
    case '\t':
        do
            app->focus = (app->focus + 1) % PANE_COUNT;
        while (app->panes[app->focus]->h == 0);
        return;
    default:
        break;
    }
    if (pane->h && pane->ops->key && pane->ops->key(pane, app, key) != UNHANDLED)
        return;
    if (!run_binding(app, key) && key < KEY_MIN && key >= ' ')
        app_status(app, true, "key '%c' does nothing here; ? lists the keys", key);
}

void console_before_poll(struct app *app)
{
    screen_draw(app);
    if (app->prompt_active)
        prompt_draw(app);
}

int console_next_timeout_ms(struct app *app)
{
    long long now = db_now_ms();
    long long next = app->next_tick_ms;
    if (app->next_sweep_ms < next)
        next = app->next_sweep_ms;
    if (app->db.state == DB_OFFLINE && app->db.retry_at_ms < next)
        next = app->db.retry_at_ms;
    return next <= now ? 0 : (int)(next - now);
}

void console_on_input(struct app *app)
{
    /* Drain everything curses has buffered, or poll() would sleep on typed keys. */
    int key;
    while (!app->quit && (key = getch()) != ERR) {
        if (key == CTRL_C_BYTE) {
            /* Ctrl-C arrives as a byte only when the terminal's ISIG is off (stty -isig, or
             * a program that left it so); it still means what SIGINT means. */
            console_on_signal(app, SIGINT);
            continue;
        }
        if (!app->prompt_active) {
            handle_key(app, key);
            continue;
        }
        unsigned char bytes[512];
        int n = 0;
        bytes[n++] = (unsigned char)key;
        while (n < (int)sizeof bytes && (key = getch()) != ERR) {
            if (key == CTRL_C_BYTE) {
                ungetch(key); /* handled above, after the bytes before it */
                break;
            }
            bytes[n++] = (unsigned char)key;
        }
        int used = prompt_feed(app, bytes, n);
        if (!app->prompt_active)
            keypad(stdscr, TRUE);
        /* Keys typed after Enter in the same burst belong to the screen. */
        for (int i = used; i < n && !app->quit; i++) {
            if (app->prompt_active)
                used += prompt_feed(app, bytes + i, 1) - 1;
            else
                handle_key(app, bytes[i]);
        }
    }
}

static void after_reconnect(struct app *app)
{
    on_connected(app);
    screen_layout(app);
    panes_changed(app);
    show_connected(app);
}

void console_on_db_ready(struct app *app)
{
    if (app->db.state == DB_CONNECTING) {
        if (db_reconnect_step(&app->db, db_now_ms()) == DB_ONLINE)
            after_reconnect(app);
        else if (app->db.state == DB_OFFLINE)
            screen_layout(app);
        return;
    }
    if (!PQconsumeInput(app->db.conn) || PQstatus(app->db.conn) == CONNECTION_BAD) {
        db_mark_offline(&app->db, db_now_ms());
        screen_layout(app);
        return;
    }
    bool changed = false;
    PGnotify *note;
    while ((note = PQnotifies(app->db.conn))) {
        changed = true; /* a hint only: panes re-query, and row security decides */
        PQfreemem(note);
    }
    if (changed)
        panes_changed(app);
    if (app->db.state != DB_ONLINE)
        screen_layout(app);
}

void console_on_signal(struct app *app, int sig)
{
    if (sig == SIGWINCH) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
            resizeterm(ws.ws_row, ws.ws_col);
        screen_layout(app);
        clearok(curscr, TRUE);
    } else if (sig == SIGINT && app->prompt_active) {
        prompt_cancel(app); /* Ctrl-C at the prompt only abandons the line */
        keypad(stdscr, TRUE);
    } else {
        app->quit = true; /* SIGINT, SIGTERM, SIGHUP: leave cleanly */
    }
}

static void sweep(struct app *app)
{
    /* Records warnings and breaches once; safe from every console. Absent before the SLA
     * engine is installed, which is no error here. */
    PGresult *res = db_exec(&app->db, "SELECT tuki.sla_sweep()", 0, NULL);
    PQclear(res);
}

void console_on_timers(struct app *app)
{
    long long now = db_now_ms();
    if (app->db.state != DB_ONLINE) {
        enum db_state before = app->db.state;
        enum db_state st = db_reconnect_step(&app->db, now);
        if (st == DB_ONLINE)
            after_reconnect(app);
        else if (st != before)
            screen_layout(app);
    }
    if (now >= app->next_tick_ms) {
        app->next_tick_ms = now + app->settings->tick_seconds * 1000LL;
        if (app->db.state == DB_ONLINE)
            sla_pane_tick(app->panes[PANE_SLA], app);
    }
    if (now >= app->next_sweep_ms) {
        app->next_sweep_ms = now + app->settings->sweep_seconds * 1000LL;
        if (app->db.state == DB_ONLINE)
            sweep(app);
    }
}

int console_run(const struct settings *settings, const char *conninfo)
{
    struct app app;
    memset(&app, 0, sizeof app);
    app.settings = settings;
    /* The database first: its problems are the ones worth reporting even without a tty. */
    int rc = open_database(&app.db, conninfo);
    if (rc)
        return rc;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "tuki: the console needs a terminal; use 'tuki -c COMMAND' in scripts\n");
        db_close(&app.db);
        return EX_USAGE;
    }
    const struct pane_ops *ops[PANE_COUNT] = {&queue_pane_ops, &ticket_pane_ops, &sla_pane_ops};
    struct pane panes[PANE_COUNT];
    memset(panes, 0, sizeof panes);
    for (int i = 0; i < PANE_COUNT; i++) {
        panes[i].ops = ops[i];
        app.panes[i] = &panes[i];
    }
    if (loop_init() < 0) {
        perror("tuki");
        db_close(&app.db);
        return EX_OSERR;
    }
    on_connected(&app);
    screen_open(&app);
    prompt_run_line = run_line;
    prompt_init(&app);
    for (int i = 0; i < PANE_COUNT; i++)
        if (panes[i].ops->open)
            panes[i].ops->open(&panes[i], &app);
    screen_layout(&app);
    panes_changed(&app);
    if (!app.status[0])
        show_connected(&app);
    app.next_tick_ms = db_now_ms() + settings->tick_seconds * 1000LL;
    app.next_sweep_ms = db_now_ms();

    loop_run(&app);

    prompt_done();
    for (int i = PANE_COUNT - 1; i >= 0; i--) {
        if (panes[i].ops->close)
            panes[i].ops->close(&panes[i]);
        if (panes[i].frame) {
            delwin(panes[i].win);
            delwin(panes[i].frame);
        }
    }
    screen_close();
    loop_done();
    db_close(&app.db);
    return 0;
}

int console_run_script(const struct settings *settings, const char *conninfo,
                       const char *const *commands, int count)
{
    (void)settings;
    struct db db;
    int rc = open_database(&db, conninfo);
    if (rc)
        return rc;
    rc = script_run(&db, commands, count);
    db_close(&db);
    return rc;
}
