#include "check.h"
#include "text.h"

#include <locale.h>
#include <stdlib.h>

#define ACUTE     "\xcc\x81" /* U+0301 COMBINING ACUTE ACCENT */
#define DIAERESIS "\xcc\x88" /* U+0308 COMBINING DIAERESIS */
#define ESC       "\x1b"

static void use_utf8_locale(void)
{
    CHECK(setlocale(LC_ALL, "C.UTF-8") != NULL);
}

/* Valid UTF-8 with nothing that moves the cursor: no glyph needs replacing. */
static bool is_safe_output(const char *s)
{
    for (size_t at = 0; s[at];) {
        struct text_glyph g = text_glyph_at(s + at);
        if (g.replaced)
            return false;
        at += g.len;
    }
    return true;
}

static void test_decodes_valid_utf8(void)
{
    use_utf8_locale();
    struct text_glyph g = text_glyph_at("a");
    CHECK_INT(g.codepoint, 'a');
    CHECK_INT(g.len, 1);
    CHECK_INT(g.width, 1);
    CHECK(!g.replaced);

    g = text_glyph_at("ä");
    CHECK_INT(g.codepoint, 0xe4);
    CHECK_INT(g.len, 2);
    CHECK_INT(g.width, 1);

    g = text_glyph_at("漢字");
    CHECK_INT(g.codepoint, 0x6f22);
    CHECK_INT(g.len, 3);
    CHECK_INT(g.width, 2);

    g = text_glyph_at("😀");
    CHECK_INT(g.codepoint, 0x1f600);
    CHECK_INT(g.len, 4);
    CHECK_INT(g.width, 2);

    g = text_glyph_at(ACUTE);
    CHECK_INT(g.codepoint, 0x301);
    CHECK_INT(g.width, 0);
    CHECK(!g.replaced);
}

static void test_invalid_sequences_are_one_replacement_each(void)
{
    use_utf8_locale();
    struct text_glyph g = text_glyph_at("\xff");
    CHECK(g.replaced);
    CHECK_INT(g.codepoint, 0xfffd);
    CHECK_INT(g.len, 1);
    CHECK_INT(g.width, 1);

    g = text_glyph_at("\xe6\xbcx"); /* first two bytes of 漢, then x */
    CHECK(g.replaced);
    CHECK_INT(g.len, 2);
    CHECK_INT(text_width("\xe6\xbcx"), 2);

    CHECK_INT(text_width("\xc0\xaf"), 2);         /* overlong '/' */
    CHECK_INT(text_width("\xed\xa0\x80"), 3);     /* surrogate U+D800 */
    CHECK_INT(text_width("\xf4\x90\x80\x80"), 4); /* above U+10FFFF */
    CHECK_INT(text_width("\xf5"), 1);
    CHECK_INT(text_width("\x80\x80"), 2); /* stray continuations */
    CHECK_INT(text_width("ab\xff\xe6\xbc"), 4);

    /* A truncated sequence at the very end of an exact-size heap block: ASan
     * or valgrind would catch a read past the NUL. */
    char *tail = malloc(3);
    CHECK(tail != NULL);
    if (tail) {
        memcpy(tail, "\xe6\xbc", 3);
        g = text_glyph_at(tail);
        CHECK_INT(g.len, 2);
        CHECK(g.replaced);
        CHECK_INT(text_width(tail), 1);
        CHECK_INT(text_column_at(tail, 99), 1);
        CHECK_INT(text_offset_at(tail, 99), 2);
        free(tail);
    }
}

static void test_controls_cannot_move_the_cursor(void)
{
    use_utf8_locale();
    const char *controls[] = {"\x1b", "\t",       "\n",       "\r",     "\b",
                              "\x7f", "\xc2\x9b", "\xc2\x85", "\u202e", "\u2066"};
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        struct text_glyph g = text_glyph_at(controls[i]);
        CHECK(g.replaced);
        CHECK_INT(g.len, strlen(controls[i]));
        CHECK_INT(g.width, 1);
    }

    const char *subject = "Hi" ESC "[2J" ESC "[Hthere";
    CHECK_INT(text_width(subject), 14);
    char buf[64];
    size_t n = text_fit(buf, sizeof buf, subject, 16);
    CHECK_STR(buf, "Hi" TEXT_REPLACEMENT "[2J" TEXT_REPLACEMENT "[Hthere  ");
    CHECK_INT(n, strlen(buf));
    CHECK(strchr(buf, '\x1b') == NULL);
    CHECK(is_safe_output(buf));
}

