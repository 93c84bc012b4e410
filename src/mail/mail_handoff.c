/* The client side of the worker's mail socket (mail_handoff.h). */
#include "mail_handoff.h"

#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>

#define ANSWER_MAX 65536 /* far more than any answer; a peer that says more is no worker */

int mail_read_all(int fd, char **raw, size_t *len)
{
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return errno = ENOMEM, -1;
        if (cap - got < 4096) {
            char *more = realloc(buf, cap * 2);
            if (!more) {
                free(buf);
                return errno = ENOMEM, -1;
            }
            buf = more;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + got, cap - got - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *raw = buf;
    *len = got;
    return 0;
}

void mail_in_report(int status, const char *what, const char *label)
{
    if (status == 0 || status == EX_DATAERR)
        printf("tuki mail-in: %s%s%s\n", label ? label : "", label ? ": " : "", what);
    else
        fprintf(stderr, "tuki mail-in: %s%s%s (the message is not stored; deliver it again)\n",
                label ? label : "", label ? ": " : "", what);
}

int mail_handoff_parse_length(const char *buf, size_t len, size_t *length, size_t *header)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n' && i > 0) {
            *length = n;
            *header = i + 1;
            return 1;
        }
        /* 15 digits: far beyond any message, and no overflow */
        if (buf[i] < '0' || buf[i] > '9' || i >= 15)
            return -1;
        n = n * 10 + (size_t)(buf[i] - '0');
    }
    return 0;
}

int mail_handoff_parse_answer(const char *answer, size_t len, int *status, char **text)
{
    if (len < 2 || answer[len - 1] != '\n' || memchr(answer, '\0', len))
        return -1;
    int n = 0;
    size_t i = 0;
    for (; i < len && i < 3 && answer[i] >= '0' && answer[i] <= '9'; i++)
        n = n * 10 + (answer[i] - '0');
    if (i == 0 || answer[i] != ' ')
        return -1;
    *status = n;
    *text = strndup(answer + i + 1, len - i - 2);
    return *text ? 0 : -1;
}

/* 0 when all of buf went, -1 with errno set. */
static int send_all(int fd, const char *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

int mail_handoff(const char *path, const char *raw, size_t len, char **what)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path)
        return text_fail(what, "the socket path %s is too long", path);
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return text_fail(what, "socket: %s", strerror(errno));
    struct timeval timeout = {.tv_sec = MAIL_HANDOFF_TIMEOUT_SECONDS};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    int rc = -1;
    char *answer = NULL;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        text_fail(what, "%s: %s", path, strerror(errno));
        goto out;
    }
    char header[32];
    int header_len = snprintf(header, sizeof header, "%zu\n", len);
    if (send_all(fd, header, (size_t)header_len) < 0 || send_all(fd, raw, len) < 0) {
        text_fail(what, "sending to %s: %s", path, strerror(errno));
        goto out;
    }
    if (shutdown(fd, SHUT_WR) < 0) {
        text_fail(what, "%s: %s", path, strerror(errno));
        goto out;
    }
    answer = malloc(ANSWER_MAX);
    size_t got = 0;
    for (;;) {
        ssize_t n = answer ? recv(fd, answer + got, ANSWER_MAX - got, 0) : -1;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            text_fail(what, "waiting for %s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got == ANSWER_MAX) {
            text_fail(what, "%s answers too much", path);
            goto out;
        }
    }
    int status;
    if (mail_handoff_parse_answer(answer, got, &status, what) < 0) {
        text_fail(what, got ? "%s answered no status" : "%s closed without an answer", path);
        goto out;
    }
    rc = status;
out:
    free(answer);
    close(fd);
    return rc;
}
