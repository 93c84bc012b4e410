/* The worker's side of the mail socket (mail.socket; protocol in mail_handoff.h): a listening
 * Unix stream socket and the clients connected to it, served from the worker's poll loop
 * without blocking it: every descriptor is non-blocking, a client's bytes are gathered as they
 * come, and a message is stored (by the caller's store function) only once all the bytes its
 * length line announced have come; a client that goes before that is dropped, nothing stored.
 * The answer goes back after the store returned, that is after the commit.
 *
 * The socket is created mode 0660: whoever may connect stores mail as the worker's database
 * role, so only the worker's user and group may. */
#ifndef TUKI_MAIL_SOCKET_H
#define TUKI_MAIL_SOCKET_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define MAIL_SOCKET_CLIENTS 64 /* served at once; more wait in the listen backlog */

/* Stores one message; returns its sysexits status and what happened in *what (malloc'd). */
typedef int (*mail_socket_store_fn)(void *ctx, const char *raw, size_t len, char **what);

struct mail_socket_client {
    int fd;
    char *buf;
    size_t len, cap;
};

struct mail_socket {
    int fd; /* -1: not listening */
    char *path;
    struct mail_socket_client clients[MAIL_SOCKET_CLIENTS];
    size_t client_count;
};

/* Listens at path: a stale socket (nobody answering) is removed first, one another worker
 * listens on is left alone. 0, or -1 with why in *err, newly allocated (the caller frees it;
 * NULL when out of memory; s then listens nowhere). */
int mail_socket_open(struct mail_socket *s, const char *path, char **err);

/* Stops listening and removes the socket; clients still sending are dropped unanswered (they
 * store the message themselves). */
void mail_socket_close(struct mail_socket *s);

/* The descriptors to poll for reading (the listening one while there is room, every client);
 * writes at most max, returns how many. */
size_t mail_socket_pollfds(const struct mail_socket *s, struct pollfd *fds, size_t max);

/* Accepts whoever waits, reads what has come, and stores and answers every message that is
 * complete; never blocks but for the stores. Returns how many messages it stored. */
int mail_socket_serve(struct mail_socket *s, mail_socket_store_fn store, void *ctx);

#endif
