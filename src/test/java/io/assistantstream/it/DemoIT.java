package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.caller.entity.Caller;
import io.assistantstream.changes.control.ChangeService;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.changes.entity.ChangeStatus;
import io.assistantstream.chat.control.SessionCatalog;
import io.assistantstream.chat.entity.SessionView;
import io.assistantstream.platform.Json;
import io.assistantstream.session.entity.SessionRole;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ProposedChange;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR as the demo runs it: no APOLLO_URL, the demo AI service inside the same WAR, asked by a client. The
 * exactly-once race runs here too, inside the server (the tests without {@code @RunAsClient}): it needs no Apollo
 * either, and one deployment saves a server boot.
 */
@ExtendWith(ArquillianExtension.class)
class DemoIT extends AgainstDeployment {

    static final int RACERS = 100;

    @Inject
    ChangeService changes;

    @Inject
    SessionCatalog catalog;

    @Resource
    ManagedExecutorService executor;

    @Deployment
    static WebArchive deployment() {
        return Deployments.war("demo.upstream.enabled=true", "demo.pace-percent=10")
                .addClasses(DemoIT.class, AgainstDeployment.class, AgainstServer.class, Recorder.class, Received.class);
    }

    @Test
    @RunAsClient
    void theDemoWorkflowAnswerUpdatesTheWorkflowBeforeItsFirstChunk() throws Exception {
        Clients.Answer created = Clients.post(api() + "/sessions", "{\"kind\":\"workflow\"}");
        String session = api() + "/sessions/" + created.body().path("id").asText();
        Recorder recorder = new Recorder("demo-sse");
        SseEventSource source = Clients.sse(session + "/events?last_event_id=0", recorder);
        try {
            Clients.Answer posted = Clients.post(session + "/messages", "{\"content\":\"Run it every morning\"}");
            assertEquals(202, posted.status(), String.valueOf(posted.body()));
            String answerId = posted.body().path("assistant_message_id").asText();
            Received change = recorder.await(e -> e.name().equals("streaming_changes"), 30_000);
            assertEquals("applied", change.data().path("status").asText(), change.toString());
            JsonNode whileStreaming = Clients.get(session).body();
            assertEquals(change.data().path("yaml"), whileStreaming.path("workflow_yaml"));
            assertEquals(answerId, whileStreaming.path("streaming").path("message_id").asText());

            recorder.await(e -> e.endsAnswer(answerId), 60_000);
            List<Received> events = recorder.answer(posted.body().path("message_id").asText(), answerId);
            List<Received> chunks = events.stream().filter(e -> e.name().equals("streaming_chunk")).toList();
            assertTrue(chunks.size() > 20, "a few hundred words in many uneven chunks: " + chunks.size());
            assertTrue(change.id() < chunks.get(0).id(), "the change precedes the first chunk");
            assertEquals(1, events.stream().filter(e -> e.name().equals("streaming_changes")).count(),
                    "the YAML repeated in complete is not announced again");
            Received complete = events.get(events.size() - 1);
            assertEquals("streaming_complete", complete.name());
            assertEquals(List.of(change.data().path("change_id").asText()),
                    List.of(complete.data().path("message").path("changes").get(0).asText()));
            String joined = chunks.stream().map(e -> e.data().path("content").asText()).reduce("", String::concat);
            assertEquals(complete.data().path("message").path("content").asText(), joined);
        } finally {
            source.close();
        }
    }

    @Test
    @RunAsClient
    void theDemoJobAnswerProposesCode() throws Exception {
        Clients.Answer created = Clients.post(api() + "/sessions",
                "{\"kind\":\"job\",\"job\":{\"name\":\"Fetch\",\"code\":\"get('/patients');\\n\"}}");
        String session = api() + "/sessions/" + created.body().path("id").asText();
        Recorder recorder = new Recorder("demo-job");
        SseEventSource source = Clients.sse(session + "/events?last_event_id=0", recorder);
        try {
            Clients.Answer posted = Clients.post(session + "/messages", "{\"content\":\"Handle errors safely\"}");
            String answerId = posted.body().path("assistant_message_id").asText();
            Received change = recorder.await(e -> e.name().equals("streaming_changes"), 30_000);
            assertEquals("proposed", change.data().path("status").asText(), change.toString());
            assertTrue(change.data().path("diff").asText().contains("+  console.error("), change.toString());
            recorder.await(e -> e.endsAnswer(answerId), 60_000);
        } finally {
            source.close();
        }
    }

    @Test
    @RunAsClient
    void aGreetingIsAnsweredAndChangesNothing() throws Exception {
        Clients.Answer created = Clients.post(api() + "/sessions", "{\"kind\":\"workflow\",\"workflow_yaml\":\"name: Mine\\n\"}");
        String session = api() + "/sessions/" + created.body().path("id").asText();
        Recorder recorder = new Recorder("demo-greeting");
        try (SseEventSource source = Clients.sse(session + "/events?last_event_id=0", recorder)) {
            Clients.Answer posted = Clients.post(session + "/messages", "{\"content\":\"hello, what can you do?\"}");
            String answerId = posted.body().path("assistant_message_id").asText();
            Received end = recorder.await(e -> e.endsAnswer(answerId), 60_000);
            assertEquals("streaming_complete", end.name(), end.toString());
            assertTrue(end.data().path("message").path("content").asText().contains("This answer changes nothing"));
            assertEquals(0, recorder.events().stream().filter(e -> e.name().equals("streaming_changes")).count());
            JsonNode stored = Clients.get(session).body();
            assertEquals("name: Mine\n", stored.path("workflow_yaml").asText());
            assertEquals(0, stored.path("applied_changes").size());
        }
    }

