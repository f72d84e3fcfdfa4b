package io.assistantstream.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.stream.entity.ClientEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowCodeDiffsTest {

    private static final String BEFORE = """
            name: sync
            jobs:
              fetch:
                name: Fetch
                body: |
                  get('/a');
              load:
                name: Load
                body: |
                  create($.data);
              gone:
                body: old();
            """;

    @Test
    void eachStepWhoseBodyChangedWasAddedOrRemovedGetsADiffAndNoOtherDoes() {
        String after = """
                name: sync renamed
                jobs:
                  fetch:
                    name: Fetch
                    body: |
                      get('/a');
                      fn(s => s);
                  load:
                    name: Load again
                    body: |
                      create($.data);
                  added:
                    name: Added
                    body: added();
                """;
        List<ClientEvent.CodeDiff> diffs = WorkflowCodeDiffs.between(BEFORE, after, 10_000);
        assertEquals(List.of("fetch", "added", "gone"), diffs.stream().map(ClientEvent.CodeDiff::job).toList(),
                "load's name changed but not its code; a removed step comes last");
        assertTrue(diffs.get(0).diff().contains("+fn(s => s);"), diffs.get(0).diff());
        assertTrue(diffs.get(1).diff().contains("+added();"), diffs.get(1).diff());
        assertTrue(diffs.get(2).diff().contains("-old();"), diffs.get(2).diff());
        assertEquals("gone", diffs.get(2).name(), "a step without a name goes by its key");
    }

    @Test
    void aFirstWorkflowOrAnUnreadableOneBeforeCountsEveryStepAsAdded() {
        assertEquals(3, WorkflowCodeDiffs.between(null, BEFORE, 10_000).size());
        assertEquals(3, WorkflowCodeDiffs.between("not: [yaml", BEFORE, 10_000).size());
        assertEquals(List.of(), WorkflowCodeDiffs.between(BEFORE, BEFORE, 10_000));
    }
}
