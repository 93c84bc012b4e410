/* settings_load: defaults, values, file:line errors, unknown-setting warnings, key names. */
#include "config.h"
#include "keymap.h"
#include "text.h"

#include "check.h"

#include <curses.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char warnings[2048];

static void collect_warning(const char *line)
{
    strncat(warnings, line, sizeof warnings - strlen(warnings) - 2);
    strcat(warnings, "\n");
}

/* Writes text to a fresh temporary file and returns its path (static buffer). */
static const char *write_conf(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/tuki-test-conf-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(fd);
    return path;
}

/* *err: settings_load's message (the caller frees it). */
static int load(struct settings *s, const char *text, char **err)
{
    warnings[0] = '\0';
    const char *path = write_conf(text);
    int rc = settings_load(s, path, collect_warning, err);
    unlink(path);
    return rc;
}

static void test_defaults_without_file(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(settings_load(&s, NULL, collect_warning, &err), 0);
    CHECK(err == NULL);
    CHECK(s.conninfo == NULL);
    CHECK_STR(s.default_filter, "home");
    CHECK_INT(s.tick_seconds, 1);
    CHECK_INT(s.sweep_seconds, 60);
    CHECK_INT(s.colors, COLOR_AUTO);
    CHECK_INT(s.binding_count, 0); /* the default keys are the request table's */
    settings_free(&s);
}

static void test_values_are_read(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s,
                   "database = { conninfo = \"service=tuki\"; };\n"
                   "console = { filter = \"mine\"; tick = 2; sweep = 120; colors = \"none\";\n"
                   "            sla_warning = 50; };\n",
                   &err),
              0);
    CHECK_STR(s.conninfo, "service=tuki");
    CHECK_STR(s.default_filter, "mine");
    CHECK_INT(s.tick_seconds, 2);
    CHECK_INT(s.sweep_seconds, 120);
    CHECK_INT(s.colors, COLOR_NONE);
    CHECK_INT(s.sla_warning_percent, 50);
    CHECK_STR(warnings, "");
    settings_free(&s);
}

static void test_syntax_error_names_line(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "console = {\n  tick = 1;\n  filter = ;\n};\n", &err), -1);
    CHECK(strstr(err, ":3: ") != NULL);
    CHECK(strncmp(err, "/tmp/tuki-test-conf-", 20) == 0);
    settings_free(&s);
    free(err);
}

static void test_wrong_type_names_line(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "console = {\n\n  tick = \"soon\";\n};\n", &err), -1);
    CHECK(strstr(err, ":3: 'console.tick' must be a whole number") != NULL);
    settings_free(&s);
    free(err);
}

static void test_out_of_range_is_an_error(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "console = { tick = 0; };\n", &err), -1);
    CHECK(strstr(err, ":1: 'console.tick' must be 1 to 60 seconds") != NULL);
    settings_free(&s);
    free(err);
    CHECK_INT(load(&s, "console = { sla_warning = 100; };\n", &err), -1);
    CHECK(strstr(err, ":1: 'console.sla_warning' must be a percentage from 1 to 99") != NULL);
    settings_free(&s);
    free(err);
    CHECK_INT(load(&s, "console = { colors = \"pink\"; };\n", &err), -1);
    CHECK(strstr(err, "'console.colors' must be") != NULL);
    settings_free(&s);
    free(err);
}

static void test_unknown_setting_warns_with_line(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "console = {\n  tick = 3;\n  sparkle = true;\n};\ncolour = 1;\n", &err), 0);
    CHECK(strstr(warnings, ":3: unknown setting 'console.sparkle' ignored") != NULL);
    CHECK(strstr(warnings, ":5: unknown setting 'colour' ignored") != NULL);
    CHECK_INT(s.tick_seconds, 3);
    settings_free(&s);
}

static void test_key_bindings_replace_defaults(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s,
                   "keys = ( { key = \"t\"; command = \"take\"; },\n"
                   "         { key = \"^R\"; command = \"reload\"; },\n"
                   "         { key = \"F5\"; command = \"filter mine\"; } );\n",
                   &err),
              0);
    int found_t = 0, found_r = 0, found_f5 = 0;
    for (int i = 0; i < s.binding_count; i++) {
        if (s.bindings[i].key == 't') {
            found_t++;
            CHECK_STR(s.bindings[i].command, "take");
        }
        if (s.bindings[i].key == 18) {
            found_r++;
            CHECK_STR(s.bindings[i].command, "reload");
        }
        if (s.bindings[i].key == KEY_F(5))
            found_f5++;
    }
    CHECK_INT(found_t, 1);
    CHECK_INT(found_r, 1);
    CHECK_INT(found_f5, 1);
    settings_free(&s);
}

