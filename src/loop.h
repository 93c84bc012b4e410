/* The one event loop: poll() over the terminal, the database socket and a signal
 * self-pipe, waking for the next timer. Nothing else blocks. */
#ifndef TUKI_LOOP_H
#define TUKI_LOOP_H

#include "app.h"

/* Installs the signal handlers that feed the self-pipe. */
int loop_init(void);
void loop_done(void);

/* Runs until app->quit. */
void loop_run(struct app *app);

#endif
