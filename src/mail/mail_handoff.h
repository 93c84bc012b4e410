/* Handing one received message to the running worker over its Unix socket (mail.socket),
 * the fast way in for tuki mail-in: no database connection of its own. Only libc, so that the
 * small front program (src/front.c) can do it without loading GMime or libpq.
 *
 * The protocol: the client connects, writes the message's length in decimal and a newline,
 * then the raw message, and shuts its side down (SHUT_WR); the worker stores it (mail_store)
 * and, once the transaction committed, answers one line "STATUS TEXT\n" (STATUS per
 * sysexits(3): 0, 65 or 75) and closes. The length is what tells a message from the first
 * part of one whose sender died: that is never stored, and gets no answer. */
#ifndef TUKI_MAIL_HANDOFF_H
#define TUKI_MAIL_HANDOFF_H

#include <stddef.h>

/* Where the worker listens unless mail.socket says otherwise (the unit's RuntimeDirectory). */
#define MAIL_SOCKET_DEFAULT "/run/tuki/mail.sock"

/* How long a client waits for the answer (the worker's statement timeout is 60 s). */
#define MAIL_HANDOFF_TIMEOUT_SECONDS 100

/* Hands raw[0..len) to the worker at path. Returns the worker's status with its text in *what
 * (malloc'd), or -1 when there was no answer (no socket, refused, closed early, timed out):
 * then nothing is known to be stored and the caller stores the message itself (a message
 * stored twice is stored once: the Message-ID decides). On -1 *what says why. */
int mail_handoff(const char *path, const char *raw, size_t len, char **what);

/* Reads all of fd (standard input: the message as the MTA gives it) into *raw (malloc'd and
 * NUL-terminated, *len bytes); 0, or -1 with errno set. */
int mail_read_all(int fd, char **raw, size_t *len);

/* What tuki mail-in says about one message (label: a Maildir file's name, or NULL): on stdout
 * when it is stored or held, on stderr when the MTA must deliver it again. */
void mail_in_report(int status, const char *what, const char *label);

/* The length line "LENGTH\n" that begins what a client sends, in buf[0..len): 1 with *length
 * and *header (its size) when it is complete, 0 when more must come first, -1 when it is
 * not one. */
int mail_handoff_parse_length(const char *buf, size_t len, size_t *length, size_t *header);

/* The answer line "STATUS TEXT\n" of a worker; 0, or -1 when it is not one. */
int mail_handoff_parse_answer(const char *answer, size_t len, int *status, char **text);

#endif
