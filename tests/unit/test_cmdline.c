#include "check.h"
#include "cmdline.h"

#include <stdlib.h>

static struct cmdline_words split(const char *line, size_t max_words)
{
    struct cmdline_words words;
    enum cmdline_error error = cmdline_split(line, max_words, &words);
    if (error)
        printf("#   \"%s\": %s at %zu\n", line, cmdline_strerror(error), words.error_at);
    CHECK_INT(error, CMDLINE_OK);
    return words;
}

static void test_whitespace_separates_words(void)
{
    struct cmdline_words w = split("take 42", 0);
    CHECK_INT(w.count, 2);
    CHECK_STR(w.word[0].text, "take");
    CHECK_INT(w.word[0].start, 0);
    CHECK_INT(w.word[0].end, 4);
    CHECK_STR(w.word[1].text, "42");
    CHECK_INT(w.word[1].start, 5);
    CHECK_INT(w.word[1].end, 7);
    CHECK_INT(w.rest, 7);
    cmdline_words_free(&w);

    w = split("  assign\t12,15-18   bob \n", 0);
    CHECK_INT(w.count, 3);
    CHECK_STR(w.word[0].text, "assign");
    CHECK_INT(w.word[0].start, 2);
    CHECK_STR(w.word[1].text, "12,15-18");
    CHECK_INT(w.word[1].start, 9);
    CHECK_STR(w.word[2].text, "bob");
    CHECK_INT(w.word[2].start, 20);
    CHECK_INT(w.word[2].end, 23);
    cmdline_words_free(&w);
}

static void test_empty_and_blank_lines(void)
{
    struct cmdline_words w = split("", 0);
    CHECK_INT(w.count, 0);
    CHECK_INT(w.rest, 0);
    cmdline_words_free(&w);

    w = split(" \t ", 0);
    CHECK_INT(w.count, 0);
    CHECK_INT(w.rest, 3);
    cmdline_words_free(&w);
}

static void test_double_quotes_group(void)
{
    const char *line = "status 42 resolved \"fixed the printer\"";
    struct cmdline_words w = split(line, 0);
    CHECK_INT(w.count, 4);
    CHECK_STR(w.word[2].text, "resolved");
    CHECK_STR(w.word[3].text, "fixed the printer");
    CHECK_INT(w.word[3].start, 19);
    CHECK_INT(w.word[3].end, strlen(line));
    cmdline_words_free(&w);

    w = split("note 1 \"say \\\"hi\\\" \\\\ and 'this'\"", 0);
    CHECK_INT(w.count, 3);
    CHECK_STR(w.word[2].text, "say \"hi\" \\ and 'this'");
    cmdline_words_free(&w);
}

static void test_single_quotes_are_literal(void)
{
    struct cmdline_words w = split("note 1 'a \\b \"c\" d'", 0);
    CHECK_INT(w.count, 3);
    CHECK_STR(w.word[2].text, "a \\b \"c\" d");
    cmdline_words_free(&w);

    w = split("'C:\\temp\\' next", 0);
    CHECK_INT(w.count, 2);
    CHECK_STR(w.word[0].text, "C:\\temp\\");
    CHECK_STR(w.word[1].text, "next");
    cmdline_words_free(&w);
}

static void test_backslash_outside_quotes(void)
{
    struct cmdline_words w = split("new ACME Tulostin\\ ei\\ toimi \\\"x\\' \\n", 0);
    CHECK_INT(w.count, 5);
    CHECK_STR(w.word[2].text, "Tulostin ei toimi");
    CHECK_STR(w.word[3].text, "\"x'");
    CHECK_STR(w.word[4].text, "n");
    cmdline_words_free(&w);

    w = split("path C:\\", 0); /* a final backslash stays */
    CHECK_INT(w.count, 2);
    CHECK_STR(w.word[1].text, "C:\\");
    cmdline_words_free(&w);
}

static void test_adjacent_parts_form_one_word(void)
{
    struct cmdline_words w = split("ab\"c d\"e'f g' \"\" '' x", 0);
    CHECK_INT(w.count, 4);
    CHECK_STR(w.word[0].text, "abc def g");
    CHECK_INT(w.word[0].start, 0);
    CHECK_INT(w.word[0].end, 13);
    CHECK_STR(w.word[1].text, "");
    CHECK_INT(w.word[1].start, 14);
    CHECK_INT(w.word[1].end, 16);
    CHECK_STR(w.word[2].text, "");
    CHECK_STR(w.word[3].text, "x");
    cmdline_words_free(&w);
}

