#include "editor.h"

#include "i18n.h"
#include "text.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A growing string; out of memory ends the program as everywhere else in tuki. */
struct buf {
    char *s;
    size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static char *buf_done(struct buf *b)
{
    if (!b->s)
        buf_add(b, "", 0);
    return b->s;
}

/* Calls fn for every line of text (without its newline; a final line without one too). */
static void each_line(const char *text, void (*fn)(void *, const char *, size_t), void *data)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        fn(data, text, n);
        text += n + (text[n] == '\n');
    }
}

static void quote_line(void *data, const char *line, size_t n)
{
    struct buf *b = data;
    buf_add(b, n ? "> " : ">", n ? 2 : 1);
    buf_add(b, line, n);
    buf_add(b, "\n", 1);
}

char *editor_quote(const char *attribution, const char *body)
{
    struct buf b = {0};
    buf_str(&b, attribution);
    buf_add(&b, "\n", 1);
    each_line(body, quote_line, &b);
    return buf_done(&b);
}

static void comment_line(void *data, const char *line, size_t n)
{
    struct buf *b = data;
    buf_add(b, n ? "# " : "#", n ? 2 : 1);
    buf_add(b, line, n);
    buf_add(b, "\n", 1);
}

char *editor_comment(const char *text)
{
    struct buf b = {0};
    each_line(text, comment_line, &b);
    return buf_done(&b);
}

static bool is_comment(const char *line, size_t n)
{
    return n >= 1 && line[0] == '#' && (n == 1 || line[1] == ' ');
}

static void strip_line(void *data, const char *line, size_t n)
{
    struct buf *b = data;
    if (n && line[n - 1] == '\r')
        n--; /* an editor that wrote CRLF */
    if (is_comment(line, n))
        return;
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (n == 0 && b->len == 0)
        return; /* blank lines before the text */
    buf_add(b, line, n);
    buf_add(b, "\n", 1);
}

char *editor_strip(const char *text)
{
    struct buf b = {0};
    each_line(text, strip_line, &b);
    char *s = buf_done(&b);
    size_t len = b.len;
    while (len && s[len - 1] == '\n')
        len--;
    s[len] = '\0';
    return s;
}

char *editor_outcome(const char *template_text, const char *edited)
{
    char *got = editor_strip(edited), *was = editor_strip(template_text);
    bool cancel = got[strspn(got, " \t\n")] == '\0' || strcmp(got, was) == 0;
    free(was);
    if (cancel) {
        free(got);
        return NULL;
    }
    return got;
}

static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    while (*path) {
        size_t n = strcspn(path, ":");
        char *full = NULL;
        if (asprintf(&full, "%.*s/%s", (int)n, n ? path : ".", name) >= 0) {
            bool ok = access(full, X_OK) == 0;
            free(full);
            if (ok)
                return true;
        }
        path += n + (path[n] == ':');
    }
    return false;
}

const char *editor_program(void)
{
    const char *names[] = {"VISUAL", "EDITOR"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return v;
    }
    return on_path("editor") ? "editor" : "vi";
}

static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char chunk[4096]; /* a chunk of the file: the text grows as the chunks come */
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.s);
        return NULL;
    }
    return buf_done(&b);
}

/* Runs the editor and waits; the terminal's SIGINT and SIGQUIT are the editor's meanwhile. */
static int spawn(const char *program, const char *path, char **err)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGWINCH, SIG_DFL);
        /* as git does: the setting is shell words, the file its last argument */
        char *script = NULL;
        if (asprintf(&script, "%s \"$@\"", program) >= 0)
            execl("/bin/sh", "sh", "-c", script, program, path, (char *)NULL);
        _exit(127);
    }
    int status = 0, rc = 0;
    if (pid < 0) {
        *err = text_printf(_("cannot start the editor: %s"), strerror(errno));
        rc = -1;
    } else {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            *err =
                text_printf(_("the editor (%s) failed with status %d; nothing was sent"), program,
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            rc = -1;
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return rc;
}

int editor_run(const char *text, char **edited, char **err)
{
    *edited = NULL;
    *err = NULL;
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    if (asprintf(&path, "%s/tuki-XXXXXX.txt", dir && *dir ? dir : "/tmp") < 0)
        abort();
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        *err = text_printf(_("cannot make a temporary file for the editor: %s"), strerror(errno));
        free(path);
        return -1;
    }
    int rc = write_all(fd, text, strlen(text));
    if (close(fd) < 0)
        rc = -1;
    if (rc < 0)
        *err = text_printf(_("cannot write %s: %s"), path, strerror(errno));
    else
        rc = spawn(editor_program(), path, err);
    if (rc == 0 && !(*edited = read_file(path))) {
        *err = text_printf(_("cannot read %s back: %s"), path, strerror(errno));
        rc = -1;
    }
    unlink(path);
    free(path);
    return rc;
}
