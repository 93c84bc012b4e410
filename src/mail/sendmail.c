/* sendmail(8) as a child process. */
#include "sendmail.h"

#include "mail_handoff.h"
#include "text.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

enum send_result sendmail_classify(int status)
{
    if (!WIFEXITED(status))
        return SEND_TEMPORARY; /* killed by a signal */
    switch (WEXITSTATUS(status)) {
    case 0:
        return SEND_OK;
    case EX_TEMPFAIL:
    case EX_OSERR:
    case EX_IOERR:
    case EX_CANTCREAT:
    case EX_SOFTWARE:
    case 126: /* the command cannot run or is missing: an administrator's fix away */
    case 127:
        return SEND_TEMPORARY;
    default:
        return SEND_PERMANENT;
    }
}

void sendmail_start(struct sendmail_job *job, const char *command, const char *raw, size_t len)
{
    memset(job, 0, sizeof *job);
    job->pid = -1;
    job->command = strdup(command);
    job->output = tmpfile();
    int in[2];
    if (!job->output || pipe(in) < 0) {
        job->start_error = text_printf("cannot start '%s': %s", command, strerror(errno));
        return;
    }
    job->pid = fork();
    if (job->pid < 0) {
        job->start_error = text_printf("cannot start '%s': %s", command, strerror(errno));
        close(in[0]), close(in[1]);
        return;
    }
    if (job->pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(fileno(job->output), STDOUT_FILENO);
        dup2(fileno(job->output), STDERR_FILENO);
        close(in[0]), close(in[1]);
        signal(SIGTERM, SIG_DFL), signal(SIGINT, SIG_DFL), signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(in[1], raw + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* it stopped reading; its status says why */
        done += (size_t)n;
    }
    close(in[1]);
}

/* All that the command wrote (the child wrote the file through its descriptor), newly
 * allocated; NULL when it cannot be read. */
static char *read_output(FILE *output)
{
    char *text = NULL;
    size_t len;
    if (lseek(fileno(output), 0, SEEK_SET) < 0 || mail_read_all(fileno(output), &text, &len) < 0)
        return NULL;
    return text;
}

enum send_result sendmail_finish(struct sendmail_job *job, char **err)
{
    enum send_result result = SEND_TEMPORARY;
    *err = NULL;
    if (job->pid < 0) {
        *err = strdup(job->start_error ? job->start_error : "cannot start sendmail: out of memory");
    } else {
        int status = 0;
        while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR) {
        }
        result = sendmail_classify(status);
        if (result != SEND_OK) {
            char *text = job->output ? read_output(job->output) : NULL;
            size_t n = text ? strlen(text) : 0;
            while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
                text[--n] = '\0';
            for (char *p = text; p && *p; p++)
                if (*p == '\n')
                    *p = ' ';
            if (text && *text) {
                *err = text;
            } else {
                free(text);
                *err = text_printf("'%s' exited with status %d", job->command,
                                   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            }
        }
    }
    if (job->output)
        fclose(job->output);
    free(job->command);
    free(job->start_error);
    memset(job, 0, sizeof *job);
    return result;
}
