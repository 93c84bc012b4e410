/* The console: turns keys into requests and commands, carries out what panes ask for, and
 * hands the loop its handlers. Data flows one way: key → request → (asynchronous) query →
 * answer or notification → dirty pane → paint. */
#include "console.h"

#include "command.h"
#include "editor.h"
#include "i18n.h"
#include "customer_console.h"
#include "loop.h"
#include "migrate.h"
#include "model.h"
#include "pane.h"
#include "prompt.h"
#include "screen.h"
#include "script.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sysexits.h>
#include <unistd.h>

#define CTRL_C_BYTE     3   /* what Ctrl-C sends when the terminal does not turn it into SIGINT */
#define WAITING_NOTE_MS 300 /* a statement slower than this is named in the status line */
#define SLA_SETTLE_MS   150 /* while keys scroll the queue, the clocks wait until they stop */

/* What the console keeps besides the app: the notifications not acted on yet, and what
 * the status line said before a "waiting for" note replaced it. */
struct console {
    struct app app;
    struct change change; /* the union of notifications since the last paint */
    bool prompt_was_active;
    bool change_pending;
    bool db_state_changed;
    enum db_state shown_state;
    char *status_before_wait;
    bool before_wait_is_error;
};

static void show_connected(struct app *app)
{
    /* TRANSLATORS: the database role, then the database's name. */
    app_status(app, false, _("connected as %s to %s"), app->db.role, app->db.dbname);
}

/* Opens the connection for the console or a script: connect, check the schema. Every time
 * shown is in the agent's zone: libpq sets the session's TimeZone from PGTZ at each connect,
 * reconnects included. */
static int open_database(struct db *db, const char *conninfo, const struct settings *settings)
{
    const char *zone = settings_time_zone(settings, getenv("PGTZ"), getenv("TZ"));
    if (zone)
        setenv("PGTZ", zone, 1);
    int rc = db_connect_or_exit(db, conninfo, NULL, 0);
    if (rc)
        return rc;
    char *err = NULL;
    if (migrate_check_compatible(db->conn, &err) < 0) {
        fprintf(stderr, "tuki: %s\n", err ? err : _("out of memory"));
        free(err);
        db_close(db);
        return EX_UNAVAILABLE;
    }
    return 0;
}

