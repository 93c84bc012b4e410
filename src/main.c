/* tuki: arguments, locale and configuration, then one of the sub-commands.
 * Start-up happens in order and teardown in reverse; exit codes follow sysexits(3). */
#include "config.h"
#include "console.h"
#include "db.h"
#include "demo.h"
#include "i18n.h"
#include "mailin.h"
#include "migrate.h"
#include "report.h"
#include "seed.h"
#include "tuki_build.h"
#include "usage.h"
#include "worker.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define MAX_SCRIPT_COMMANDS 256

static void print_warning(const char *line)
{
    fprintf(stderr, _("tuki: warning: %s\n"), line);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "tuki: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage_print(stderr, NULL);
    return EX_USAGE;
}

static int run_migrate(const char *conninfo, int argc, char **argv)
{
    if (argc > 1)
        return usage_error(_("migrate takes no arguments: '%s'"), argv[1]);
    struct db db;
    int rc = db_connect_or_exit(&db, conninfo, NULL, 0);
    if (rc)
        return rc;
    char *err = NULL;
    if (migrate_apply(db.conn, stdout, &err) < 0) {
        fprintf(stderr, _("tuki migrate: %s\n"), err ? err : _("out of memory"));
        rc = EX_DATAERR;
    }
    free(err);
    db_close(&db);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    i18n_init(TUKI_LOCALEDIR);

    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    const char *conninfo_opt = NULL, *config_opt = NULL;
    const char *script[MAX_SCRIPT_COMMANDS];
    int script_len = 0;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+d:f:c:hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            conninfo_opt = optarg;
            break;
        case 'f':
            config_opt = optarg;
            break;
        case 'c':
            if (script_len == MAX_SCRIPT_COMMANDS)
                return usage_error(_("at most %s -c commands"), "256");
            script[script_len++] = optarg;
            break;
        case 'h':
            usage_print(stdout, NULL);
            return 0;
        case 'V':
            printf("tuki %s\n", TUKI_VERSION);
            return 0;
        default: {
            char opt_text[3] = {'-', (char)optopt, '\0'};
            if (optopt == 'd' || optopt == 'f' || optopt == 'c')
                return usage_error(_("option %s needs a value"), opt_text);
            return usage_error(_("unknown option '%s'"), optopt ? opt_text : argv[optind - 1]);
        }
        }
    }
    const char *sub = optind < argc ? argv[optind] : NULL;
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;

    struct settings settings;
    char *err = NULL;
    char *config_path = settings_find_file(config_opt);
    if (settings_load(&settings, config_path, print_warning, &err) < 0) {
        fprintf(stderr, "tuki: %s\n", err ? err : _("out of memory"));
        free(err);
        free(config_path);
        settings_free(&settings);
        return EX_CONFIG;
    }
    free(config_path);
    const char *conninfo = conninfo_opt ? conninfo_opt : settings.conninfo;

    int rc;
    if (sub && script_len)
        rc = usage_error(_("-c does not go with the sub-command '%s'"), sub);
    else if (!sub && script_len)
        rc = console_run_script(&settings, conninfo, script, script_len);
    else if (!sub)
        rc = console_run(&settings, conninfo);
    else if (strcmp(sub, "migrate") == 0)
        rc = run_migrate(conninfo, sub_argc, sub_argv);
    else if (strcmp(sub, "demo") == 0)
        rc = demo_run(&settings, sub_argc, sub_argv);
    else if (strcmp(sub, "seed") == 0)
        rc = seed_command(conninfo, sub_argc, sub_argv);
    else if (strcmp(sub, "report") == 0)
        rc = report_command(conninfo, sub_argc, sub_argv);
    else if (strcmp(sub, "mail-in") == 0)
        /* -d names a database: store there, not through the worker's socket */
        rc = mailin_command(settings.path, conninfo, conninfo_opt != NULL, sub_argc, sub_argv);
    else if (strcmp(sub, "worker") == 0)
        rc = worker_command(settings.path, conninfo, sub_argc, sub_argv);
    else
        rc = usage_error(_("unknown sub-command '%s'"), sub);
    settings_free(&settings);
    return rc;
}
