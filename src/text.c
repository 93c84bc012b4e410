#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include "text.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT_CODEPOINT 0xfffdu

static size_t glyph_output_len(struct text_glyph g)
{
    return g.replaced ? sizeof TEXT_REPLACEMENT - 1 : g.len;
}

/* What is written for glyph g found at s: its own bytes, or U+FFFD. */
static const char *glyph_output(const char *s, struct text_glyph g)
{
    return g.replaced ? TEXT_REPLACEMENT : s;
}

static bool is_continuation(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

static bool is_hidden_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

static struct text_glyph replacement(size_t len)
{
    return (struct text_glyph){
        .codepoint = REPLACEMENT_CODEPOINT, .len = len, .width = 1, .replaced = true};
}

struct text_glyph text_glyph_at(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char lead = p[0];
    size_t need;
    uint32_t cp;
    /* Bounds of the first continuation byte; they exclude overlongs and surrogates. */
    unsigned char lo = 0x80, hi = 0xbf;

    if (lead < 0x80) {
        need = 0;
        cp = lead;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
        need = 1;
        cp = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        need = 2;
        cp = lead & 0x0f;
        if (lead == 0xe0)
            lo = 0xa0;
        else if (lead == 0xed)
            hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        need = 3;
        cp = lead & 0x07;
        if (lead == 0xf0)
            lo = 0x90;
        else if (lead == 0xf4)
            hi = 0x8f;
    } else {
        return replacement(1);
    }

    size_t len = 1;
    for (; len <= need; len++) {
        /* The NUL terminator is never a continuation, so this stops at the end. */
        if (!is_continuation(p[len], lo, hi))
            return replacement(len);
        cp = (cp << 6) | (p[len] & 0x3f);
        lo = 0x80;
        hi = 0xbf;
    }

    if (is_hidden_control(cp))
        return replacement(len);
    int width = wcwidth((wchar_t)cp);
    if (width < 0)
        return replacement(len);
    return (struct text_glyph){.codepoint = cp, .len = len, .width = width, .replaced = false};
}

int text_width(const char *s)
{
    int width = 0;
    for (size_t at = 0; s[at];) {
        struct text_glyph g = text_glyph_at(s + at);
        if (width > INT_MAX - g.width)
            return INT_MAX;
        width += g.width;
        at += g.len;
    }
    return width;
}

struct glyph_run {
    size_t source_len; /* bytes of s covered */
    size_t output_len; /* bytes it takes written out */
    int width;
    bool complete; /* reached the end of s */
};

/* The longest run of whole glyphs no wider than cols whose output plus the space
 * padding up to cols fits in room bytes; room must be at least cols. */
static struct glyph_run glyph_run_fitting(const char *s, int cols, size_t room)
{
    struct glyph_run run = {0};
    while (s[run.source_len]) {
        struct text_glyph g = text_glyph_at(s + run.source_len);
        if (g.width > cols - run.width)
            break;
        size_t padding = (size_t)(cols - run.width - g.width);
        if (run.output_len + glyph_output_len(g) + padding > room)
            break;
        run.source_len += g.len;
        run.output_len += glyph_output_len(g);
        run.width += g.width;
    }
    run.complete = s[run.source_len] == '\0';
    return run;
}

/* Writes the run's glyphs, replacing unprintable ones; the caller checked the room. */
static size_t write_run(char *out, const char *s, struct glyph_run run)
{
    size_t written = 0;
    for (size_t at = 0; at < run.source_len;) {
        struct text_glyph g = text_glyph_at(s + at);
        memcpy(out + written, glyph_output(s + at, g), glyph_output_len(g));
        written += glyph_output_len(g);
        at += g.len;
    }
    return written;
}

size_t text_fit(char *buf, size_t size, const char *s, int cols)
{
    if (size == 0)
        return 0;
    size_t room = size - 1;
    const size_t ellipsis_len = sizeof TEXT_ELLIPSIS - 1;
    if (cols < 0)
        cols = 0;
    /* A buffer too small to pad to cols gets what fits, giving up alignment. */
    if ((size_t)cols > room)
        cols = (int)room;

    struct glyph_run run = glyph_run_fitting(s, cols, room);
    bool truncated = !run.complete;
    if (truncated && cols >= 1 && room >= ellipsis_len + (size_t)cols - 1)
        run = glyph_run_fitting(s, cols - 1, room - ellipsis_len);
    else
        truncated = false;

    size_t written = write_run(buf, s, run);
    int pad = cols - run.width - (truncated ? 1 : 0);
    memset(buf + written, ' ', (size_t)pad);
    written += (size_t)pad;
    if (truncated) {
        memcpy(buf + written, TEXT_ELLIPSIS, ellipsis_len);
        written += ellipsis_len;
    }
    buf[written] = '\0';
    return written;
}

int text_put_visible(const char *s, FILE *out)
{
    for (size_t at = 0; s[at];) {
        struct text_glyph g = text_glyph_at(s + at);
        if (fwrite(glyph_output(s + at, g), 1, glyph_output_len(g), out) != glyph_output_len(g))
            return EOF;
        at += g.len;
    }
    return 0;
}

int text_column_at(const char *s, size_t offset)
{
    int col = 0;
    for (size_t at = 0; s[at];) {
        struct text_glyph g = text_glyph_at(s + at);
        if (offset < at + g.len)
            break;
        if (col > INT_MAX - g.width)
            return INT_MAX;
        col += g.width;
        at += g.len;
    }
    return col;
}

size_t text_offset_at(const char *s, int col)
{
    if (col <= 0)
        return 0;
    int start = 0;
    size_t at = 0;
    while (s[at]) {
        struct text_glyph g = text_glyph_at(s + at);
        if (g.width > 0 && start + g.width > col)
            return at;
        start += g.width;
        at += g.len;
    }
    return at;
}

char *text_printf(const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

int text_fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
    return -1;
}
