/* libFuzzer: the work-duration parser on any bytes; whatever it accepts is in range and
 * comes back the same through duration_format. The first 8 bytes also format as a long. */
#include "duration.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    long minutes = -1;
    enum duration_error e = duration_parse(s, &minutes);
    if (!duration_strerror(e))
        abort();
    if (e == DURATION_OK) {
        if (minutes < 1 || minutes > DURATION_MAX_MINUTES)
            abort();
        char buf[DURATION_BUF_SIZE];
        long again = -1;
        if (duration_parse(duration_format(minutes, buf, sizeof buf), &again) != DURATION_OK ||
            again != minutes)
            abort();
    } else if (minutes != -1) {
        abort(); /* written only on success */
    }

    if (size >= sizeof(long)) {
        long any;
        memcpy(&any, data, sizeof any);
        char buf[DURATION_BUF_SIZE], small[5];
        duration_format(any, buf, sizeof buf);
        duration_format_remaining(any, buf, sizeof buf);
        duration_format_remaining(any, small, sizeof small);
        if (strlen(buf) >= sizeof buf || strlen(small) >= sizeof small)
            abort();
    }
    free(s);
    return 0;
}
