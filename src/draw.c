#include "draw.h"

#include "text.h"

#include <stdlib.h>

void draw_fit(WINDOW *win, int y, int x, const char *s, int cols)
{
    if (cols <= 0)
        return;
    size_t need = (size_t)cols * 4 + 1; /* the widest text of cols columns */
    char *buf = malloc(need);
    if (!buf)
        return;
    text_fit(buf, need, s, cols);
    mvwaddstr(win, y, x, buf);
    free(buf);
}
