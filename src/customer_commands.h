/* The customer console's commands (a contact's login): file a request, reply, attach a
 * file, reopen, close, approve billable work; and which of the agents' commands a contact
 * may also use (open, reply, help, quit, reload, redraw). The schema decides what a contact
 * may do; this only says it in the contact's words. */
#ifndef TUKI_CUSTOMER_COMMANDS_H
#define TUKI_CUSTOMER_COMMANDS_H

#include "command.h"

#include <stdbool.h>
#include <stddef.h>

/* Runs a customer's command line: its own commands, or the shared ones through
 * command_run; anything else is refused without asking the database. */
int customer_command_run(struct command_ctx *ctx, const char *line);

/* The customer's help text (all its commands), newly allocated. */
char *customer_command_help(void);

/* The media type of a file, from its name's extension (application/octet-stream when
 * unknown). */
const char *customer_content_type(const char *filename);

#endif