static void test_width_of_mixed_text(void)
{
    use_utf8_locale();
    CHECK_INT(text_width(""), 0);
    CHECK_INT(text_width("Päivä čaká 漢字"), 15);
    CHECK_INT(text_width("Pa" DIAERESIS "iva" DIAERESIS), 5);
    CHECK_INT(text_width("e" ACUTE "\xcc\xa3"), 1); /* two marks on one base */
    CHECK_INT(text_width("😀 ok"), 5);
    CHECK_INT(text_width("ＡＢ"), 4);     /* fullwidth forms */
    CHECK_INT(text_width("\xcd\xb8"), 1); /* unassigned U+0378: wcwidth -1, replaced */
}

static void test_fit_pads_to_exact_width(void)
{
    use_utf8_locale();
    char buf[64];
    CHECK_INT(text_fit(buf, sizeof buf, "abc", 6), 6);
    CHECK_STR(buf, "abc   ");
    CHECK_INT(text_fit(buf, sizeof buf, "", 3), 3);
    CHECK_STR(buf, "   ");
    CHECK_INT(text_fit(buf, sizeof buf, "Päivä", 5), strlen("Päivä"));
    CHECK_STR(buf, "Päivä");
    CHECK_INT(text_fit(buf, sizeof buf, "a漢", 3), strlen("a漢"));
    CHECK_STR(buf, "a漢");
    text_fit(buf, sizeof buf, "Päivä čaká 漢字", 17);
    CHECK_STR(buf, "Päivä čaká 漢字  ");
    CHECK_INT(text_width(buf), 17);
}

static void test_fit_truncates_with_ellipsis(void)
{
    use_utf8_locale();
    char buf[64];
    size_t n = text_fit(buf, sizeof buf, "Tulostin ei toimi", 12);
    CHECK_STR(buf, "Tulostin ei…");
    CHECK_INT(n, strlen("Tulostin ei…"));
    CHECK_INT(text_width(buf), 12);

    text_fit(buf, sizeof buf, "Päivä čaká 漢字", 14);
    CHECK_STR(buf, "Päivä čaká 漢…");
    text_fit(buf, sizeof buf, "Päivä čaká 漢字", 7);
    CHECK_STR(buf, "Päivä …");
    text_fit(buf, sizeof buf, "abc", 1);
    CHECK_STR(buf, "…");
    text_fit(buf, sizeof buf, "ab", 2);
    CHECK_STR(buf, "ab");
}

static void test_fit_wide_glyph_at_the_edge_becomes_space(void)
{
    use_utf8_locale();
    char buf[64];
    text_fit(buf, sizeof buf, "Päivä čaká 漢字", 13);
    CHECK_STR(buf, "Päivä čaká  …");
    CHECK_INT(text_width(buf), 13);
    text_fit(buf, sizeof buf, "漢字漢", 4);
    CHECK_STR(buf, "漢 …");
    text_fit(buf, sizeof buf, "漢字漢", 5);
    CHECK_STR(buf, "漢字…");
    text_fit(buf, sizeof buf, "漢字", 2);
    CHECK_STR(buf, " …");
    text_fit(buf, sizeof buf, "漢", 2);
    CHECK_STR(buf, "漢");
    text_fit(buf, sizeof buf, "漢字", 1);
    CHECK_STR(buf, "…");
    text_fit(buf, sizeof buf, "😀😀😀", 5);
    CHECK_STR(buf, "😀😀…");
    text_fit(buf, sizeof buf, "😀😀😀", 4);
    CHECK_STR(buf, "😀 …");
}