static void test_unterminated_quote_is_an_error(void)
{
    struct cmdline_words w;
    CHECK_INT(cmdline_split("reply 42 \"oops", 0, &w), CMDLINE_UNTERMINATED_DOUBLE_QUOTE);
    CHECK_INT(w.error_at, 9);
    CHECK_INT(w.count, 0);
    CHECK(w.word == NULL);
    cmdline_words_free(&w);

    CHECK_INT(cmdline_split("note 1 it's", 0, &w), CMDLINE_UNTERMINATED_SINGLE_QUOTE);
    CHECK_INT(w.error_at, 9);
    CHECK_INT(cmdline_split("x \"ends with \\\"", 0, &w), CMDLINE_UNTERMINATED_DOUBLE_QUOTE);
    CHECK_INT(w.error_at, 2);
    CHECK_INT(cmdline_split("x 'a' \"b\" \"c", 0, &w), CMDLINE_UNTERMINATED_DOUBLE_QUOTE);
    CHECK_INT(w.error_at, 10);

    CHECK_STR(cmdline_strerror(CMDLINE_UNTERMINATED_DOUBLE_QUOTE), "missing closing \" quote");
    CHECK_STR(cmdline_strerror(CMDLINE_UNTERMINATED_SINGLE_QUOTE), "missing closing ' quote");
    CHECK_STR(cmdline_strerror(CMDLINE_NO_MEMORY), "out of memory");
}

static void test_max_words_leaves_the_rest_verbatim(void)
{
    const char *line = "reply 42 Hei, tulostin toimii taas";
    struct cmdline_words w = split(line, 2);
    CHECK_INT(w.count, 2);
    CHECK_STR(w.word[1].text, "42");
    CHECK_STR(line + w.rest, "Hei, tulostin toimii taas");
    cmdline_words_free(&w);

    /* The free text's quotes are not interpreted, so cannot fail the split. */
    line = "reply 42   It's \"fixed\" \\o/  ";
    w = split(line, 2);
    CHECK_INT(w.count, 2);
    CHECK_STR(line + w.rest, "It's \"fixed\" \\o/  ");
    cmdline_words_free(&w);

    line = "reply 42   ";
    w = split(line, 2);
    CHECK_INT(w.count, 2);
    CHECK_INT(w.rest, strlen(line));
    cmdline_words_free(&w);

    line = "status 42 resolved \"fixed the printer\"";
    w = split(line, 3);
    CHECK_INT(w.count, 3);
    CHECK_STR(line + w.rest, "\"fixed the printer\"");
    cmdline_words_free(&w);

    w = split("take", 5);
    CHECK_INT(w.count, 1);
    CHECK_INT(w.rest, 4);
    cmdline_words_free(&w);
}

static void test_utf8_text_and_byte_offsets(void)
{
    const char *line = "new ACME \"Tulostin ei toimi – Päivä 漢字\" čaká";
    struct cmdline_words w = split(line, 0);
    CHECK_INT(w.count, 4);
    CHECK_STR(w.word[2].text, "Tulostin ei toimi – Päivä 漢字");
    CHECK_INT(w.word[3].start, strlen(line) - strlen("čaká"));
    CHECK_STR(line + w.word[3].start, "čaká");
    CHECK_STR(w.word[3].text, "čaká");
    cmdline_words_free(&w);

    /* A no-break space is not a separator. */
    w = split("a\u00a0b", 0);
    CHECK_INT(w.count, 1);
    cmdline_words_free(&w);
}

static void test_no_fixed_limits(void)
{
    const size_t n = 20000;
    char *line = malloc(n * 7 + 1);
    CHECK(line != NULL);
    if (!line)
        return;
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(line + at, 8, "w%05zu ", i);
    struct cmdline_words w = split(line, 0);
    CHECK_INT(w.count, n);
    if (w.count == n) {
        CHECK_STR(w.word[0].text, "w00000");
        CHECK_STR(w.word[n - 1].text, "w19999");
        CHECK_INT(w.word[n - 1].start, (n - 1) * 7);
    }
    cmdline_words_free(&w);

    memset(line, 'x', n * 7);
    line[0] = '"';
    line[n * 7 - 1] = '"';
    w = split(line, 0);
    CHECK_INT(w.count, 1);
    if (w.count == 1)
        CHECK_INT(strlen(w.word[0].text), n * 7 - 2);
    cmdline_words_free(&w);
    free(line);
}

