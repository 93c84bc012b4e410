/* Which catalogue directory gettext reads: the installed one, or the build tree's
 * (po/ under the build directory) when TUKI_LOCALEDIR says so, so ./build/tuki and the
 * tests speak Finnish and Slovak without an install. */
#include "i18n.h"
#include "tuki_build.h"

#include <stdlib.h>

void i18n_init(void)
{
    const char *dir = getenv("TUKI_LOCALEDIR");
    bindtextdomain("tuki", dir && *dir ? dir : TUKI_LOCALEDIR);
    bind_textdomain_codeset("tuki", "UTF-8");
    textdomain("tuki");
}