static void warning_fraction_arrived(void *data, PGresult *res)
{
    struct app *app = data;
    if (db_ok(res) && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        app->warning_fraction = atof(PQgetvalue(res, 0, 0));
    if (res)
        app->panes[PANE_SLA]->dirty |= DIRTY_PAINT;
    PQclear(res);
}

static void reload_panes(struct app *app, const struct change *change)
{
    /* The queue first: the SLA pane follows the queue's rows. */
    for (int i = 0; i < PANE_COUNT; i++)
        if (app->panes[i]->ops->reload)
            app->panes[i]->ops->reload(app->panes[i], app, change);
}

/* Once per connection: the schema's warning threshold, the completion lists, every pane. */
static void on_connected(struct app *app)
{
    db_send(&app->db, _("the SLA threshold"), "SELECT tuki.sla_warning_percent() / 100.0", 0, NULL,
            warning_fraction_arrived, app);
    reload_panes(app, NULL);
    completion_refresh(&app->db);
}

static void set_focus(struct app *app, int focus)
{
    app->panes[app->focus]->dirty |= DIRTY_PAINT;
    app->focus = focus;
    app->panes[focus]->dirty |= DIRTY_PAINT;
}

static void follow_queue(struct app *app)
{
    app->sla_follow_at_ms = 0;
    struct pane *queue = app->panes[PANE_QUEUE];
    int max = queue->h > 0 ? queue->h : 1;
    long long *ids = malloc((size_t)max * sizeof *ids);
    int n = queue_pane_visible_ids(queue, ids, max);
    sla_pane_follow(app->panes[PANE_SLA], app, ids, n);
    free(ids);
}

/* The ticket pane, or the customer's conversation in its place. */
static void show_ticket(struct app *app, long long id)
{
    if (app->customer)
        customer_conversation_show(app->panes[PANE_TICKET], id);
    else
        ticket_pane_show(app->panes[PANE_TICKET], app, id);
}

static void show_text(struct app *app, const char *title, const char *text)
{
    if (app->customer)
        customer_conversation_show_text(app->panes[PANE_TICKET], title, text);
    else
        ticket_pane_show_text(app->panes[PANE_TICKET], title, text);
}

/* What a pane asked for, done by the one who may. */
static void carry_out(struct app *app, struct pane *pane, unsigned actions)
{
    if (actions & REDRAW)
        pane->dirty |= DIRTY_PAINT;
    if (actions & OPEN_TICKET)
        show_ticket(app, pane->ticket);
    if (actions & FOCUS_TICKET && app->panes[PANE_TICKET]->h)
        set_focus(app, PANE_TICKET);
    if (actions & FOCUS_QUEUE)
        set_focus(app, PANE_QUEUE);
    if (actions & IDS_CHANGED) {
        /* Scrolling key by key would fetch clocks for every step: they follow once the keys
         * pause, and at once after any other change. */
        long long now = db_now_ms();
        if (now - app->last_key_ms < SLA_SETTLE_MS)
            app->sla_follow_at_ms = now + SLA_SETTLE_MS;
        else
            follow_queue(app);
    }
    if (actions & RELOAD)
        reload_panes(app, NULL);
}

static void carry_out_wants(struct app *app)
{
    for (int round = 0; round < 3; round++) {
        bool any = false;
        for (int i = 0; i < PANE_COUNT; i++) {
            unsigned wants = app->panes[i]->wants;
            app->panes[i]->wants = 0;
            if (wants) {
                carry_out(app, app->panes[i], wants);
                any = true;
            }
        }
        if (!any)
            return;
    }
}

/* The ticket a key or command means: the open ticket when its pane has the focus, else
 * the row under the queue's cursor. */
static long long selected_ticket(const struct app *app)
{
    if (app->customer)
        return customer_console_selected(app);
    if (app->focus == PANE_TICKET) {
        long long id = ticket_pane_id(app->panes[PANE_TICKET]);
        if (id)
            return id;
    }
    return queue_pane_selected(app->panes[PANE_QUEUE]);
}

static void ui_open_ticket(void *data, long long id)
{
    show_ticket(data, id);
}

static void ui_set_filter(void *data, const struct filter *f)
{
    struct app *app = data;
    queue_pane_set_filter(app->panes[PANE_QUEUE], app, f);
    set_focus(app, PANE_QUEUE);
}

static void ui_show_workload(void *data)
{
    struct app *app = data;
    ticket_pane_show_workload(app->panes[PANE_TICKET], app);
}

static void ui_show_help(void *data, const char *commands_text)
{
    struct app *app = data;
    char *text = keymap_help(&app->keys, commands_text);
    show_text(app, _("Help"), text);
    free(text);
}

static void ui_show_text(void *data, const char *title, const char *text)
{
    show_text(data, title, text);
}

static void ui_changed(void *data)
{
    reload_panes(data, NULL);
}

static void redraw_all(struct app *app)
{
    clearok(curscr, TRUE);
    screen_layout(app);
}

static void ui_redraw(void *data)
{
    redraw_all(data);
}

static void ui_quit(void *data)
{
    ((struct app *)data)->quit = true;
}

static void ui_finished(void *data, struct command_ctx *ctx)
{
    struct app *app = data;
    if (*command_hint(ctx))
        app_status(app, ctx->is_error, _("%s (hint: %s)"), command_message(ctx), command_hint(ctx));
    else if (ctx->is_error || *command_message(ctx))
        app_status(app, ctx->is_error, "%s", command_message(ctx));
    command_ctx_clear(ctx);
    free(ctx);
}

/* The editor takes the terminal: curses steps aside and comes back with a full repaint. */
static int ui_edit(void *data, const char *text, char **edited, char **err)
{
    struct app *app = data;
    def_prog_mode();
    endwin();
    int rc = editor_run(text, edited, err);
    reset_prog_mode();
    redraw_all(app);
    refresh();
    return rc;
}

static const struct command_ui screen_ui = {
    .open_ticket = ui_open_ticket,
    .follow_ticket = ui_open_ticket,
    .set_filter = ui_set_filter,
    .show_workload = ui_show_workload,
    .show_help = ui_show_help,
    .show_text = ui_show_text,
    .changed = ui_changed,
    .redraw = ui_redraw,
    .quit = ui_quit,
    .edit = ui_edit,
    .finished = ui_finished,
};

/* Runs a command line as typed; its answer reaches the status line through ui_finished. */
static void run_line(struct app *app, const char *line)
{
    struct command_ctx *ctx = calloc(1, sizeof *ctx);
    ctx->db = &app->db;
    ctx->selected = selected_ticket(app);
    ctx->ui = &screen_ui;
    ctx->ui_data = app;
    if (app->customer)
        customer_command_run(ctx, line);
    else
        command_run(ctx, line);
}

static void show_prompt_status(struct app *app, const char *text)
{
    app_status(app, false, "%s", text);
}

static void open_prompt(struct app *app, const char *initial)
{
    keypad(stdscr, FALSE); /* readline wants the raw bytes of arrows and friends */
    prompt_open(app, initial);
}

/* A key bound to a command template: %i is the selected ticket; with a leading ':' the
 * line goes on the prompt instead of running. */
static void run_binding(struct app *app, const char *template)
{
    bool to_prompt = template[0] == ':';
    char *line = command_expand(to_prompt ? template + 1 : template, selected_ticket(app));
    if (!line)
        app_status(app, true, _("no ticket selected"));
    else if (to_prompt)
        open_prompt(app, line);
    else
        run_line(app, line);
    free(line);
}

/* Esc or Ctrl-C: stop the statement the status line says the console is waiting for (a
 * quicker one is left alone: Ctrl-C then quits, as always). */
static bool cancel_waiting(struct app *app)
{
    long number;
    const char *label;
    long long since;
    if (!db_waiting(&app->db, &number, &label, &since) || number != app->waiting_shown)
        return false;
    if (db_cancel(&app->db))
        app_status(app, false, _("cancelling %s …"), label);
    return true;
}

static void show_help(struct app *app)
{
    if (app->customer) {
        char *text = customer_command_help();
        ui_show_help(app, text);
        free(text);
        return;
    }
    char *text = command_help(NULL); /* allocated: the help is never cut */
    if (text)
        ui_show_help(app, text);
    free(text);
}

static void act(struct app *app, enum request req)
{
    struct pane *pane = app->panes[app->focus];
    switch (req) {
    case REQ_PROMPT:
        open_prompt(app, "");
        return;
    case REQ_SEARCH:
        open_prompt(app, "search ");
        return;
    case REQ_HELP:
        show_help(app);
        return;
    case REQ_QUIT:
        app->quit = true;
        return;
    case REQ_CANCEL:
        cancel_waiting(app);
        return;
    case REQ_NEXT_PANE: {
        int next = app->focus;
        do
            next = (next + 1) % PANE_COUNT;
        while (app->panes[next]->h == 0);
        set_focus(app, next);
        return;
    }
    default:
        break;
    }
    if (pane->h && pane->ops->request)
        carry_out(app, pane, pane->ops->request(pane, app, req));
}

static void handle_key(struct app *app, int key)
{
    app->last_key_ms = db_now_ms();
    if (app->too_small) {
        if (key == 'q')
            app->quit = true;
        return;
    }
    if (key == '\r' || key == KEY_ENTER)
        key = '\n'; /* Enter, however the terminal sends it */
    const struct key_action *action = keymap_find(&app->keys, key);
    const char *command = action ? keymap_command(action) : NULL;
    if (command)
        run_binding(app, command);
    else if (action)
        act(app, action->request);
    else if (key < KEY_MIN && key >= ' ')
        app_status(app, true, _("key '%c' does nothing here; ? lists the keys"), key);
}

static void on_signal(void *data, int sig)
{
    struct console *c = data;
    struct app *app = &c->app;
    if (sig == SIGWINCH) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
            resizeterm(ws.ws_row, ws.ws_col);
        redraw_all(app);
    } else if (sig == SIGINT && cancel_waiting(app)) {
        /* Ctrl-C first stops a statement the console waits for */
    } else if (sig == SIGINT && app->prompt_active) {
        prompt_cancel(app); /* Ctrl-C at the prompt only abandons the line */
        keypad(stdscr, TRUE);
    } else {
        app->quit = true; /* SIGINT, SIGTERM, SIGHUP: leave cleanly */
    }
}

