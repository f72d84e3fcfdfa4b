package io.assistantstream.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.changes.entity.ChangeContext;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.ProposedChange.CodeEdit;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeIntakeTest {

    final ChangeIntake intake = new ChangeIntake();

    static ChangeContext job(String code) {
        return new ChangeContext("s", "m", false, code, new HashSet<>());
    }

    @Test
    void theSameCodeTwiceInOneAnswerIsADuplicateEvenWithOtherLineEnds() {
        ChangeContext context = job("");
        ChangeOutcome first = intake.receive(context, new ProposedChange.JobCode("a();\nb();\n"));
        ChangeOutcome again = intake.receive(context, new ProposedChange.JobCode("a();\r\nb();\r\n"));
        assertEquals(ChangeOutcome.PROPOSED, first.status());
        assertEquals(ChangeOutcome.KIND_JOB_CODE, first.kind());
        assertEquals(ChangeOutcome.DUPLICATE, again.status());
        assertTrue(first.tookEffect());
        assertTrue(!again.tookEffect());
    }

    @Test
    void codeEditsApplyInOrderAgainstTheCurrentCode() {
        ChangeOutcome outcome = intake.receive(job("get('/patients');\n"), new ProposedChange.JobCodeEdits(List.of(
                new CodeEdit("replace", "get('/patients');", "get('/patients', { query: { active: true } });"),
                new CodeEdit("replace", "});\n", "});\nfn(state => state);\n"))));
        assertEquals("get('/patients', { query: { active: true } });\nfn(state => state);\n", outcome.code());
        assertEquals(ChangeOutcome.PROPOSED, outcome.status());
    }

    @Test
    void anEditWhoseOldCodeIsMissingOrAmbiguousIsInvalidAndNamesTheEdit() {
        ChangeOutcome missing = intake.receive(job("a();\n"), new ProposedChange.JobCodeEdits(List.of(
                new CodeEdit("replace", "b();", "c();"))));
        assertEquals(ChangeOutcome.INVALID, missing.status());
        assertEquals("code_edits[0]: old_code is not in the job's current code", missing.error());
        assertNull(missing.code());

        ChangeOutcome twice = intake.receive(job("a();\na();\n"), new ProposedChange.JobCodeEdits(List.of(
                new CodeEdit("rewrite", null, "x();\nx();\n"), new CodeEdit("replace", "x();", "y();"))));
        assertEquals("code_edits[1]: old_code appears more than once in the job's code", twice.error());
    }

    @Test
    void anUnreadableChangeIsInvalidOfTheSessionsKind() {
        ChangeContext workflow = new ChangeContext("s", "m", true, null, new HashSet<>());
        ChangeOutcome outcome = intake.receive(workflow, new ProposedChange.Unreadable("not JSON"));
        assertEquals(ChangeOutcome.INVALID, outcome.status());
        assertEquals(ChangeOutcome.KIND_WORKFLOW, outcome.kind());
        assertEquals("not JSON", outcome.error());
    }
}
