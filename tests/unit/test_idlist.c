#include "check.h"
#include "idlist.h"

#include <stdbool.h>
#include <stdlib.h>

/* Parses s expecting success and compares with want[0..n). */
static bool parses_to(const char *s, const int64_t *want, size_t n)
{
    struct idlist list;
    enum idlist_error error = idlist_parse(s, &list);
    bool same = error == IDLIST_OK && list.count == n;
    for (size_t i = 0; same && i < n; i++)
        same = list.ids[i] == want[i];
    if (!same)
        printf("#   \"%s\": %s, %zu ids\n", s, idlist_strerror(error), list.count);
    idlist_free(&list);
    return same;
}

static enum idlist_error rejected(const char *s)
{
    struct idlist list = {(int64_t *)&list, 99}; /* garbage the parser must clear */
    enum idlist_error error = idlist_parse(s, &list);
    CHECK(list.ids == NULL);
    CHECK_INT(list.count, 0);
    return error;
}

#define IDS(...)                                                                                   \
    ((const int64_t[]){__VA_ARGS__}), sizeof((const int64_t[]){__VA_ARGS__}) / sizeof(int64_t)

static void test_single_ids(void)
{
    CHECK(parses_to("12", IDS(12)));
    CHECK(parses_to("#12", IDS(12)));
    CHECK(parses_to("1", IDS(1)));
    CHECK(parses_to("0042", IDS(42)));
    CHECK(parses_to("9223372036854775807", IDS(INT64_MAX)));
}

static void test_lists_and_ranges(void)
{
    CHECK(parses_to("12,15-18", IDS(12, 15, 16, 17, 18)));
    CHECK(parses_to("#12,#15-#18", IDS(12, 15, 16, 17, 18)));
    CHECK(parses_to("#15-18", IDS(15, 16, 17, 18)));
    CHECK(parses_to("7-7", IDS(7)));
    CHECK(parses_to("3,1,2", IDS(3, 1, 2)));
    CHECK(parses_to("9223372036854775806-9223372036854775807", IDS(INT64_MAX - 1, INT64_MAX)));
}

static void test_duplicates_removed_keeping_typed_order(void)
{
    CHECK(parses_to("12,12", IDS(12)));
    CHECK(parses_to("18,15-18,12,16", IDS(18, 15, 16, 17, 12)));
    CHECK(parses_to("5-7,1-6", IDS(5, 6, 7, 1, 2, 3, 4)));
    CHECK(parses_to("#3,3,0003", IDS(3)));
}

static void test_rejects_empty_and_malformed(void)
{
    CHECK_INT(rejected(""), IDLIST_EMPTY);
    struct idlist list = {0};
    CHECK_INT(idlist_parse(NULL, &list), IDLIST_EMPTY);

    const char *bad[] = {"#",
                         "##12",
                         "12#",
                         "abc",
                         "12a",
                         "12,",
                         ",12",
                         "12,,13",
                         "-12",
                         "12-",
                         "-",
                         "12--15",
                         "12-15-18",
                         "1.5",
                         "+3",
                         "12;13",
                         "0x1f",
                         "0x",
                         "99999999999999999999x",
                         "１２",
                         "12\xc2\xa0",
                         "12-#",
                         "#-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum idlist_error error = rejected(bad[i]);
        if (error != IDLIST_SYNTAX)
            printf("#   \"%s\" gave %s\n", bad[i], idlist_strerror(error));
        CHECK_INT(error, IDLIST_SYNTAX);
    }
}

static void test_rejects_spaces_inside(void)
{
    CHECK_INT(rejected("12, 15"), IDLIST_SPACE);
    CHECK_INT(rejected(" 12"), IDLIST_SPACE);
    CHECK_INT(rejected("12 "), IDLIST_SPACE);
    CHECK_INT(rejected("15 - 18"), IDLIST_SPACE);
    CHECK_INT(rejected("12\t13"), IDLIST_SPACE);
    CHECK_INT(rejected("12\n"), IDLIST_SPACE);
}

