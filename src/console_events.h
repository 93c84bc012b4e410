/* What the loop calls back into the console for. */
#ifndef TUKI_CONSOLE_EVENTS_H
#define TUKI_CONSOLE_EVENTS_H

#include "app.h"

void console_before_poll(struct app *app);
int console_next_timeout_ms(struct app *app);
void console_on_input(struct app *app);
void console_on_db_ready(struct app *app);
void console_on_signal(struct app *app, int sig);
void console_on_timers(struct app *app);

#endif