static void test_fit_keeps_combining_marks_with_their_base(void)
{
    use_utf8_locale();
    char buf[64];
    text_fit(buf, sizeof buf, "e" ACUTE "e" ACUTE "e" ACUTE, 2);
    CHECK_STR(buf, "e" ACUTE "…");
    text_fit(buf, sizeof buf, "e" ACUTE "e" ACUTE "e" ACUTE, 3);
    CHECK_STR(buf, "e" ACUTE "e" ACUTE "e" ACUTE);
    text_fit(buf, sizeof buf, "Pa" DIAERESIS "iva" DIAERESIS " on", 6);
    CHECK_STR(buf, "Pa" DIAERESIS "iva" DIAERESIS "…");
}

static void test_fit_replaces_invalid_bytes(void)
{
    use_utf8_locale();
    char buf[64];
    size_t n = text_fit(buf, sizeof buf, "ab\xff\xe6\xbc", 6);
    CHECK_STR(buf, "ab" TEXT_REPLACEMENT TEXT_REPLACEMENT "  ");
    CHECK_INT(n, strlen(buf));
    CHECK(is_safe_output(buf));
    text_fit(buf, sizeof buf, "\xff\xff\xff\xff", 3);
    CHECK_STR(buf, TEXT_REPLACEMENT TEXT_REPLACEMENT "…");
}

static void test_fit_zero_and_negative_widths(void)
{
    use_utf8_locale();
    char buf[16];
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, sizeof buf, "abc", 0), 0);
    CHECK_STR(buf, "");
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, sizeof buf, "abc", -7), 0);
    CHECK_STR(buf, "");
    CHECK_INT(text_fit(buf, sizeof buf, "", 0), 0);
    CHECK_STR(buf, "");
}

static void test_fit_never_overflows_small_buffers(void)
{
    use_utf8_locale();
    char buf[32];

    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 1, "Päivä čaká 漢字", 10), 0);
    CHECK_INT(buf[0], '\0');
    CHECK_INT(buf[1], 'x');

    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 0, "abc", 3), 0);
    CHECK_INT(buf[0], 'x');

    /* Room for three bytes only: as much as fits, no ellipsis. */
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 4, "abcdefgh", 10), 3);
    CHECK_STR(buf, "abc");
    CHECK_INT(buf[4], 'x');

    /* A multi-byte glyph is never split. */
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 3, "漢字", 10), 2);
    CHECK_STR(buf, "  ");

    /* cols + 3 bytes still line up, giving text up for padding. */
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 8, "漢字漢字", 5), 7);
    CHECK_STR(buf, "    …");
    CHECK_INT(buf[8], 'x');

    /* 4 * cols + 1 is enough for any glyph mix, even 4-byte ones. */
    memset(buf, 'x', sizeof buf);
    CHECK_INT(text_fit(buf, 4 * 3 + 1, "\U00010000\U00010000\U00010000", 3), 12);
    CHECK_INT(text_width(buf), 3);

    /* Many combining marks are cut rather than overflow; the width still holds. */
    char marks[1 + 2 * 100 + 1] = "a";
    for (int i = 0; i < 100; i++)
        memcpy(marks + 1 + 2 * i, ACUTE, 3);
    memset(buf, 'x', sizeof buf);
    size_t n = text_fit(buf, 4 * 3 + 1, marks, 3);
    CHECK(n <= 12);
    CHECK_INT(n, strlen(buf));
    CHECK_INT(text_width(buf), 3);
    CHECK(strcmp(buf + n - strlen(TEXT_ELLIPSIS), TEXT_ELLIPSIS) == 0);
    CHECK_INT(buf[13], 'x');
}

static void test_column_at_byte_offset(void)
{
    use_utf8_locale();
    const char *s = "Päivä 漢字"; /* P0 ä1 i3 v4 ä5 space7 漢8 字11 end14 */
    CHECK_INT(text_column_at(s, 0), 0);
    CHECK_INT(text_column_at(s, 1), 1);
    CHECK_INT(text_column_at(s, 2), 1); /* inside ä: where ä starts */
    CHECK_INT(text_column_at(s, 3), 2);
    CHECK_INT(text_column_at(s, 7), 5);
    CHECK_INT(text_column_at(s, 8), 6);
    CHECK_INT(text_column_at(s, 11), 8);
    CHECK_INT(text_column_at(s, 14), 10);
    CHECK_INT(text_column_at(s, 1000), 10);
    CHECK_INT(text_column_at("a" ESC "b", 2), 2);
    CHECK_INT(text_column_at("e" ACUTE "x", 3), 1);
    CHECK_INT(text_column_at("", 5), 0);
}

