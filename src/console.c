#include "console.h"

#include "console_events.h"
#include "loop.h"
#include "migrate.h"
#include "pane.h"
#include "screen.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sysexits.h>
#include <unistd.h>

void app_status(struct app *app, bool is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    va_end(ap);
    app->status_is_error = is_error;
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

static void listen_for_changes(struct app *app)
{
    PQclear(db_exec(&app->db, "LISTEN tuki", 0, NULL));
}

static void panes_changed(struct app *app)
{
    for (int i = 0; i < PANE_COUNT; i++)
        if (app->panes[i]->ops->on_change)
            app->panes[i]->ops->on_change(app->panes[i], app);
}

void console_before_poll(struct app *app)
{
    screen_draw(app);
}

int console_next_timeout_ms(struct app *app)
{
    long long now = db_now_ms();
    int timeout = app->settings->tick_seconds * 1000;
    if (app->db.state == DB_OFFLINE) {
        long long wait = app->db.retry_at_ms - now;
        if (wait < timeout)
            timeout = wait < 0 ? 0 : (int)wait;
    }
    return timeout;
}

static void handle_key(struct app *app, int key)
{
    struct pane *pane = app->panes[app->focus];
    if (pane->h && pane->ops->key) {
        enum handled h = pane->ops->key(pane, app, key);
        if (h & QUIT)
            app->quit = true;
        if (h != UNHANDLED)
            return;
    }
    switch (key) {
    case 'q': app->quit = true; break;
    case '\t':
        do
            app->focus = (app->focus + 1) % PANE_COUNT;
        while (app->panes[app->focus]->h == 0);
        break;
    case KEY_RESIZE: screen_layout(app); break;
    default: break;
    }
}

void console_on_input(struct app *app)
{
    /* Drain everything curses has buffered, or poll() would sleep on typed keys. */
    int key;
    while (!app->quit && (key = getch()) != ERR)
        handle_key(app, key);
}

static void after_reconnect(struct app *app)
{
    listen_for_changes(app);
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
    if (!PQconsumeInput(app->db.conn)) {
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
}

void console_on_signal(struct app *app, int sig)
{
    if (sig == SIGWINCH) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
            resizeterm(ws.ws_row, ws.ws_col);
        screen_layout(app);
        clearok(curscr, TRUE);
    } else {
        app->quit = true; /* SIGINT, SIGTERM, SIGHUP: leave cleanly */
    }
}

void console_on_timers(struct app *app)
{
    long long now = db_now_ms();
    if (app->db.state != DB_ONLINE) {
        enum db_state st = db_reconnect_step(&app->db, now);
        if (st == DB_ONLINE)
            after_reconnect(app);
    }
}

int console_run(const struct settings *settings, const char *conninfo)
{
    struct app app;
    memset(&app, 0, sizeof app);
    app.settings = settings;
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
    listen_for_changes(&app);
    screen_open(&app);
    for (int i = 0; i < PANE_COUNT; i++)
        if (panes[i].ops->open)
            panes[i].ops->open(&panes[i], &app);
    screen_layout(&app);
    panes_changed(&app);
    show_connected(&app);

    loop_run(&app);

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
    for (int i = 0; i < count; i++) {
        fprintf(stderr, "tuki: %s: commands are not available in this version yet\n",
                commands[i]);
        rc = 1;
        break;
    }
    db_close(&db);
    return rc;
}
