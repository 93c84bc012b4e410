/* UTF-8 text as the terminal shows it: columns, not bytes.
 *
 * Every byte sequence decodes to glyphs; nothing is ever read past the NUL.
 * Shown as U+FFFD, one column each:
 *   - an invalid byte, or a truncated sequence (its lead and valid continuations);
 *   - control characters C0, DEL and C1 (so a subject cannot move the cursor);
 *   - bidi embedding, override and isolate controls (U+202A-202E, U+2066-2069);
 *   - any character the locale's wcwidth() calls unprintable.
 * Widths come from wcwidth(): the program runs in a UTF-8 locale after
 * setlocale(LC_ALL, ""); combining marks are 0 columns, CJK and most emoji 2.
 * Newlines and tabs are controls too: split multi-line text before drawing it. */
#ifndef TUKI_TEXT_H
#define TUKI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TEXT_REPLACEMENT "\xef\xbf\xbd"
#define TEXT_ELLIPSIS    "\xe2\x80\xa6"

struct text_glyph {
    uint32_t codepoint; /* U+FFFD when replaced */
    size_t len;         /* source bytes, at least 1 */
    int width;          /* display columns: 0, 1 or 2 */
    bool replaced;      /* draw TEXT_REPLACEMENT instead of the source bytes */
};

/* The glyph starting at s, which must not point at the terminating NUL. */
struct text_glyph text_glyph_at(const char *s);

/* Display columns of s, saturating at INT_MAX. */
int text_width(const char *s);

/* Writes into buf the longest glyph prefix of s that fits cols columns, padded with
 * spaces to exactly cols columns; when s does not fit, the last column is "…" (and a
 * wide glyph that would straddle the edge becomes a space). Unprintable glyphs are
 * written as U+FFFD. Never writes more than size bytes, and NUL-terminates when
 * size > 0. A buffer of 4 * cols + 1 bytes holds any result, except that text with
 * many zero-width glyphs (combining marks) is cut short with "…" rather than
 * overflow; below cols + 3 bytes the result may lack the "…" and be narrower.
 * Returns the bytes written, not counting the NUL. cols <= 0 gives "". */
size_t text_fit(char *buf, size_t size, const char *s, int cols);

/* Writes s to out whole, as the screen would show it: every glyph listed above as shown
 * as U+FFFD is written as U+FFFD, so no text can move a terminal's cursor, retitle it or
 * reach its clipboard. Returns 0, or EOF on a write error. */
int text_put_visible(const char *s, FILE *out);

/* The column at which the glyph containing byte offset `offset` of s starts;
 * offsets past the end give the width of s. For placing a cursor by display width. */
int text_column_at(const char *s, size_t offset);

/* Byte offset of the glyph covering column col of s (the start of a wide glyph for
 * either of its columns); strlen(s) when col is at or past the width, 0 when col <= 0. */
size_t text_offset_at(const char *s, int col);

/* printf into a string of its own size (caller frees); NULL without memory. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* *err = the message (text_printf's, NULL without memory); returns -1, so a function that
 * fails with a message says 'return text_fail(err, ...)'. */
int text_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
