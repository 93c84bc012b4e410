#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int signal_pipe[2] = {-1, -1};

static void forward_signal(int sig)
{
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    if (write(signal_pipe[1], &byte, 1) < 0) {
        /* the pipe is full: a signal of this kind is already pending */
    }
    errno = saved;
}

int loop_init(void)
{
    if (pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

void loop_done(void)
{
    signal(SIGWINCH, SIG_DFL);
    for (int i = 0; i < 2; i++) {
        if (signal_pipe[i] >= 0)
            close(signal_pipe[i]);
        signal_pipe[i] = -1;
    }
}

static void drain_signals(const struct loop_handlers *h)
{
    unsigned char sigs[64];
    ssize_t n;
    while ((n = read(signal_pipe[0], sigs, sizeof sigs)) > 0)
        for (ssize_t i = 0; i < n; i++)
            h->on_signal(h->data, sigs[i]);
}

void loop_run(const struct loop_handlers *h)
{
    while (!h->done(h->data)) {
        h->before_poll(h->data);
        struct pollfd fds[3];
        int nfds = 0;
        fds[nfds++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[nfds++] = (struct pollfd){.fd = signal_pipe[0], .events = POLLIN};
        bool write = false;
        int fd = h->watch_fd(h->data, &write);
        if (fd >= 0)
            fds[nfds++] = (struct pollfd){.fd = fd, .events = (short)(write ? POLLOUT : POLLIN)};
        int ready = poll(fds, (nfds_t)nfds, h->timeout_ms(h->data));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0 && fds[1].revents)
            drain_signals(h);
        if (ready > 0 && nfds > 2 && fds[2].revents)
            h->on_fd_ready(h->data);
        if (ready > 0 && fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN)) {
            h->on_hangup(h->data);
            break;
        }
        if (ready > 0 && fds[0].revents & POLLIN)
            h->on_input(h->data);
        h->on_timers(h->data);
    }
}
