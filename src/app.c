#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_WARNING_FRACTION 0.75

double app_warning_fraction(const struct app *app)
{
    if (app->settings->sla_warning_percent > 0)
        return app->settings->sla_warning_percent / 100.0;
    return app->warning_fraction > 0 ? app->warning_fraction : DEFAULT_WARNING_FRACTION;
}

void app_status(struct app *app, bool is_error, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    free(app->status);
    app->status = text;
    app->status_is_error = is_error;
    app->status_dirty = true;
    app->waiting_shown = 0;
}

void app_free(struct app *app)
{
    free(app->status);
    app->status = NULL;
    keymap_free(&app->keys);
}
