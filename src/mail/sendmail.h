/* Handing a composed message to sendmail(8) (mail.sendmail, run with /bin/sh -c): start it with
 * the message on its standard input, then collect its exit status, read as sysexits(3), and
 * what it wrote as the reason. Several may run at once. */
#ifndef TUKI_SENDMAIL_H
#define TUKI_SENDMAIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum send_result { SEND_OK, SEND_TEMPORARY, SEND_PERMANENT };

struct sendmail_job {
    pid_t pid;         /* -1 when it could not be started */
    FILE *output;      /* its stdout and stderr */
    char *command;     /* for messages */
    char *start_error; /* why it could not be started, whole; NULL when it was */
};

/* Starts command with raw[0..len) on its stdin; the message is written before it returns. */
void sendmail_start(struct sendmail_job *job, const char *command, const char *raw, size_t len);

/* Waits for it; returns how it went, and on failure sets *err to its output (or its status),
 * whole and newly allocated (the caller frees it); *err is NULL when it was sent. */
enum send_result sendmail_finish(struct sendmail_job *job, char **err);

/* A temporary failure is worth another try: EX_TEMPFAIL, EX_OSERR, EX_IOERR, EX_CANTCREAT,
 * EX_SOFTWARE, a command that cannot run (126, 127) or was killed. */
enum send_result sendmail_classify(int wait_status);

#endif
