package io.assistantstream.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.assistantstream.upstream.entity.ProposedChange.CodeEdit;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodeEditsTest {

    @Test
    void editsApplyInOrderAgainstTheCurrentCode() throws Exception {
        String code = CodeEdits.apply("get('/patients');\n", List.of(
                new CodeEdit("replace", "get('/patients');", "get('/patients', { query: { active: true } });"),
                new CodeEdit("replace", "});\n", "});\nfn(state => state);\n")));
        assertEquals("get('/patients', { query: { active: true } });\nfn(state => state);\n", code);
    }

    @Test
    void anEditWhoseOldCodeIsMissingOrAmbiguousNamesTheEdit() {
        var missing = assertThrows(CodeEdits.EditFailedException.class,
                () -> CodeEdits.apply("a();\n", List.of(new CodeEdit("replace", "b();", "c();"))));
        assertEquals("code_edits[0]: old_code is not in the job's current code", missing.getMessage());
        var twice = assertThrows(CodeEdits.EditFailedException.class, () -> CodeEdits.apply("a();\n", List.of(
                new CodeEdit("rewrite", null, "x();\nx();\n"), new CodeEdit("replace", "x();", "y();"))));
        assertEquals("code_edits[1]: old_code appears more than once in the job's code", twice.getMessage());
    }

    @Test
    void theDiffIsUnified() {
        assertEquals("--- a/Fetch\n+++ b/Fetch\n@@ -1,2 +1,3 @@\n get('/x');\n+fn(s => s);\n \n",
                UnifiedDiffs.of("Fetch", "get('/x');\n", "get('/x');\nfn(s => s);\n"));
        assertEquals("", UnifiedDiffs.of("Fetch", "same();\n", "same();\n"));
    }

    @Test
    void theDigestIgnoresLineEndStyle() {
        assertEquals(ChangeService.digest("a\nb\n"), ChangeService.digest("a\r\nb\r\n"));
        assertEquals(ChangeService.digest("a\nb\n"), ChangeService.digest("a\rb\r"));
        assertEquals(64, ChangeService.digest("x").length());
    }
}
