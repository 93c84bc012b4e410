/* mail.* from tuki.conf, and the subject tag those settings name. */
#include "mail_settings.h"

#include "mail_handoff.h"
#include "text.h"

#include <ctype.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int load_string(config_t *cfg, const char *name, char **out, const char *path, char **err)
{
    config_setting_t *st = config_lookup(cfg, name);
    if (!st)
        return 0;
    const char *value = config_setting_get_string(st);
    if (!value || !*value) {
        *err = text_printf("%s:%d: '%s' must be a non-empty string", path,
                           config_setting_source_line(st), name);
        return -1;
    }
    free(*out);
    *out = strdup(value);
    return 0;
}

int mail_settings_load(struct mail_settings *m, const char *path, char **err)
{
    *err = NULL;
    m->from = strdup("tuki@localhost");
    m->sendmail = strdup("/usr/sbin/sendmail -t -oi");
    m->tag = strdup("tuki");
    m->socket = strdup(MAIL_SOCKET_DEFAULT);
    if (!path)
        return 0;
    config_t cfg;
    config_init(&cfg);
    int rc = -1;
    if (!config_read_file(&cfg, path)) {
        *err = text_printf("%s:%d: %s", path, config_error_line(&cfg), config_error_text(&cfg));
        goto out;
    }
    if (load_string(&cfg, "mail.from", &m->from, path, err) < 0 ||
        load_string(&cfg, "mail.sendmail", &m->sendmail, path, err) < 0 ||
        load_string(&cfg, "mail.tag", &m->tag, path, err) < 0 ||
        load_string(&cfg, "mail.socket", &m->socket, path, err) < 0)
        goto out;
    if (!strchr(m->from, '@')) {
        *err = text_printf("%s: 'mail.from' must be an address (name@domain), not '%s'", path,
                           m->from);
        goto out;
    }
    rc = 0;
out:
    config_destroy(&cfg);
    return rc;
}

void mail_settings_free(struct mail_settings *m)
{
    free(m->from);
    free(m->sendmail);
    free(m->tag);
    free(m->socket);
    memset(m, 0, sizeof *m);
}

long long mail_subject_ticket(const char *subject, const char *tag)
{
    size_t taglen = strlen(tag);
    for (const char *p = strchr(subject, '['); p; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        if (strncasecmp(q, tag, taglen) != 0)
            continue;
        q += taglen;
        while (*q == ' ')
            q++;
        if (*q++ != '#' || !isdigit((unsigned char)*q))
            continue;
        char *end;
        long long id = strtoll(q, &end, 10);
        while (*end == ' ')
            end++;
        if (*end == ']' && id > 0)
            return id;
    }
    return 0;
}
