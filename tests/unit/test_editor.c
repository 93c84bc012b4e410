#include "check.h"
#include "editor.h"
#include "ticket_form.h"

#include <stdlib.h>
#include <string.h>

static void test_quote_prefixes_every_line(void)
{
    char *q = editor_quote("On 2026-11-25 13:40, Päivi Mäkelä wrote:", "Hei,\n\nVPN ei toimi.\n");
    CHECK_STR(q, "On 2026-11-25 13:40, Päivi Mäkelä wrote:\n> Hei,\n>\n> VPN ei toimi.\n");
    free(q);
    q = editor_quote("x wrote:", "no newline at the end");
    CHECK_STR(q, "x wrote:\n> no newline at the end\n");
    free(q);
}

static void test_comment_marks_every_line(void)
{
    char *c = editor_comment("TK006: unknown type 'wish'\n\nhint");
    CHECK_STR(c, "# TK006: unknown type 'wish'\n#\n# hint\n");
    free(c);
}

static void test_strip_drops_comments_and_outer_blank_lines(void)
{
    char *s = editor_strip("# help\n#\n\n\nFirst paragraph  \n\n#4211 stays: no space after #\n"
                           "> quoted\n# gone\n\n\n");
    CHECK_STR(s, "First paragraph\n\n#4211 stays: no space after #\n> quoted");
    free(s);
    s = editor_strip("crlf line\r\n# comment\r\nnext\r\n");
    CHECK_STR(s, "crlf line\nnext");
    free(s);
}

static void test_outcome_cancels_empty_and_unchanged(void)
{
    const char *tmpl = "# Reply to #42\n\nx wrote:\n> hello\n";
    CHECK(editor_outcome(tmpl, tmpl) == NULL);
    CHECK(editor_outcome(tmpl, "") == NULL);
    CHECK(editor_outcome(tmpl, "# only comments\n\n   \n") == NULL);
    /* the template with only white space or comments added is still unchanged */
    CHECK(editor_outcome(tmpl, "\n\n# Reply to #42\n# more\n\nx wrote:\n> hello   \n\n") == NULL);
    char *got = editor_outcome(tmpl, "Kiitos!\n\nx wrote:\n> hello\n");
    CHECK_STR(got, "Kiitos!\n\nx wrote:\n> hello");
    free(got);
    got = editor_outcome("", "ä č 漢字\n");
    CHECK_STR(got, "ä č 漢字");
    free(got);
}

static void test_program_follows_visual_then_editor(void)
{
    setenv("VISUAL", "nano -w", 1);
    setenv("EDITOR", "ed", 1);
    CHECK_STR(editor_program(), "nano -w");
    setenv("VISUAL", "", 1);
    CHECK_STR(editor_program(), "ed");
    unsetenv("VISUAL");
    unsetenv("EDITOR");
    setenv("PATH", "/nonexistent", 1);
    CHECK_STR(editor_program(), "vi");
}

static void test_run_edits_a_file_and_reads_it_back(void)
{
    setenv("PATH", "/usr/bin:/bin", 1);
    unsetenv("VISUAL");
    /* an editor with arguments, as $EDITOR may be: it appends a line to the file */
    setenv("EDITOR", "sh -c 'printf \"Vastaus č\\n\" >>\"$0\"'", 1);
    char *edited = NULL, *err = NULL;
    CHECK_INT(editor_run("# help\n", &edited, &err), 0);
    CHECK_STR(edited, "# help\nVastaus č\n");
    free(edited);
    setenv("EDITOR", "false", 1);
    CHECK_INT(editor_run("x", &edited, &err), -1);
    CHECK(edited == NULL);
    CHECK(err && strstr(err, "false") != NULL);
    free(err);
}