/* The key map: the request table's keys, then the file's bindings, which name a request or
 * are a command string; the help lists both. */
static void test_keymap_from_table_and_bindings(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s,
                   "keys = ( { key = \"t\"; command = \"take\"; },\n"
                   "         { key = \"x\"; command = \"move-down\"; },\n"
                   "         { key = \"w\"; command = \":note %i \"; } );\n",
                   &err),
              0);
    struct keymap map;
    keymap_build(&map, &s);
    const struct key_action *a = keymap_find(&map, 'j');
    CHECK(a && a->request == REQ_MOVE_DOWN && keymap_command(a) == NULL);
    a = keymap_find(&map, KEY_DOWN);
    CHECK(a && a->request == REQ_MOVE_DOWN);
    a = keymap_find(&map, 'x');
    CHECK(a && a->request == REQ_MOVE_DOWN);
    a = keymap_find(&map, 't');
    CHECK(a && a->request == REQ_NONE);
    CHECK_STR(a ? keymap_command(a) : "", "take");
    a = keymap_find(&map, 'a');
    CHECK_STR(a ? keymap_command(a) : "", ":assign %i ");
    a = keymap_find(&map, 27);
    CHECK(a && a->request == REQ_CANCEL);
    CHECK(keymap_find(&map, 'Z') == NULL);
    char *help = keymap_help(&map, "take [ID] ...\n");
    CHECK(strstr(help, "j Down x") != NULL);
    CHECK(strstr(help, "next line") != NULL);
    CHECK(strstr(help, "assign the selected ticket") != NULL);
    CHECK(strstr(help, "take the selected ticket") == NULL); /* 't' was rebound: below */
    CHECK(strstr(help, "\n  t              take\n") != NULL);
    CHECK(strstr(help, "\n  w              :note %i \n") != NULL);
    for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
        CHECK(strlen(requests[r].help) <= 28); /* two columns in the help */
    CHECK(strstr(help, "take [ID] ...") != NULL);
    for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
        CHECK(request_by_name(requests[r].name) == (enum request)r);
    free(help);
    keymap_free(&map);
    settings_free(&s);
}

static void test_bad_key_binding_names_line(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "keys = (\n { key = \"Hyper-x\"; command = \"take\"; }\n);\n", &err), -1);
    CHECK(strstr(err, ":2: unknown key name 'Hyper-x'") != NULL);
    settings_free(&s);
    free(err);
    CHECK_INT(load(&s, "keys = ( { key = \"q\"; command = \"take\"; } );\n", &err), -1);
    CHECK(strstr(err, "cannot be rebound") != NULL);
    settings_free(&s);
    free(err);
}

/* However many keys a file binds to one request, the help lists them all (it once cut the
 * list at 127 bytes). */
static void test_help_lists_every_key_of_a_request(void)
{
    static const char *const names[] = {
        "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "A",  "B",
        "C",  "D",  "E",  "F",  "H",  "I",  "J",  "K",  "L",  "M",   "O",   "P",   "Q",  "S",
        "T",  "U",  "V",  "W",  "X",  "Y",  "Z",  "^A", "^B", "^C",  "^D",  "^E",  "^F", "^G",
        "^H", "^K", "^N", "^O", "^P", "^Q", "^R", "^S", "^T", "^U",  "^V",  "^W",  "^X", "^Y"};
    char *conf = text_printf("keys = (");
    char *want = text_printf("  j Down");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *c = text_printf("%s%s { key = \"%s\"; command = \"move-down\"; }", conf, i ? "," : "",
                              names[i]);
        char *w = text_printf("%s %s", want, names[i]);
        free(conf);
        free(want);
        conf = c;
        want = w;
    }
    char *c = text_printf("%s );\n", conf);
    char *w = text_printf("%s %s", want, "next line");
    free(conf);
    free(want);
    conf = c;
    want = w;
    CHECK(strlen(want) > 128);

    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, conf, &err), 0);
    CHECK(err == NULL);
    struct keymap map;
    keymap_build(&map, &s);
    char *help = keymap_help(&map, "");
    CHECK(strstr(help, want) != NULL);
    free(help);
    keymap_free(&map);
    settings_free(&s);
    free(conf);
    free(want);
}

