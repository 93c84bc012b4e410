/* The one event loop: poll() over the terminal, one more descriptor (the database's) and a
 * signal self-pipe, waking for the next timer. Nothing else blocks. It knows nothing of
 * what it drives: the owner hands it a table of handlers. */
#ifndef TUKI_LOOP_H
#define TUKI_LOOP_H

#include <stdbool.h>

struct loop_handlers {
    void *data;
    /* Last work before sleeping: drain what libraries buffered, paint what changed. */
    void (*before_poll)(void *data);
    /* Milliseconds until the next timer is due (0: now). */
    int (*timeout_ms)(void *data);
    /* The descriptor to watch besides the terminal, or -1; *write when it waits to write. */
    int (*watch_fd)(void *data, bool *write);
    void (*on_fd_ready)(void *data);
    void (*on_input)(void *data);
    void (*on_signal)(void *data, int sig);
    void (*on_timers)(void *data);
    /* The terminal is gone (hang-up without input). */
    void (*on_hangup)(void *data);
    bool (*done)(void *data);
};

/* Installs the signal handlers that feed the self-pipe. */
int loop_init(void);
void loop_done(void);

/* Runs until h->done(). */
void loop_run(const struct loop_handlers *h);

#endif