static void test_form_round_trip(void)
{
    struct ticket_form f = {0};
    f.value[FORM_CUSTOMER] = strdup("ACME");
    f.value[FORM_SUBJECT] = strdup("VPN: katkot");
    f.value[FORM_IMPACT] = strdup("2");
    f.body = strdup("Line one\n\nLine three");
    char *text = form_write(&f, FORM_NEW, 1, "# help\n");
    CHECK_STR(text, "# help\nCustomer: ACME\nContact: \nType: \nImpact: 2\nUrgency: \nChannel: \n"
                    "Subject: VPN: katkot\n\nLine one\n\nLine three\n");
    struct ticket_form g;
    char *error = NULL;
    CHECK_INT(form_parse(text, FORM_NEW, 1, &g, &error), 0);
    CHECK(error == NULL);
    CHECK_STR(g.value[FORM_CUSTOMER], "ACME");
    CHECK_STR(g.value[FORM_SUBJECT], "VPN: katkot");
    CHECK_STR(g.value[FORM_CONTACT], "");
    CHECK(g.value[FORM_TEAM] == NULL);
    CHECK_STR(g.body, "Line one\n\nLine three");
    CHECK_INT(form_check_new(&g, &error), 0);
    form_free(&g);
    form_free(&f);
    free(text);
}

static void test_form_names_any_case_no_body(void)
{
    struct ticket_form f;
    char *error = NULL;
    CHECK_INT(form_parse("type:  bug \nCONTACT: Päivi Mäkelä\n", FORM_EDIT, 0, &f, &error), 0);
    CHECK_STR(f.value[FORM_TYPE], "bug");
    CHECK_STR(f.value[FORM_CONTACT], "Päivi Mäkelä");
    CHECK(f.body == NULL);
    form_free(&f);
    CHECK_INT(form_field_by_key("team"), FORM_TEAM);
    CHECK_INT(form_field_by_key("Team"), -1);
}

static void expect_error(const char *text, unsigned mask, int with_body, const char *want)
{
    struct ticket_form f;
    char *error = NULL;
    CHECK_INT(form_parse(text, mask, with_body, &f, &error), -1);
    CHECK(error && strstr(error, want));
    if (!(error && strstr(error, want)))
        printf("#   got \"%s\", want it to contain \"%s\"\n", error ? error : "(null)", want);
    CHECK(f.value[FORM_CUSTOMER] == NULL && f.body == NULL);
    free(error);
}

static void test_form_refuses_bad_input(void)
{
    expect_error("Customer ACME\n", FORM_NEW, 1, "line 1: \"Customer ACME\" is not");
    expect_error("Customer: ACME\nPriority: 1\n", FORM_NEW, 1, "line 2: no field \"Priority\"");
    expect_error("Customer: ACME\nTeam: x\n", FORM_NEW, 1, "no field \"Team\"");
    expect_error("Type: bug\ntype: question\n", FORM_EDIT, 0, "line 2: Type is given twice");
    expect_error("Customer: A\nImpact: 4\n", FORM_NEW, 1, "Impact must be 1 (high), 2 or 3");
    expect_error("Customer: A\nUrgency: high\n", FORM_NEW, 1, "Urgency must be 1");
    expect_error("Type: bug\n\nsome text\n", FORM_EDIT, 0, "line 3: this form has no text");
    struct ticket_form f;
    char *error = NULL;
    CHECK_INT(form_parse("Customer: ACME\nSubject:\n\nbody\n", FORM_NEW, 1, &f, &error), 0);
    CHECK_INT(form_check_new(&f, &error), -1);
    CHECK(error && strstr(error, "Subject is empty"));
    free(error);
    form_free(&f);
    CHECK_INT(form_parse("Subject: s\n", FORM_NEW, 1, &f, &error), 0);
    CHECK_INT(form_check_new(&f, &error), -1);
    CHECK(error && strstr(error, "Customer is empty"));
    free(error);
    form_free(&f);
}

#define TESTS(X)                                                                                   \
    X(test_quote_prefixes_every_line)                                                              \
    X(test_comment_marks_every_line)                                                               \
    X(test_strip_drops_comments_and_outer_blank_lines)                                             \
    X(test_outcome_cancels_empty_and_unchanged)                                                    \
    X(test_program_follows_visual_then_editor)                                                     \
    X(test_run_edits_a_file_and_reads_it_back)                                                     \
    X(test_form_round_trip)                                                                        \
    X(test_form_names_any_case_no_body)                                                            \
    X(test_form_refuses_bad_input)
CHECK_MAIN(TESTS)