static void test_rejects_zero_and_out_of_range(void)
{
    CHECK_INT(rejected("0"), IDLIST_ZERO);
    CHECK_INT(rejected("#0"), IDLIST_ZERO);
    CHECK_INT(rejected("0-5"), IDLIST_ZERO);
    CHECK_INT(rejected("12,000"), IDLIST_ZERO);
    CHECK_INT(rejected("9223372036854775808"), IDLIST_OUT_OF_RANGE);
    CHECK_INT(rejected("99999999999999999999999999999"), IDLIST_OUT_OF_RANGE);
    CHECK_INT(rejected("1-9223372036854775808"), IDLIST_OUT_OF_RANGE);
}

static void test_rejects_reversed_range(void)
{
    CHECK_INT(rejected("18-15"), IDLIST_REVERSED_RANGE);
    CHECK_INT(rejected("12,#18-#15"), IDLIST_REVERSED_RANGE);
    CHECK_INT(rejected("2-1"), IDLIST_REVERSED_RANGE);
}

static void test_range_and_list_size_limits(void)
{
    struct idlist list;
    CHECK_INT(idlist_parse("1-1000", &list), IDLIST_OK);
    CHECK_INT(list.count, 1000);
    CHECK_INT(list.ids[0], 1);
    CHECK_INT(list.ids[999], 1000);
    idlist_free(&list);

    CHECK_INT(rejected("1-1001"), IDLIST_RANGE_TOO_LARGE);
    CHECK_INT(rejected("1-9223372036854775807"), IDLIST_RANGE_TOO_LARGE);

    CHECK_INT(idlist_parse("1-1000,1-1000,500", &list), IDLIST_OK);
    CHECK_INT(list.count, 1000);
    idlist_free(&list);

    CHECK_INT(rejected("1-1000,2000"), IDLIST_TOO_MANY);
    CHECK_INT(rejected("1-600,601-1200"), IDLIST_TOO_MANY);

    /* A long list of distinct single ids hits the same limit. */
    size_t size = 1001 * 6 + 1;
    char *many = malloc(size);
    CHECK(many != NULL);
    if (many) {
        size_t at = 0;
        for (int id = 1; id <= 1001; id++)
            at += (size_t)snprintf(many + at, size - at, "%s%d", id > 1 ? "," : "", id * 3);
        CHECK_INT(rejected(many), IDLIST_TOO_MANY);
        free(many);
    }
}

static void test_free_is_safe_twice(void)
{
    struct idlist list;
    CHECK_INT(idlist_parse("12,15-18", &list), IDLIST_OK);
    idlist_free(&list);
    CHECK(list.ids == NULL);
    CHECK_INT(list.count, 0);
    idlist_free(&list);
    struct idlist empty = {0};
    idlist_free(&empty);
}

static void test_every_error_has_a_message(void)
{
    for (int e = IDLIST_EMPTY; e <= IDLIST_NO_MEMORY; e++) {
        const char *message = idlist_strerror((enum idlist_error)e);
        CHECK(message != NULL && strlen(message) > 5);
        for (int other = IDLIST_EMPTY; other < e; other++)
            CHECK(strcmp(message, idlist_strerror((enum idlist_error)other)) != 0);
    }
    CHECK_STR(idlist_strerror(IDLIST_REVERSED_RANGE), "a range must go upwards, e.g. 15-18");
}

#define TESTS(X)                                                                                   \
    X(test_single_ids)                                                                             \
    X(test_lists_and_ranges)                                                                       \
    X(test_duplicates_removed_keeping_typed_order)                                                 \
    X(test_rejects_empty_and_malformed)                                                            \
    X(test_rejects_spaces_inside)                                                                  \
    X(test_rejects_zero_and_out_of_range)                                                          \
    X(test_rejects_reversed_range)                                                                 \
    X(test_range_and_list_size_limits)                                                             \
    X(test_free_is_safe_twice)                                                                     \
    X(test_every_error_has_a_message)
CHECK_MAIN(TESTS)
