/* Translation: every string a user reads goes through _() (or N_() where it sits in a
 * static table and is translated when shown). Catalogues are po/fi.po and po/sk.po,
 * built by meson's i18n module; i18n_init() binds them at start-up. */
#ifndef TUKI_I18N_H
#define TUKI_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

/* Binds the "tuki" text domain: $TUKI_LOCALEDIR when set (tests and the build tree),
 * else the installed locale directory. Call after setlocale(). */
void i18n_init(void);

#endif