static void test_each_word_resplits_to_itself(void)
{
    const char *line = " a\\ b \"c d\"e 'f\\' \"\" g\\\"h \"i\\\\\" ";
    struct cmdline_words w = split(line, 0);
    CHECK_INT(w.count, 6);
    for (size_t i = 0; i < w.count; i++) {
        size_t len = w.word[i].end - w.word[i].start;
        char one[64];
        CHECK(len < sizeof one);
        memcpy(one, line + w.word[i].start, len);
        one[len] = '\0';
        struct cmdline_words again = split(one, 0);
        CHECK_INT(again.count, 1);
        if (again.count == 1)
            CHECK_STR(again.word[0].text, w.word[i].text);
        cmdline_words_free(&again);
    }
    cmdline_words_free(&w);
}

static void test_word_at_cursor(void)
{
    const char *line = "assign 12  bo";
    size_t start = 99;
    CHECK_INT(cmdline_word_at(line, 0, &start), 0);
    CHECK_INT(start, 0);
    CHECK_INT(cmdline_word_at(line, 3, &start), 0);
    CHECK_INT(cmdline_word_at(line, 6, &start), 0); /* just after "assign" */
    CHECK_INT(start, 0);
    CHECK_INT(cmdline_word_at(line, 7, &start), 1);
    CHECK_INT(start, 7);
    CHECK_INT(cmdline_word_at(line, 9, &start), 1);
    CHECK_INT(start, 7);
    CHECK_INT(cmdline_word_at(line, 10, &start), 2); /* between 12 and bo: a new word */
    CHECK_INT(start, 10);
    CHECK_INT(cmdline_word_at(line, 13, &start), 2);
    CHECK_INT(start, 11);
    CHECK_INT(cmdline_word_at(line, 500, &start), 2);
    CHECK_INT(start, 11);
    CHECK_INT(cmdline_word_at(line, 13, NULL), 2);
}

static void test_word_at_edges(void)
{
    size_t start = 99;
    CHECK_INT(cmdline_word_at("", 0, &start), 0);
    CHECK_INT(start, 0);
    CHECK_INT(cmdline_word_at("   ", 2, &start), 0);
    CHECK_INT(start, 2);
    CHECK_INT(cmdline_word_at("take ", 5, &start), 1);
    CHECK_INT(start, 5);

    /* Typing inside a still open quote. */
    const char *line = "new ACME \"Tulostin ei";
    CHECK_INT(cmdline_word_at(line, strlen(line), &start), 2);
    CHECK_INT(start, 9);
    CHECK_INT(cmdline_word_at(line, 15, &start), 2);
    CHECK_INT(cmdline_word_at("x \"a b\" c", 4, &start), 1);
    CHECK_INT(start, 2);
    CHECK_INT(cmdline_word_at("x a\\ b c", 5, &start), 1);
    CHECK_INT(cmdline_word_at("x a\\ b c", 8, &start), 2);
}

static void test_free_is_safe_twice(void)
{
    struct cmdline_words w = split("a b", 0);
    cmdline_words_free(&w);
    CHECK(w.word == NULL);
    CHECK_INT(w.count, 0);
    cmdline_words_free(&w);
}

#define TESTS(X)                                                                                   \
    X(test_whitespace_separates_words)                                                             \
    X(test_empty_and_blank_lines)                                                                  \
    X(test_double_quotes_group)                                                                    \
    X(test_single_quotes_are_literal)                                                              \
    X(test_backslash_outside_quotes)                                                               \
    X(test_adjacent_parts_form_one_word)                                                           \
    X(test_unterminated_quote_is_an_error)                                                         \
    X(test_max_words_leaves_the_rest_verbatim)                                                     \
    X(test_utf8_text_and_byte_offsets)                                                             \
    X(test_no_fixed_limits)                                                                        \
    X(test_each_word_resplits_to_itself)                                                           \
    X(test_word_at_cursor)                                                                         \
    X(test_word_at_edges)                                                                          \
    X(test_free_is_safe_twice)
CHECK_MAIN(TESTS)