/* A message quoting a long value of the file's comes back whole (once cut to the caller's
 * buffer). */
static void test_long_error_is_whole(void)
{
    char *key = malloc(3001);
    memset(key, 'x', 3000);
    key[3000] = '\0';
    char *conf = text_printf("keys = (\n { key = \"%s\"; command = \"take\"; }\n);\n", key);
    char *want = text_printf(":2: unknown key name '%s'", key);
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, conf, &err), -1);
    CHECK(err && strlen(err) > 3000);
    CHECK(err && strstr(err, want) != NULL);
    settings_free(&s);
    free(err);
    free(want);
    free(conf);
    free(key);
}

static void test_parse_key_names(void)
{
    CHECK_INT(settings_parse_key("t"), 't');
    CHECK_INT(settings_parse_key("^L"), 12);
    CHECK_INT(settings_parse_key("C-l"), 12);
    CHECK_INT(settings_parse_key("Enter"), '\n');
    CHECK_INT(settings_parse_key("F12"), KEY_F(12));
    CHECK_INT(settings_parse_key("PageDown"), KEY_NPAGE);
    CHECK_INT(settings_parse_key("F13"), -1);
    CHECK_INT(settings_parse_key(""), -1);
    CHECK_INT(settings_parse_key("ab"), -1);
}

static void test_find_file_order(void)
{
    char dir[] = "/tmp/tuki-test-xdg-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    setenv("XDG_CONFIG_HOME", dir, 1);
    char *found = settings_find_file("/explicit/path.conf");
    CHECK_STR(found, "/explicit/path.conf");
    free(found);
    char sub[128], file[160];
    snprintf(sub, sizeof sub, "%s/tuki", dir);
    snprintf(file, sizeof file, "%s/tuki.conf", sub);
    mkdir(sub, 0700);
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    found = settings_find_file(NULL);
    CHECK_STR(found, file);
    free(found);
    unlink(file);
    rmdir(sub);
    rmdir(dir);
}

/* The agent's zone: the setting, else PGTZ (libpq's own), else TZ, else the server's. */
static void test_time_zone_choice(void)
{
    struct settings s;
    char *err = NULL;
    CHECK_INT(load(&s, "console = { time_zone = \"Europe/Helsinki\"; };\n", &err), 0);
    CHECK_STR(s.time_zone, "Europe/Helsinki");
    CHECK_STR(settings_time_zone(&s, "UTC", "Europe/Bratislava"), "Europe/Helsinki");
    settings_free(&s);
    CHECK_INT(load(&s, "", &err), 0);
    CHECK(s.time_zone == NULL);
    CHECK(settings_time_zone(&s, "UTC", "Europe/Bratislava") == NULL);
    CHECK_STR(settings_time_zone(&s, NULL, ":Europe/Bratislava"), "Europe/Bratislava");
    CHECK_STR(settings_time_zone(&s, "", "Etc/GMT-2"), "Etc/GMT-2");
    CHECK(settings_time_zone(&s, NULL, ":/etc/localtime") == NULL);
    CHECK(settings_time_zone(&s, NULL, NULL) == NULL);
    settings_free(&s);
    CHECK_INT(load(&s, "console = { time_zone = \"../../etc/passwd\"; };\n", &err), -1);
    CHECK(strstr(err, ":1: 'console.time_zone' must be a time zone name") != NULL);
    settings_free(&s);
    free(err);
}

#define TESTS(X)                                                                                   \
    X(test_defaults_without_file)                                                                  \
    X(test_values_are_read)                                                                        \
    X(test_syntax_error_names_line)                                                                \
    X(test_wrong_type_names_line)                                                                  \
    X(test_out_of_range_is_an_error)                                                               \
    X(test_unknown_setting_warns_with_line)                                                        \
    X(test_key_bindings_replace_defaults)                                                          \
    X(test_keymap_from_table_and_bindings)                                                         \
    X(test_bad_key_binding_names_line)                                                             \
    X(test_help_lists_every_key_of_a_request)                                                      \
    X(test_long_error_is_whole)                                                                    \
    X(test_parse_key_names)                                                                        \
    X(test_find_file_order)                                                                        \
    X(test_time_zone_choice)
CHECK_MAIN(TESTS)
