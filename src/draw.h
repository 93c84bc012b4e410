/* Drawing UTF-8 text into curses windows by display columns. */
#ifndef TUKI_DRAW_H
#define TUKI_DRAW_H

#include <curses.h>

/* Writes s at (y, x) fitted to exactly cols columns (truncated with "…", padded). */
void draw_fit(WINDOW *win, int y, int x, const char *s, int cols);

#endif
