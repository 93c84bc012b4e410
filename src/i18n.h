/* Translation: every string a user reads goes through _() (or N_() where it sits in a
 * static table and is translated when shown). Catalogues are po/fi.po and po/sk.po,
 * built by meson's i18n module; i18n_init() binds them at start-up. po/README says how a
 * new string gets its translations. */
#ifndef TUKI_I18N_H
#define TUKI_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s)  gettext(s)
#define N_(s) (s)
/* A word marked with its context (xgettext --keyword=NC_:1c,2), looked up by i18n_code. */
#define NC_(context, s) (s)
/* A word translated in its context (xgettext --keyword=C_:1c,2): "Ticket" as a narrow column
 * head is not "Ticket" as a pane's title. */
#define C_(context, s) i18n_code(context, s)

/* Binds the "tuki" text domain: $TUKI_LOCALEDIR when set (tests and the build tree),
 * else the installed locale directory (TUKI_LOCALEDIR of tuki_build.h). Call after
 * setlocale(). */
void i18n_init(const char *installed_localedir);

/* A code of the schema in the user's language: kind is "status", "level" (service level),
 * "type" (ticket type), "channel", "team" or "target" (an SLA clock); an unknown code comes
 * back as it is, so data added later still shows. */
const char *i18n_code(const char *kind, const char *code);

/* Speaking another language for a while (a customer's report): i18n_language_begin switches
 * this thread's messages, dates and numbers to lang ("fi", "sk" or "en") with uselocale(3),
 * whatever LANG, LC_ALL or LANGUAGE say; i18n_language_end puts everything back. Dates and
 * numbers follow lang's locale when it is installed (fi_FI.UTF-8, sk_SK.UTF-8), else C.UTF-8;
 * the messages come from the catalogue either way. Returns false for a language tuki has no
 * catalogue for (the switch is then not made, and end does nothing). Not nested. */
struct i18n_language {
    locale_t locale, previous;
    char *saved_language; /* $LANGUAGE as it was, or NULL when unset */
    bool active;
};
bool i18n_language_begin(struct i18n_language *s, const char *lang);
void i18n_language_end(struct i18n_language *s);

/* True when lang is a language with a catalogue: "fi", "sk", or "en" (the source text). */
bool i18n_language_known(const char *lang);

/* A point in time (seconds since the epoch) as the current locale writes a date with hours
 * and minutes (fi: 30.11.2026 klo 14.05, en: 11/30/26 14:05) in the process's time zone. */
void i18n_format_datetime(long long epoch, char *buf, size_t size);

/* The same for a time already written "YYYY-MM-DD HH:MM" in the zone it is shown in (the
 * database's, tuki.ticket_timeline); copied as it is in the C locale or when it is not of
 * that shape. */
void i18n_format_minute(const char *iso, char *buf, size_t size);

/* A date (YYYY-MM-DD) as the current locale writes it (strftime %x); the text as it is when it
 * is not a date. */
void i18n_format_date(const char *iso, char *buf, size_t size);

/* A decimal figure from the database ("81.5") with the current locale's decimal separator
 * ("81,5" in Finnish and Slovak). */
void i18n_format_decimal(const char *figure, char *buf, size_t size);

#endif
