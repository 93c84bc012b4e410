/* libFuzzer: the prompt's command-line splitter on any bytes. Input: one byte of
 * max_words, one byte of cursor, then the line (a NUL ends it early, as in C). */
#include "cmdline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_words(const char *line, const struct cmdline_words *w)
{
    size_t len = strlen(line);
    if (w->rest > len)
        abort();
    for (size_t i = 0; i < w->count; i++) {
        const struct cmdline_word *word = &w->word[i];
        if (word->start > word->end || word->end > len || !word->text)
            abort();
        if (i > 0 && word->start < w->word[i - 1].end)
            abort();
        /* Unquoting only removes bytes. */
        if (strlen(word->text) > word->end - word->start)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t max_words = data[0] % 6, cursor = data[1];
    char *line = malloc(size - 1);
    if (!line)
        return 0;
    memcpy(line, data + 2, size - 2);
    line[size - 2] = '\0';

    struct cmdline_words w;
    enum cmdline_error e = cmdline_split(line, max_words, &w);
    if (e == CMDLINE_OK) {
        check_words(line, &w);
        if (max_words && w.count > max_words)
            abort();
        cmdline_words_free(&w);
        cmdline_words_free(&w); /* documented as safe */
    } else if (!cmdline_strerror(e) || w.error_at > strlen(line)) {
        abort();
    }
    size_t start = SIZE_MAX;
    cmdline_word_at(line, cursor, &start);
    if (start > strlen(line) && start > cursor)
        abort();
    free(line);
    return 0;
}
