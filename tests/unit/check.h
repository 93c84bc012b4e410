/* A tiny unit-test runner: each test file defines TESTS as an X-macro list of
 * test functions; CHECK records a failure with file:line and goes on, so one run
 * shows every broken expectation. Output is TAP, read by meson's "tap" protocol. */
#ifndef TUKI_CHECK_H
#define TUKI_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                    \
        }                                                                                          \
    } while (0)

#define CHECK_INT(got, want)                                                                       \
    do {                                                                                           \
        long long check_got_ = (long long)(got), check_want_ = (long long)(want);                  \
        if (check_got_ != check_want_) {                                                           \
            check_failures++;                                                                      \
            printf("#   %s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, check_got_,      \
                   check_want_);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *check_got_ = (got), *check_want_ = (want);                                     \
        if (!check_got_ || strcmp(check_got_, check_want_) != 0) {                                 \
            check_failures++;                                                                      \
            printf("#   %s:%d: %s = \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got,              \
                   check_got_ ? check_got_ : "(null)", check_want_);                               \
        }                                                                                          \
    } while (0)

/* Each test file ends with: #define TESTS(X) X(test_a) X(test_b)  then CHECK_MAIN(TESTS) */
#define CHECK_DECLARE_(name) static void name(void);
#define CHECK_ENTRY_(name)   {#name, name},
#define CHECK_MAIN(list)                                                                           \
    int main(void)                                                                                 \
    {                                                                                              \
        static const struct {                                                                      \
            const char *name;                                                                      \
            void (*run)(void);                                                                     \
        } tests[] = {list(CHECK_ENTRY_)};                                                          \
        int n = (int)(sizeof tests / sizeof tests[0]), failed = 0;                                 \
        printf("1..%d\n", n);                                                                      \
        for (int i = 0; i < n; i++) {                                                              \
            int before = check_failures;                                                           \
            tests[i].run();                                                                        \
            int ok = check_failures == before;                                                     \
            failed += !ok;                                                                         \
            printf("%s %d - %s\n", ok ? "ok" : "not ok", i + 1, tests[i].name);                    \
        }                                                                                          \
        return failed ? 1 : 0;                                                                     \
    }

#endif
