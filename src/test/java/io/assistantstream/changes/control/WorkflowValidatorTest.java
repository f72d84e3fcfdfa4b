package io.assistantstream.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowValidatorTest {

    static final int LIMIT = 64 * 1024;
    final WorkflowValidator validator = new WorkflowValidator(LIMIT);

    static final String VALID = """
            name: Sync
            jobs:
              Fetch:
                id: job-fetch
                name: Fetch
                adaptor: "@openfn/language-http@latest"
                body: |
                  get('/patients');
              Load:
                name: Load
                adaptor: "@openfn/language-dhis2@latest"
                body: "upsert()"
            triggers:
              cron:
                type: cron
                cron_expression: "0 7 * * 1"
                enabled: true
            edges:
              cron->Fetch:
                source_trigger: cron
                target_job: Fetch
                condition_type: always
              Fetch->Load:
                source_job: Fetch
                target_job: Load
                condition_type: js_expression
                condition_expression: "state.data.length > 0"
                enabled: false
            """;

    static final String BILLION_LAUGHS = "name: lol\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
            + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";

    @Test
    void theContractsWorkflowIsValid() throws IOException {
        String yaml = new ObjectMapper().readTree(Files.readString(
                Path.of("src/test/resources/fixtures/workflow-chat-basic.expect.json")))
                .path("events").get(2).path("yaml").asText();
        assertEquals(List.of(), validator.problems(yaml));
        assertEquals(List.of(), validator.problems(VALID));
    }

    static Stream<Arguments> brokenWorkflows() {
        return Stream.of(
                Arguments.of("unknown edge target", VALID.replace("target_job: Load", "target_job: Fetch-All"),
                        "edges.Fetch->Load.target_job: no job named Fetch-All"),
                Arguments.of("unknown edge source", VALID.replace("source_trigger: cron", "source_trigger: hourly"),
                        "edges.cron->Fetch.source_trigger: no trigger named hourly"),
                Arguments.of("unknown trigger type", VALID.replace("type: cron", "type: kafka"),
                        "triggers.cron.type: must be webhook or cron, not \"kafka\""),
                Arguments.of("bad cron", VALID.replace("\"0 7 * * 1\"", "\"every monday\""),
                        "triggers.cron.cron_expression: a cron trigger needs five fields, like \"0 7 * * 1\""),
                Arguments.of("unknown condition", VALID.replace("condition_type: always", "condition_type: sometimes"),
                        "edges.cron->Fetch.condition_type: must be one of always, on_job_success, on_job_failure, "
                                + "js_expression, not \"sometimes\""),
                Arguments.of("missing jobs", "name: Empty\ntriggers: {}\n", "jobs: a workflow needs at least one job"),
                Arguments.of("job without adaptor", VALID.replace("    adaptor: \"@openfn/language-dhis2@latest\"\n", ""),
                        "jobs.Load.adaptor: missing"),
                Arguments.of("not a mapping", "- just\n- a list\n",
                        "the document must be a mapping with name, jobs, triggers and edges"),
                Arguments.of("not YAML", "name: Broken\njobs:\n  a: [unclosed\n",
                        "not valid YAML: expected ',' or ']', but got <stream end> (line 4, column 1)"),
                Arguments.of("billion laughs", BILLION_LAUGHS,
                        "not accepted as YAML: Number of aliases for non-scalar nodes exceeds the specified max=20"),
                Arguments.of("oversized", VALID + "#" + "x".repeat(LIMIT),
                        "the workflow is larger than " + LIMIT + " characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenWorkflows")
    void eachBrokenWorkflowGetsItsOwnClearError(String label, String yaml, String problem) {
        List<String> problems = validator.problems(yaml);
        assertTrue(problems.contains(problem), label + ": " + problems);
    }

    @Test
    void namesFromTheDocumentAreQuotedShortSoFiveProblemsStayShort() {
        String longName = "N".repeat(3000);
        List<String> problems = validator.problems(VALID.replace("target_job: Load", "target_job: " + longName));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).length() < 200, problems.get(0));
        assertTrue(problems.get(0).endsWith("no job named " + "N".repeat(60) + "…"), problems.get(0));
    }
}