static void test_offset_at_column(void)
{
    use_utf8_locale();
    const char *s = "Päivä 漢字";
    CHECK_INT(text_offset_at(s, -3), 0);
    CHECK_INT(text_offset_at(s, 0), 0);
    CHECK_INT(text_offset_at(s, 1), 1);
    CHECK_INT(text_offset_at(s, 2), 3);
    CHECK_INT(text_offset_at(s, 6), 8);
    CHECK_INT(text_offset_at(s, 7), 8); /* right half of 漢 */
    CHECK_INT(text_offset_at(s, 8), 11);
    CHECK_INT(text_offset_at(s, 10), 14);
    CHECK_INT(text_offset_at(s, 50), 14);
    CHECK_INT(text_offset_at("e" ACUTE "x", 1), 3); /* the mark stays with column 0 */

    /* Round trip at every glyph start of a mixed string. */
    const char *mixed = "a" DIAERESIS " 漢\xff😀\x1b!";
    for (size_t at = 0; mixed[at];) {
        struct text_glyph g = text_glyph_at(mixed + at);
        if (g.width > 0)
            CHECK_INT(text_offset_at(mixed, text_column_at(mixed, at)), at);
        at += g.len;
    }
}

static void test_c_locale_degrades_to_replacements(void)
{
    CHECK(setlocale(LC_ALL, "C") != NULL);
    CHECK_INT(text_width("Päivä"), 5);
    CHECK(text_glyph_at("ä").replaced);
    char buf[32];
    text_fit(buf, sizeof buf, "漢字", 3);
    CHECK_STR(buf, TEXT_REPLACEMENT TEXT_REPLACEMENT " ");
    use_utf8_locale();
}

/* What text_put_visible writes for s, in a malloc'd string. */
static char *put_visible(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    CHECK(out != NULL);
    CHECK_INT(text_put_visible(s, out), 0);
    fclose(out);
    return buf;
}

static void test_put_visible_writes_everything_controls_as_replacement(void)
{
    use_utf8_locale();
    char *got = put_visible("Päivä " ESC "]0;title\a " ESC "[2J\t漢字\n");
    CHECK_STR(got, "Päivä " TEXT_REPLACEMENT "]0;title" TEXT_REPLACEMENT " " TEXT_REPLACEMENT
                   "[2J" TEXT_REPLACEMENT "漢字" TEXT_REPLACEMENT);
    CHECK(is_safe_output(got));
    free(got);
    /* No width limit: a long line comes out whole. */
    char long_line[5001];
    memset(long_line, 'x', 5000);
    long_line[5000] = '\0';
    got = put_visible(long_line);
    CHECK_INT(strlen(got), 5000);
    free(got);
    got = put_visible("bad \xff\xc3 end \xe2\x80\xae");
    CHECK_STR(got, "bad " TEXT_REPLACEMENT TEXT_REPLACEMENT " end " TEXT_REPLACEMENT);
    free(got);
}

#define TESTS(X)                                                                                   \
    X(test_decodes_valid_utf8)                                                                     \
    X(test_invalid_sequences_are_one_replacement_each)                                             \
    X(test_controls_cannot_move_the_cursor)                                                        \
    X(test_width_of_mixed_text)                                                                    \
    X(test_fit_pads_to_exact_width)                                                                \
    X(test_fit_truncates_with_ellipsis)                                                            \
    X(test_fit_wide_glyph_at_the_edge_becomes_space)                                               \
    X(test_fit_keeps_combining_marks_with_their_base)                                              \
    X(test_fit_replaces_invalid_bytes)                                                             \
    X(test_fit_zero_and_negative_widths)                                                           \
    X(test_fit_never_overflows_small_buffers)                                                      \
    X(test_column_at_byte_offset)                                                                  \
    X(test_offset_at_column)                                                                       \
    X(test_c_locale_degrades_to_replacements)                                                      \
    X(test_put_visible_writes_everything_controls_as_replacement)
CHECK_MAIN(TESTS)
