/* Charsets to UTF-8 and HTML to readable text: the two text jobs of reading mail. */
#include "mail_parse.h"

#include <gmime/gmime.h>
#include <string.h>

char *mail_text_to_utf8(const char *bytes, size_t len, const char *charset)
{
    if (!bytes || len == 0)
        return g_strdup("");
    if (charset) {
        const char *iconv_name = g_mime_charset_iconv_name(charset);
        if (g_ascii_strcasecmp(iconv_name, "UTF-8") == 0) {
            if (g_utf8_validate(bytes, (gssize)len, NULL))
                return g_strndup(bytes, len);
        } else {
            char *out = g_convert(bytes, (gssize)len, "UTF-8", iconv_name, NULL, NULL, NULL);
            if (out)
                return out;
        }
    }
    /* no charset, an unknown one, or bytes that are not what the message claims:
     * valid UTF-8 stays, anything else is read as Windows-1252 (a superset of Latin-1) */
    if (g_utf8_validate(bytes, (gssize)len, NULL))
        return g_strndup(bytes, len);
    char *out =
        g_convert_with_fallback(bytes, (gssize)len, "UTF-8", "WINDOWS-1252", "?", NULL, NULL, NULL);
    if (out)
        return out;
    out = g_convert(bytes, (gssize)len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    return out ? out : g_strdup("");
}

struct named_entity {
    const char *name;
    const char *utf8;
};

static const struct named_entity entities[] = {
    {"amp", "&"},    {"lt", "<"},     {"gt", ">"},     {"quot", "\""},  {"apos", "'"},
    {"nbsp", " "},   {"auml", "ä"},   {"ouml", "ö"},   {"aring", "å"},  {"Auml", "Ä"},
    {"Ouml", "Ö"},   {"Aring", "Å"},  {"uuml", "ü"},   {"Uuml", "Ü"},   {"aacute", "á"},
    {"eacute", "é"}, {"iacute", "í"}, {"oacute", "ó"}, {"uacute", "ú"}, {"yacute", "ý"},
    {"Aacute", "Á"}, {"Eacute", "É"}, {"scaron", "š"}, {"Scaron", "Š"}, {"zcaron", "ž"},
    {"Zcaron", "Ž"}, {"ccaron", "č"}, {"Ccaron", "Č"}, {"euro", "€"},   {"ndash", "–"},
    {"mdash", "—"},  {"hellip", "…"}, {"rsquo", "’"},  {"lsquo", "‘"},  {"ldquo", "“"},
    {"rdquo", "”"},  {"copy", "©"},   {"reg", "®"},    {"bull", "•"},   {"shy", ""},
};

/* Decodes the entity at s (just after '&'); appends it and returns the bytes used, 0 if none. */
static size_t append_entity(GString *out, const char *s)
{
    const char *semi = strchr(s, ';');
    if (!semi || semi - s > 10 || semi == s)
        return 0;
    size_t n = (size_t)(semi - s);
    if (s[0] == '#') {
        gunichar c = (s[1] == 'x' || s[1] == 'X') ? (gunichar)g_ascii_strtoull(s + 2, NULL, 16)
                                                  : (gunichar)g_ascii_strtoull(s + 1, NULL, 10);
        if (c == 0 || !g_unichar_validate(c))
            return 0;
        g_string_append_unichar(out, c == 0xa0 ? ' ' : c);
        return n + 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(entities); i++) {
        if (strlen(entities[i].name) == n && strncmp(entities[i].name, s, n) == 0) {
            g_string_append(out, entities[i].utf8);
            return n + 1;
        }
    }
    return 0;
}

/* Tags after which the text starts on a new line. */
static bool tag_breaks_line(const char *name)
{
    static const char *const block[] = {"br",    "p",  "div", "li",  "tr", "h1",
                                        "h2",    "h3", "h4",  "h5",  "h6", "blockquote",
                                        "table", "ul", "ol",  "pre", "hr", "title"};
    for (size_t i = 0; i < G_N_ELEMENTS(block); i++)
        if (g_ascii_strcasecmp(name, block[i]) == 0)
            return true;
    return false;
}

/* <br> always ends a line (at most one blank line in a row); a block starts a new line
 * only where the text is not at a line start already */
static void append_break(GString *out, bool forced)
{
    while (out->len && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
    if (!out->len)
        return;
    bool at_line_start = out->str[out->len - 1] == '\n';
    bool after_blank = at_line_start && out->len >= 2 && out->str[out->len - 2] == '\n';
    if ((forced && !after_blank) || !at_line_start)
        g_string_append_c(out, '\n');
}

/* The name of the tag at s (just after '<'), lower case, into name; returns its length. */
static size_t tag_name(const char *s, char *name, size_t cap)
{
    size_t i = 0;
    if (*s == '/')
        s++;
    while (i + 1 < cap && (g_ascii_isalnum(s[i])))
        name[i] = g_ascii_tolower(s[i]), i++;
    name[i] = '\0';
    return i;
}

char *mail_html_to_text(const char *html)
{
    GString *out = g_string_new(NULL);
    const char *p = html;
    const char *skip_until = NULL; /* inside <style>, <script> or <head>: the closing tag */
    while (*p) {
        if (*p == '<') {
            if (strncmp(p, "<!--", 4) == 0) {
                const char *end = strstr(p + 4, "-->");
                p = end ? end + 3 : p + strlen(p);
                continue;
            }
            char name[16];
            bool closing = p[1] == '/';
            tag_name(p + 1, name, sizeof name);
            const char *end = strchr(p, '>');
            p = end ? end + 1 : p + strlen(p);
            if (skip_until) {
                if (closing && strcmp(name, skip_until) == 0)
                    skip_until = NULL;
                continue;
            }
            if (!closing && (strcmp(name, "style") == 0 || strcmp(name, "script") == 0))
                skip_until = strcmp(name, "style") == 0 ? "style" : "script";
            else if (!closing && strcmp(name, "head") == 0)
                skip_until = "head";
            else if (tag_breaks_line(name))
                append_break(out, strcmp(name, "br") == 0);
            else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
                g_string_append_c(out, ' ');
            continue;
        }
        if (skip_until) {
            p++;
            continue;
        }
        if (*p == '&') {
            size_t used = append_entity(out, p + 1);
            if (used) {
                p += used + 1;
                continue;
            }
        }
        if (g_ascii_isspace(*p)) {
            if (out->len && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
                g_string_append_c(out, ' ');
            p++;
            continue;
        }
        g_string_append_c(out, *p++);
    }
    /* no trailing blanks, no leading blank lines */
    while (out->len && g_ascii_isspace(out->str[out->len - 1]))
        g_string_truncate(out, out->len - 1);
    size_t lead = 0;
    while (lead < out->len && g_ascii_isspace(out->str[lead]))
        lead++;
    g_string_erase(out, 0, (gssize)lead);
    /* a space a line begins with came from the markup's indentation */
    GString *clean = g_string_sized_new(out->len);
    for (size_t i = 0; i < out->len; i++) {
        if (out->str[i] == ' ' && i > 0 && out->str[i - 1] == '\n')
            continue;
        g_string_append_c(clean, out->str[i]);
    }
    g_string_free(out, TRUE);
    return g_string_free(clean, FALSE);
}
