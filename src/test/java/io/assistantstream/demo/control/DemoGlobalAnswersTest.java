package io.assistantstream.demo.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class DemoGlobalAnswersTest {

    static String sample() throws IOException {
        return Files.readString(Path.of("src/main/webapp/app/samples/global-workflow.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static String body(String yaml, String step) {
        Map<String, Object> jobs = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(yaml)).get("jobs");
        return (String) ((Map<String, Object>) jobs.get(step)).get("body");
    }

    @Test
    void aQuestionChangesNothing() throws IOException {
        DemoAnswer answer = DemoGlobalAnswers.pick("What does this workflow do?", sample(), null);
        assertEquals(DemoAnswer.Path.GLOBAL_QUESTION, answer.path());
        assertNull(answer.yaml());
    }

    @Test
    void aRequestAboutTheSelectedStepChangesThatStepsCodeOnly() throws IOException {
        String before = sample();
        DemoAnswer answer = DemoGlobalAnswers.pick("Fail when nothing comes back", before,
                "workflows/patient-sync/load-to-dhis2");
        assertEquals(DemoAnswer.Path.GLOBAL_STEP, answer.path());
        assertTrue(body(answer.yaml(), "load-to-dhis2").startsWith(body(before, "load-to-dhis2")));
        assertTrue(body(answer.yaml(), "load-to-dhis2").contains("Nothing came back"), answer.yaml());
        assertEquals(body(before, "fetch-patients"), body(answer.yaml(), "fetch-patients"));
        assertTrue(answer.yaml().contains("body: |"), "code as a literal block: " + answer.yaml());
        assertTrue(answer.markdown().contains("**Load to DHIS2**"), answer.markdown());

        DemoAnswer again = DemoGlobalAnswers.pick("Fail when nothing comes back", answer.yaml(),
                "workflows/patient-sync/load-to-dhis2");
        assertTrue(body(again.yaml(), "load-to-dhis2").contains("records"), "asked again, another change");
    }

    @Test
    void aRequestWithoutAStepIsPlannedAcrossSteps() throws IOException {
        DemoAnswer answer = DemoGlobalAnswers.pick("Only fetch active patients and notify the team", sample(),
                "workflows/patient-sync");
        assertEquals(DemoAnswer.Path.GLOBAL_PLANNER, answer.path());
        assertEquals(3, answer.statusesBefore().size());
        assertTrue(answer.yaml().contains("notify-team"));
    }
}