    @Test
    @RunAsClient
    void theDemoAnswersAGlobalSessionOnEachOfGlobalChatsPaths() throws Exception {
        String sample = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/webapp/app/samples/global-workflow.yaml"));
        Clients.Answer created = Clients.post(api() + "/sessions", Clients.JSON.createObjectNode().put("kind", "global")
                .put("workflow_yaml", sample).toString());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String session = api() + "/sessions/" + created.body().path("id").asText();
        Recorder recorder = new Recorder("demo-global");
        try (SseEventSource source = Clients.sse(session + "/events?last_event_id=0", recorder)) {
            assertEquals(List.of(), changedSteps(session, recorder, "{\"content\":\"What does this workflow do?\"}"),
                    "a question changes nothing");
            assertEquals(List.of("load-to-dhis2"), changedSteps(session, recorder, "{\"content\":\"Fail when nothing "
                    + "comes back\",\"page\":\"workflows/patient-sync/load-to-dhis2\"}"), "the step path");
            assertEquals(List.of("fetch-patients", "load-to-dhis2", "notify-team"), changedSteps(session, recorder,
                    "{\"content\":\"Only fetch active patients and notify the team\"}"), "the planner path");
        }
        assertTrue(Clients.get(session).body().path("workflow_yaml").asText().contains("notify-team"));
    }

    /** Asks, waits for the answer's end, and returns the steps its change rewrote (none without a change). */
    private static List<String> changedSteps(String session, Recorder recorder, String question) throws Exception {
        Clients.Answer posted = Clients.post(session + "/messages", question);
        assertEquals(202, posted.status(), String.valueOf(posted.body()));
        String answerId = posted.body().path("assistant_message_id").asText();
        Received end = recorder.await(e -> e.endsAnswer(answerId), 60_000);
        assertEquals("streaming_complete", end.name(), end.toString());
        List<String> jobs = new java.util.ArrayList<>();
        recorder.events().stream().filter(e -> e.name().equals("streaming_changes")
                        && answerId.equals(e.data().path("message_id").asText()))
                .forEach(e -> e.data().path("code_diffs").forEach(d -> jobs.add(d.path("job").asText())));
        return jobs;
    }

    Map<String, Long> race(String sessionId, ProposedChange change) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ChangeOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            String messageId = "racer-" + i;
            outcomes.add(executor.submit(() -> {
                start.await();
                return changes.receive(new AnswerRef(sessionId, messageId), change);
            }));
        }
        start.countDown();
        List<ChangeOutcome> results = new ArrayList<>();
        for (Future<ChangeOutcome> outcome : outcomes) {
            results.add(outcome.get());
        }
        assertEquals(1, results.stream().map(ChangeOutcome::changeId).distinct().count(),
                "every racer names the one stored change");
        return results.stream().collect(Collectors.groupingBy(outcome -> outcome.status().wireName(), Collectors.counting()));
    }

    @Test
    void aHundredDeliveriesOfOneWorkflowApplyItOnce() throws Exception {
        SessionView.Created session = catalog.createSession(Json.object().put("kind", "workflow"), Caller.subject("race"));
        String yaml = "name: Raced\njobs:\n  A:\n    name: A\n    adaptor: \"@openfn/language-common@latest\"\n"
                + "    body: \"fn(s => s)\"\ntriggers:\n  hook:\n    type: webhook\nedges:\n  hook->A:\n"
                + "    source_trigger: hook\n    target_job: A\n    condition_type: always\n";
        Map<String, Long> statuses = race(session.id(), new ProposedChange.WorkflowYaml(yaml));
        assertEquals(Map.of("applied", 1L, "duplicate", (long) RACERS - 1), statuses);
        SessionView view = catalog.view(session.id(), SessionRole.OWNER);
        assertEquals(1, view.appliedChanges().size());
        assertEquals(yaml, view.workflowYaml());
    }

    @Test
    void aHundredDeliveriesOfOneJobCodeProposeItOnce() throws Exception {
        SessionView.Created session = catalog.createSession(Json.object().put("kind", "job")
                .set("job", Json.object().put("name", "J").put("code", "a();\n")), Caller.subject("race"));
        Map<String, Long> statuses = race(session.id(), new ProposedChange.JobCode("a();\r\nb();\r\n"));
        assertEquals(Map.of("proposed", 1L, "duplicate", (long) RACERS - 1), statuses);
        assertEquals(1, catalog.view(session.id(), SessionRole.OWNER).appliedChanges().size());
        assertEquals("a();\n", catalog.view(session.id(), SessionRole.OWNER).job().code(), "proposed, not applied");
        Function<String, ChangeOutcome> again = code -> changes.receive(new AnswerRef(session.id(), "later"),
                new ProposedChange.JobCode(code));
        assertEquals(ChangeStatus.DUPLICATE, again.apply("a();\nb();\n").status(), "line ends do not make a new change");
    }
}
