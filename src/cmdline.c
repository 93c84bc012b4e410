#include "cmdline.h"

#include "i18n.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static size_t skip_blanks(const char *line, size_t at)
{
    while (is_blank(line[at]))
        at++;
    return at;
}

struct word_scan {
    size_t end;
    size_t text_len;
    enum cmdline_error error;
    size_t error_at;
};

/* Scans the word starting at line[at], a non-blank byte, writing its unquoted text to
 * text when not NULL; an unterminated quote ends the word at the end of the line. */
static struct word_scan scan_word(const char *line, size_t at, char *text)
{
    struct word_scan scan = {0};
    char quote = '\0';
    size_t quote_at = 0;
    for (char c; (c = line[at]) != '\0'; at++) {
        if (quote == '\'') {
            if (c == '\'') {
                quote = '\0';
                continue;
            }
        } else if (c == '\\' && line[at + 1] != '\0') {
            c = line[++at];
        } else if (quote && c == '"') {
            quote = '\0';
            continue;
        } else if (!quote && (c == '"' || c == '\'')) {
            quote = c;
            quote_at = at;
            continue;
        } else if (!quote && is_blank(c)) {
            break;
        }
        if (text)
            text[scan.text_len] = c;
        scan.text_len++;
    }
    if (quote) {
        scan.error =
            quote == '"' ? CMDLINE_UNTERMINATED_DOUBLE_QUOTE : CMDLINE_UNTERMINATED_SINGLE_QUOTE;
        scan.error_at = quote_at;
    }
    scan.end = at;
    return scan;
}

static bool grow_words(struct cmdline_words *out, size_t *capacity)
{
    size_t wanted = *capacity ? *capacity * 2 : 8;
    if (wanted > SIZE_MAX / sizeof out->word[0])
        return false;
    struct cmdline_word *grown = realloc(out->word, wanted * sizeof out->word[0]);
    if (!grown)
        return false;
    out->word = grown;
    *capacity = wanted;
    return true;
}

enum cmdline_error cmdline_split(const char *line, size_t max_words, struct cmdline_words *out)
{
    *out = (struct cmdline_words){0};
    size_t len = strlen(line);
    /* Each word's text and NUL fit in its own bytes plus the blank after it. */
    out->text_ = malloc(len + 1);
    if (!out->text_)
        return CMDLINE_NO_MEMORY;

    size_t capacity = 0, text_used = 0;
    size_t at = skip_blanks(line, 0);
    while (line[at] && (max_words == 0 || out->count < max_words)) {
        char *text = out->text_ + text_used;
        struct word_scan scan = scan_word(line, at, text);
        if (scan.error) {
            cmdline_words_free(out);
            out->error_at = scan.error_at;
            return scan.error;
        }
        if (out->count == capacity && !grow_words(out, &capacity)) {
            cmdline_words_free(out);
            return CMDLINE_NO_MEMORY;
        }
        text[scan.text_len] = '\0';
        text_used += scan.text_len + 1;
        out->word[out->count++] = (struct cmdline_word){.text = text, .start = at, .end = scan.end};
        at = skip_blanks(line, scan.end);
    }
    out->rest = at;
    return CMDLINE_OK;
}

void cmdline_words_free(struct cmdline_words *words)
{
    free(words->word);
    free(words->text_);
    *words = (struct cmdline_words){0};
}

const char *cmdline_strerror(enum cmdline_error error)
{
    switch (error) {
    case CMDLINE_OK:
        return "ok";
    case CMDLINE_UNTERMINATED_DOUBLE_QUOTE:
        return _("missing closing \" quote");
    case CMDLINE_UNTERMINATED_SINGLE_QUOTE:
        return _("missing closing ' quote");
    case CMDLINE_NO_MEMORY:
        return _("out of memory");
    }
    return _("invalid command line");
}

size_t cmdline_word_at(const char *line, size_t cursor, size_t *word_start)
{
    size_t len = strlen(line);
    if (cursor > len)
        cursor = len;
    size_t index = 0, start = cursor;
    for (size_t at = skip_blanks(line, 0); line[at] && at <= cursor; index++) {
        struct word_scan scan = scan_word(line, at, NULL);
        if (cursor <= scan.end) {
            start = at;
            break;
        }
        at = skip_blanks(line, scan.end);
    }
    if (word_start)
        *word_start = start;
    return index;
}
