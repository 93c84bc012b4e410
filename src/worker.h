/* tuki worker: the desk when no console is open. One long-running process (tuki-worker.service):
 * LISTENs on tuki_outbox, sends queued customer mail through sendmail(8) (mail.sendmail) with
 * FOR UPDATE SKIP LOCKED so several workers may run, retries temporary failures with exponential
 * backoff and marks permanent ones failed (the reason on the ticket), runs tuki.sla_sweep() every
 * minute as 'system', reconnects after the server restarts, and on SIGTERM or SIGINT finishes
 * the message in hand and exits 0. --once: send what is due, sweep, and exit (for cron and tests).
 */
#ifndef TUKI_WORKER_H
#define TUKI_WORKER_H

int worker_command(const char *config_path, const char *conninfo, int argc, char **argv);

#endif