static void on_input(void *data)
{
    struct console *c = data;
    struct app *app = &c->app;
    /* Drain everything curses has buffered, or poll() would sleep on typed keys. */
    int key;
    while (!app->quit && (key = getch()) != ERR) {
        if (key == CTRL_C_BYTE) {
            /* Ctrl-C arrives as a byte only when the terminal's ISIG is off (stty -isig, or
             * a program that left it so); it still means what SIGINT means. */
            on_signal(c, SIGINT);
            continue;
        }
        if (!app->prompt_active) {
            handle_key(app, key);
            continue;
        }
        unsigned char bytes[512]; /* a chunk of what is typed: the rest comes in the next one */
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

static void on_notify(void *owner, const char *payload)
{
    struct console *c = owner;
    struct change one;
    change_parse(payload, &one);
    /* A hint only: panes re-query, and row security decides what they see. */
    if (!c->change_pending) {
        c->change = one;
        c->change_pending = true;
        return;
    }
    c->change.all |= one.all;
    c->change.ids = realloc(c->change.ids, ((size_t)c->change.count + (size_t)one.count + 1) *
                                               sizeof *c->change.ids);
    memcpy(c->change.ids + c->change.count, one.ids, (size_t)one.count * sizeof *one.ids);
    c->change.count += one.count;
    change_free(&one);
}

static void on_db_state(void *owner)
{
    ((struct console *)owner)->db_state_changed = true;
}

static void after_db_state_change(struct console *c)
{
    struct app *app = &c->app;
    c->db_state_changed = false;
    if (app->db.state == c->shown_state)
        return;
    bool banner_changes = (app->db.state == DB_ONLINE) != (c->shown_state == DB_ONLINE);
    c->shown_state = app->db.state;
    if (banner_changes)
        screen_layout(app);
    if (app->db.state == DB_ONLINE) {
        on_connected(app);
        show_connected(app);
    }
}

/* The status line names a statement that has waited WAITING_NOTE_MS, and gives back what
 * it said before when that statement is answered by something that leaves no message. */
static void update_waiting_note(struct console *c)
{
    struct app *app = &c->app;
    long number;
    const char *label;
    long long since;
    bool waiting = db_waiting(&app->db, &number, &label, &since);
    if (waiting && number == app->waiting_shown)
        return;
    if (app->waiting_shown) {
        /* The statement named is done and left no message of its own (a pane's query). */
        app_status(app, c->before_wait_is_error, "%s",
                   c->status_before_wait ? c->status_before_wait : "");
        free(c->status_before_wait);
        c->status_before_wait = NULL;
    }
    if (!waiting || db_now_ms() - since < WAITING_NOTE_MS)
        return;
    free(c->status_before_wait);
    c->status_before_wait = app->status ? strdup(app->status) : NULL;
    c->before_wait_is_error = app->status_is_error;
    /* TRANSLATORS: %s names the statement, e.g. "#42 (take)" or "the queue". */
    app_status(app, false, _("waiting for %s … (Esc cancels)"), label);
    app->waiting_shown = number;
}

static void before_poll(void *data)
{
    struct console *c = data;
    struct app *app = &c->app;
    db_drain_notifications(&app->db);
    if (c->db_state_changed)
        after_db_state_change(c);
    if (c->change_pending) {
        c->change_pending = false;
        reload_panes(app, &c->change);
        change_free(&c->change);
    }
    carry_out_wants(app);
    if (c->prompt_was_active != app->prompt_active)
        app->status_dirty = true; /* the prompt gives the last line back */
    c->prompt_was_active = app->prompt_active;
    update_waiting_note(c);
    if (!app->waiting_shown && c->status_before_wait) {
        free(c->status_before_wait); /* a command's answer replaced the note */
        c->status_before_wait = NULL;
    }
    screen_draw(app);
    if (app->prompt_active)
        prompt_draw(app);
}

static int timeout_ms(void *data)
{
    struct app *app = &((struct console *)data)->app;
    long long now = db_now_ms();
    long long next = app->next_tick_ms;
    if (app->next_sweep_ms < next)
        next = app->next_sweep_ms;
    if (app->sla_follow_at_ms && app->sla_follow_at_ms < next)
        next = app->sla_follow_at_ms;
    if (app->db.state == DB_OFFLINE && app->db.retry_at_ms < next)
        next = app->db.retry_at_ms;
    long number;
    const char *label;
    long long since;
    if (db_waiting(&app->db, &number, &label, &since) && number != app->waiting_shown &&
        since + WAITING_NOTE_MS < next)
        next = since + WAITING_NOTE_MS;
    return next <= now ? 0 : (int)(next - now);
}

static int watch_fd(void *data, bool *write)
{
    struct app *app = &((struct console *)data)->app;
    *write = db_wants_write(&app->db);
    return db_socket(&app->db);
}

static void on_fd_ready(void *data)
{
    struct app *app = &((struct console *)data)->app;
    db_on_socket(&app->db, db_now_ms());
}

static void sweep_done(void *data, PGresult *res)
{
    (void)data;
    PQclear(res); /* the sweep's notification brings what changed */
}

static void on_timers(void *data)
{
    struct app *app = &((struct console *)data)->app;
    long long now = db_now_ms();
    if (app->db.state != DB_ONLINE)
        db_reconnect_step(&app->db, now);
    if (now >= app->next_tick_ms) {
        app->next_tick_ms = now + app->settings->tick_seconds * 1000LL;
        if (app->db.state == DB_ONLINE && !app->customer)
            sla_pane_tick(app->panes[PANE_SLA], app);
    }
    if (app->sla_follow_at_ms && now >= app->sla_follow_at_ms) {
        app->sla_follow_at_ms = 0;
        follow_queue(app);
    }
    if (now >= app->next_sweep_ms) {
        app->next_sweep_ms = now + app->settings->sweep_seconds * 1000LL;
        /* Records warnings and breaches once; safe from every console. Absent before the SLA
         * engine is installed, which is no error here. */
        if (app->db.state == DB_ONLINE && !app->customer)
            db_send(&app->db, _("the SLA sweep"), "SELECT tuki.sla_sweep()", 0, NULL, sweep_done,
                    NULL);
    }
}

static void on_hangup(void *data)
{
    ((struct console *)data)->app.quit = true; /* the terminal went away */
}

static bool loop_finished(void *data)
{
    return ((struct console *)data)->app.quit;
}

int console_run(const struct settings *settings, const char *conninfo)
{
    struct console *c = calloc(1, sizeof *c);
    struct app *app = &c->app;
    app->settings = settings;
    /* The database first: its problems are the ones worth reporting even without a tty. */
    int rc = open_database(&app->db, conninfo, settings);
    char *err = NULL;
    if (rc == 0 && db_listen(&app->db, &err) < 0) {
        fprintf(stderr, _("tuki: cannot listen for changes: %s\n"), err ? err : _("out of memory"));
        db_close(&app->db);
        rc = EX_UNAVAILABLE;
    }
    free(err);
    if (rc) {
        free(c);
        return rc;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                _("tuki: the console needs a terminal; use 'tuki -c COMMAND' in scripts\n"));
        db_close(&app->db);
        free(c);
        return EX_USAGE;
    }
    app->db.async = true;
    app->db.owner = c;
    app->db.on_notify = on_notify;
    app->db.on_state = on_db_state;
    c->shown_state = DB_ONLINE;
    keymap_build(&app->keys, settings);
    /* A contact's login gets the customer's view, chosen by its role. */
    app->customer = customer_console_is_contact(&app->db);
    const struct pane_ops *agent_ops[PANE_COUNT] = {&queue_pane_ops, &ticket_pane_ops,
                                                    &sla_pane_ops};
    const struct pane_ops *const *ops = app->customer ? customer_console_panes() : agent_ops;
    struct pane panes[PANE_COUNT];
    memset(panes, 0, sizeof panes);
    for (int i = 0; i < PANE_COUNT; i++) {
        panes[i].ops = ops[i];
        app->panes[i] = &panes[i];
    }
    if (loop_init() < 0) {
        perror("tuki");
        db_close(&app->db);
        app_free(app);
        free(c);
        return EX_OSERR;
    }
    screen_open(app);
    prompt_run_line = run_line;
    prompt_show_status = show_prompt_status;
    prompt_init(app);
    for (int i = 0; i < PANE_COUNT; i++)
        if (panes[i].ops->open)
            panes[i].ops->open(&panes[i], app);
    screen_layout(app);
    struct filter f;
    char *filter_err = NULL;
    if (filter_parse(settings->default_filter, &f, &filter_err) < 0)
        app_status(app, true, _("console.filter: %s"),
                   filter_err ? filter_err : _("out of memory"));
    else
        show_connected(app);
    filter_free(&f);
    free(filter_err);
    on_connected(app);
    app->next_tick_ms = db_now_ms() + settings->tick_seconds * 1000LL;
    app->next_sweep_ms = db_now_ms();

    const struct loop_handlers handlers = {
        .data = c,
        .before_poll = before_poll,
        .timeout_ms = timeout_ms,
        .watch_fd = watch_fd,
        .on_fd_ready = on_fd_ready,
        .on_input = on_input,
        .on_signal = on_signal,
        .on_timers = on_timers,
        .on_hangup = on_hangup,
        .done = loop_finished,
    };
    loop_run(&handlers);

    prompt_done();
    db_close(&app->db); /* answers what is still queued while the panes are there */
    completion_forget();
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
    change_free(&c->change);
    free(c->status_before_wait);
    app_free(app);
    free(c);
    return 0;
}

int console_run_script(const struct settings *settings, const char *conninfo,
                       const char *const *commands, int count)
{
    struct db db;
    int rc = open_database(&db, conninfo, settings);
    if (rc)
        return rc;
    rc = script_run(&db, commands, count);
    db_close(&db);
    return rc;
}
