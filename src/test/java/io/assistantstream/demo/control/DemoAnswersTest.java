package io.assistantstream.demo.control;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoAnswersTest {

    @ParameterizedTest
    @ValueSource(strings = {"hello", "Hi there!", "What can you do?", "What does this workflow do?", "thanks"})
    void greetingsAndQuestionsChangeNothing(String question) {
        for (String service : new String[] {"workflow_chat", "job_chat"}) {
            DemoAnswer answer = DemoAnswers.pick(service, question);
            assertNull(answer.yaml(), question);
            assertNull(answer.code(), question);
            assertTrue(answer.markdown().contains("changes nothing"), question);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Run it every morning", "Email the team when it fails", "Sync patients to DHIS2"})
    void aRequestForAWorkflowChangeGetsOne(String question) {
        assertNotNull(DemoAnswers.pick("workflow_chat", question).yaml(), question);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Keep only active patients", "Handle errors from the API"})
    void aRequestForACodeChangeGetsOne(String question) {
        assertNotNull(DemoAnswers.pick("job_chat", question).code(), question);
    }
}
