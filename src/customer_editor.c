#include "customer_editor.h"

#include "i18n.h"

#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *customer_editor_strip(const char *text)
{
    size_t len = strlen(text), n = 0;
    char *out = malloc(len + 1);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t linelen = end ? (size_t)(end - line) + 1 : strlen(line);
        if (line[0] != '#') {
            memcpy(out + n, line, linelen);
            n += linelen;
        }
        line += linelen;
    }
    out[n] = '\0';
    while (n && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    size_t start = 0;
    while (out[start] && isspace((unsigned char)out[start]))
        start++;
    memmove(out, out + start, n - start + 1);
    return out;
}

static char *read_all(FILE *f)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    return buf;
}

/* The editor as the user configured it: $VISUAL, $EDITOR, else vi; run by the shell so
 * that "emacs -nw" works, with the file as its last argument. */
static int run_editor(const char *path)
{
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

char *customer_editor_edit(const char *template_text, const char **why)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    if (asprintf(&path, "%s/tuki-request-XXXXXX", dir && *dir ? dir : "/tmp") < 0) {
        *why = _("out of memory");
        return NULL;
    }
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (!f) {
        *why = _("cannot create a temporary file");
        free(path);
        return NULL;
    }
    fputs(template_text, f);
    fflush(f);
    bool curses = stdscr && !isendwin();
    if (curses) {
        def_prog_mode();
        endwin();
    }
    int rc = run_editor(path);
    if (curses) {
        reset_prog_mode();
        clearok(curscr, TRUE);
        refresh();
    }
    char *text = NULL, *stripped = NULL;
    FILE *back = rc == 0 ? fopen(path, "r") : NULL;
    if (back) {
        text = read_all(back);
        fclose(back);
    }
    fclose(f);
    unlink(path);
    free(path);
    if (!text) {
        *why = _("the editor failed; nothing was sent");
        return NULL;
    }
    stripped = customer_editor_strip(text);
    char *template_stripped = customer_editor_strip(template_text);
    bool unchanged = strcmp(stripped, template_stripped) == 0;
    free(template_stripped);
    free(text);
    if (!*stripped || unchanged) {
        *why = _("empty text: cancelled, nothing was sent");
        free(stripped);
        return NULL;
    }
    return stripped;
}
