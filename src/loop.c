#include "loop.h"

#include "console_events.h"
#include "screen.h"

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

static void drain_signals(struct app *app)
{
    unsigned char sigs[64];
    ssize_t n;
    while ((n = read(signal_pipe[0], sigs, sizeof sigs)) > 0)
        for (ssize_t i = 0; i < n; i++)
            console_on_signal(app, sigs[i]);
}

void loop_run(struct app *app)
{
    while (!app->quit) {
        console_before_poll(app);
        struct pollfd fds[3];
        int nfds = 0;
        fds[nfds++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[nfds++] = (struct pollfd){.fd = signal_pipe[0], .events = POLLIN};
        int dbfd = db_socket(&app->db);
        if (dbfd >= 0)
            fds[nfds++] = (struct pollfd){
                .fd = dbfd, .events = (short)(db_wants_write(&app->db) ? POLLOUT : POLLIN)};
        int timeout = console_next_timeout_ms(app);
        int ready = poll(fds, (nfds_t)nfds, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready > 0 && fds[1].revents)
            drain_signals(app);
        if (ready > 0 && nfds > 2 && fds[2].revents)
            console_on_db_ready(app);
        if (ready > 0 && fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN)) {
            app->quit = true; /* the terminal went away */
            break;
        }
        if (ready > 0 && fds[0].revents & POLLIN)
            console_on_input(app);
        console_on_timers(app);
    }
}
