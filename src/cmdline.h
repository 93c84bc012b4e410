/* Splitting a prompt line such as `status 42 resolved "fixed the printer"` into words.
 *
 * ASCII whitespace separates words (U+00A0 and other non-ASCII spaces do not).
 * "Double" and 'single' quotes group; a backslash outside quotes or inside double
 * quotes takes the next byte literally (no C escapes: `\n` is `n`); inside single
 * quotes everything is literal. Quoted and bare parts next to each other form one
 * word (`ab"c d"` is `abc d`); `""` is an empty word. A backslash ending the line
 * stays a backslash. There is no fixed limit: words and text are allocated.
 *
 * Commands taking free text (`reply 42 It's fixed`) split only their fixed words,
 * with max_words, and take `line + rest` verbatim, so the text's own quotes and
 * backslashes are neither interpreted nor able to cause an error. */
#ifndef TUKI_CMDLINE_H
#define TUKI_CMDLINE_H

#include <stddef.h>

enum cmdline_error {
    CMDLINE_OK = 0,
    CMDLINE_UNTERMINATED_DOUBLE_QUOTE,
    CMDLINE_UNTERMINATED_SINGLE_QUOTE,
    CMDLINE_NO_MEMORY,
};

struct cmdline_word {
    const char *text; /* unquoted and unescaped, NUL-terminated */
    size_t start;     /* byte offset in the line of the word's first byte, quote included */
    size_t end;       /* byte offset just past the word's last byte */
};

struct cmdline_words {
    struct cmdline_word *word;
    size_t count;
    size_t rest;     /* offset of the first byte not split: the next word after max_words
                        words, else the length of the line */
    size_t error_at; /* on an error, the offset of the opening quote */
    char *text_;     /* holds every word's text */
};

/* Splits line into out, stopping after max_words words when max_words > 0.
 * On CMDLINE_OK the caller releases out with cmdline_words_free; on an error out
 * holds no words and nothing to free, only error_at. */
enum cmdline_error cmdline_split(const char *line, size_t max_words, struct cmdline_words *out);

/* Frees the words and empties the list; safe on an empty or already freed list. */
void cmdline_words_free(struct cmdline_words *words);

/* A message for the status line, e.g. "missing closing \" quote". */
const char *cmdline_strerror(enum cmdline_error error);

/* For completion: the index of the word the cursor (a byte offset) is in or just
 * after, or, when it is on whitespace, the index a word typed there would get.
 * *word_start, when not NULL, is set to where that word starts (the cursor for a new
 * word). An unterminated quote is no error here: the word runs to the end. */
size_t cmdline_word_at(const char *line, size_t cursor, size_t *word_start);

#endif
