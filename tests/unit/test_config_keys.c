/* settings_parse_key: every key name, and never a byte past the name's end. */
#include "config.h"

#include "check.h"

#include <curses.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* name copied so that its NUL is the last byte before an unmapped page: reading past the
 * end of the name faults, in any build, not only under ASan. */
static int parse_at_page_end(const char *name)
{
    long page = sysconf(_SC_PAGESIZE);
    char *pages =
        mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pages != MAP_FAILED);
    CHECK(mprotect(pages + page, (size_t)page, PROT_NONE) == 0);
    size_t len = strlen(name) + 1;
    char *copy = pages + page - len;
    memcpy(copy, name, len);
    int key = settings_parse_key(copy);
    munmap(pages, 2 * (size_t)page);
    return key;
}

static void test_short_names_are_not_read_past_their_end(void)
{
    CHECK_INT(parse_at_page_end("C-"), -1);
    CHECK_INT(parse_at_page_end("c-"), -1);
    CHECK_INT(parse_at_page_end("^"), '^');
    CHECK_INT(parse_at_page_end("C"), 'C');
    CHECK_INT(parse_at_page_end(""), -1);
    CHECK_INT(parse_at_page_end("F"), 'F');
    CHECK_INT(parse_at_page_end("Ent"), -1);
}

static void test_control_keys(void)
{
    CHECK_INT(parse_at_page_end("C-r"), 18);
    CHECK_INT(parse_at_page_end("c-R"), 18);
    CHECK_INT(parse_at_page_end("^r"), 18);
    CHECK_INT(parse_at_page_end("^@"), 0);
    CHECK_INT(parse_at_page_end("C-_"), 31);
    CHECK_INT(parse_at_page_end("C-1"), -1);
    CHECK_INT(parse_at_page_end("C-rr"), -1);
    CHECK_INT(parse_at_page_end("^rr"), -1);
}

static void test_named_and_function_keys(void)
{
    CHECK_INT(parse_at_page_end("Enter"), '\n');
    CHECK_INT(parse_at_page_end("tab"), '\t');
    CHECK_INT(parse_at_page_end("F5"), KEY_F(5));
    CHECK_INT(parse_at_page_end("F13"), -1);
    CHECK_INT(parse_at_page_end("PageDown"), KEY_NPAGE);
    CHECK_INT(settings_parse_key(NULL), -1);
}

#define TESTS(X)                                                                                   \
    X(test_short_names_are_not_read_past_their_end)                                                \
    X(test_control_keys)                                                                           \
    X(test_named_and_function_keys)
CHECK_MAIN(TESTS)
