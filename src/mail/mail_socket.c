/* The worker's mail socket (mail_socket.h). */
#include "mail_socket.h"

#include "text.h"

#include "mail_handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static bool make_address(struct sockaddr_un *addr, const char *path)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path)
        return false;
    memcpy(addr->sun_path, path, strlen(path) + 1);
    return true;
}

/* True when something listens at path (another worker): its socket must stay. */
static bool somebody_listens(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool live = connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0;
    close(fd);
    return live;
}

int mail_socket_open(struct mail_socket *s, const char *path, char **err)
{
    *err = NULL;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    struct sockaddr_un addr;
    if (!make_address(&addr, path)) {
        *err = text_printf("%s: the path is too long for a socket", path);
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            *err = text_printf("%s exists and is no socket", path);
            return -1;
        }
        if (somebody_listens(&addr)) {
            *err = text_printf("%s: another worker listens there", path);
            return -1;
        }
        unlink(path); /* stale: left by a worker that did not exit cleanly */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        *err = text_printf("socket: %s", strerror(errno));
        return -1;
    }
    /* created 0660 from the start (no window in which anybody may connect) */
    mode_t old = umask(0117);
    int bound = bind(fd, (struct sockaddr *)&addr, sizeof addr);
    umask(old);
    if (bound < 0 || listen(fd, SOMAXCONN) < 0) {
        *err = text_printf("%s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    s->fd = fd;
    s->path = strdup(path);
    return 0;
}

static void drop_client(struct mail_socket *s, size_t i)
{
    close(s->clients[i].fd);
    free(s->clients[i].buf);
    s->clients[i] = s->clients[--s->client_count];
}

void mail_socket_close(struct mail_socket *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        unlink(s->path);
    }
    while (s->client_count)
        drop_client(s, 0);
    free(s->path);
    s->path = NULL;
    s->fd = -1;
}

size_t mail_socket_pollfds(const struct mail_socket *s, struct pollfd *fds, size_t max)
{
    size_t n = 0;
    if (s->fd >= 0 && s->client_count < MAIL_SOCKET_CLIENTS && n < max)
        fds[n++] = (struct pollfd){.fd = s->fd, .events = POLLIN};
    for (size_t i = 0; i < s->client_count && n < max; i++)
        fds[n++] = (struct pollfd){.fd = s->clients[i].fd, .events = POLLIN};
    return n;
}

/* Reads what client c has sent; 1 when it has sent all (EOF), 0 for more later, -1 gone. */
static int read_client(struct mail_socket_client *c)
{
    for (;;) {
        if (c->cap - c->len < 65536) {
            size_t cap = c->cap ? c->cap * 2 : 131072;
            char *buf = realloc(c->buf, cap);
            if (!buf)
                return -1;
            c->buf = buf;
            c->cap = cap;
        }
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
        if (n > 0)
            c->len += (size_t)n;
        else if (n == 0)
            return 1;
        else if (errno == EINTR)
            continue;
        else
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}

static void answer(int fd, int status, const char *what)
{
    char *line;
    int n = asprintf(&line, "%d %s\n", status, what ? what : "");
    if (n < 0)
        return;
    /* a few bytes into an empty socket buffer; a client that is gone stores it itself */
    if (send(fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
    }
    free(line);
}

int mail_socket_serve(struct mail_socket *s, mail_socket_store_fn store, void *ctx)
{
    while (s->fd >= 0 && s->client_count < MAIL_SOCKET_CLIENTS) {
        int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            break; /* EAGAIN: nobody else waits; anything else: try again on the next wake */
        s->clients[s->client_count++] = (struct mail_socket_client){.fd = fd};
    }
    int stored = 0;
    for (size_t i = 0; i < s->client_count;) {
        struct mail_socket_client *c = &s->clients[i];
        int state = read_client(c);
        size_t length = 0, header = 0;
        int framed = c->len ? mail_handoff_parse_length(c->buf, c->len, &length, &header) : 0;
        bool complete = framed == 1 && c->len - header == length;
        if (state == 0 && framed >= 0 && !(framed == 1 && c->len - header > length) && !complete) {
            i++; /* more to come */
            continue;
        }
        /* all the bytes announced (a gone sender's first part, or more than announced: no) */
        if (state >= 0 && complete) {
            char *raw = c->buf + header;
            raw[length] = '\0'; /* read_client leaves room */
            char *what = NULL;
            int status = store(ctx, raw, length, &what);
            answer(c->fd, status, what);
            free(what);
            stored++;
        }
        drop_client(s, i); /* the next client moved to i */
    }
    return stored;
}
