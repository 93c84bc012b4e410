/* The leads' administration commands (contacts, contracts, raises, opening hours, holidays,
 * the audit of their changes) and the monthly report, as rows of the one command table
 * (command.c). The database decides who may (TK005 for agents who are not leads). */
#ifndef TUKI_COMMAND_ADMIN_H
#define TUKI_COMMAND_ADMIN_H

#include "command.h"
#include "i18n.h"

int cmd_contact(struct command_ctx *ctx, const char *line);
int cmd_contract(struct command_ctx *ctx, const char *line);
int cmd_raise(struct command_ctx *ctx, const char *line);
int cmd_hours(struct command_ctx *ctx, const char *line);
int cmd_holiday(struct command_ctx *ctx, const char *line);
int cmd_audit(struct command_ctx *ctx, const char *line);
int cmd_report(struct command_ctx *ctx, const char *line);

#define COMMAND_ADMIN_ENTRIES                                                                      \
    {"report",                                                                                     \
     N_("CUSTOMER [YYYY-MM]"),                                                                     \
     N_("the customer's monthly report, as 'tuki report' writes it (default: this month)"),        \
     {ARG_CUSTOMER, ARG_NONE},                                                                     \
     cmd_report},                                                                                  \
        {"contact",                                                                                \
         N_("add CUSTOMER NAME [FIELD=VALUE…] | set ID FIELD=VALUE… | deactivate ID | list "   \
            "CUSTOMER"),                                                                           \
         N_("leads: a customer's named contacts (email, phone, language, billable, login)"),       \
         {ARG_NONE, ARG_CUSTOMER},                                                                 \
         cmd_contact},                                                                             \
        {"contract",                                                                               \
         N_("add CUSTOMER LEVEL CALENDAR FROM [to=DATE] [quota=DURATION] | set ID FIELD=VALUE… " \
            "| list CUSTOMER"),                                                                    \
         N_("leads: contracts (level, calendar, quota, validity)"),                                \
         {ARG_NONE, ARG_CUSTOMER},                                                                 \
         cmd_contract},                                                                            \
        {"raise",                                                                                  \
         N_("CUSTOMER LEVEL FROM TO"),                                                             \
         N_("leads: a temporary service-level raise of the contract, FROM to TO (dates)"),         \
         {ARG_CUSTOMER, ARG_NONE},                                                                 \
         cmd_raise},                                                                               \
        {"hours",                                                                                  \
         N_("CALENDAR [DAYS HH:MM-HH:MM… | DAYS closed]"),                                         \
         N_("a calendar's opening hours and holidays; leads: set them, e.g. mon-fri 08:00-16:00"), \
         {ARG_NONE},                                                                               \
         cmd_hours},                                                                               \
        {"holiday",                                                                                \
         N_("add CALENDAR DATE NAME | remove CALENDAR DATE"),                                      \
         N_("leads: a calendar's holidays, e.g. holiday add fi-8-16 2027-12-24 Jouluaatto"),       \
         {ARG_NONE},                                                                               \
         cmd_holiday},                                                                             \
        {"audit",                                                                                  \
         N_("[N]"),                                                                                \
         N_("the last N (20) changes of contacts, contracts, hours and holidays: who and when"),   \
         {ARG_NUMBER},                                                                             \
         cmd_audit},

#endif
