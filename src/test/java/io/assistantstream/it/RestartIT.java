package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.sse.SseEventSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payara Micro on PostgreSQL, configured exactly as in production (server-config/payara/postgresql.asadmin, the
 * driver added with --addLibs, DB_URL/DB_USER/DB_PASSWORD from the environment), stopped and started again:
 * sessions, messages and changes are still there, event ids keep growing, and the change already applied is
 * recognised as a duplicate after the restart, and each change can still be undone.
 */
class RestartIT extends AgainstServer {

    private static FakeApollo apollo;
    private static PayaraProcess server;

    @BeforeAll
    static void start() throws Exception {
        apollo = new FakeApollo();
        server = new PayaraProcess("restart", Map.of("APOLLO_URL", apollo.url())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        apollo.stopListening();
    }

    @Override
    String root() {
        return server.root();
    }

    @Test
    void sessionsMessagesAndChangesSurviveARestart() throws Exception {
        String sessionId = Clients.post(api() + "/sessions", "{\"kind\":\"workflow\",\"title\":\"Restart\"}")
                .body().path("id").asText();
        String session = api() + "/sessions/" + sessionId;
        String jobSessionId = Clients.post(api() + "/sessions", "{\"kind\":\"job\",\"job\":{\"name\":\"Fetch\","
                + "\"adaptor\":\"@openfn/language-http@latest\",\"code\":\"get('/patients');\\n\"}}").body()
                .path("id").asText();

        Recorder before = new Recorder("before the restart");
        String firstChange;
        try (SseEventSource events = Clients.sse(session + "/events?last_event_id=0", before)) {
            String answerId = ask(sessionId, "fixture:workflow-chat-basic");
            before.await(e -> e.endsAnswer(answerId), 60_000);
            firstChange = before.events().stream().filter(e -> e.name().equals("streaming_changes")).findFirst()
                    .orElseThrow().data().path("change_id").asText();
        }
        Recorder jobEvents = new Recorder("job session");
        try (SseEventSource events = Clients.sse(api() + "/sessions/" + jobSessionId + "/events?last_event_id=0",
                jobEvents)) {
            String answerId = ask(jobSessionId, "fixture:job-chat-code");
            jobEvents.await(e -> e.endsAnswer(answerId), 60_000);
        }
        String proposal = jobEvents.events().stream().filter(e -> e.name().equals("streaming_changes")).findFirst()
                .orElseThrow().data().path("change_id").asText();
        assertEquals(200, Clients.post(api() + "/sessions/" + jobSessionId + "/changes/" + proposal + "/accept",
                null).status());
        JsonNode workflowBefore = Clients.get(session).body();
        JsonNode jobBefore = Clients.get(api() + "/sessions/" + jobSessionId).body();
        long lastIdBefore = before.events().stream().mapToLong(Received::id).max().orElseThrow();

        server.stop();
        server.start();

        JsonNode workflowAfter = Clients.get(session).body();
        for (String field : List.of("title", "messages", "workflow_yaml", "applied_changes")) {
            assertEquals(workflowBefore.path(field), workflowAfter.path(field), field + " survives the restart");
        }
        assertEquals(2, workflowAfter.path("messages").size());
        assertEquals("complete", workflowAfter.path("messages").get(1).path("status").asText());
        JsonNode jobAfter = Clients.get(api() + "/sessions/" + jobSessionId).body();
        assertEquals(jobBefore.path("job"), jobAfter.path("job"), "the accepted code survives");
        assertEquals(jobBefore.path("applied_changes"), jobAfter.path("applied_changes"));
        assertEquals("accepted", jobAfter.path("applied_changes").get(0).path("status").asText());

        Recorder after = new Recorder("after the restart");
        Recorder socketAfter = new Recorder("a WebSocket opened without a last id after the restart");
        String socketUrl = socketUrl(sessionId);
        try (SseEventSource events = Clients.sse(session + "/events", after);
             jakarta.websocket.Session socket = Clients.webSocket(socketUrl, socketAfter, null)) {
            String answerId = ask(sessionId, "fixture:workflow-chat-basic");
            after.await(e -> e.endsAnswer(answerId), 60_000);
            socketAfter.await(e -> e.endsAnswer(answerId), 60_000);
        }
        assertEquals("message_created", socketAfter.events().get(0).name(),
                "a socket without a last id starts live, with no spurious replay_truncated: " + socketAfter.events().get(0));
        Received repeat = after.events().stream().filter(e -> e.name().equals("streaming_changes")).findFirst()
                .orElseThrow();
        assertEquals("duplicate", repeat.data().path("status").asText(), "applied once, across the restart");
        assertEquals(firstChange, repeat.data().path("change_id").asText());
        long firstIdAfter = after.events().stream().mapToLong(Received::id).filter(id -> id > 0).min().orElseThrow();
        assertTrue(firstIdAfter > lastIdBefore, "ids keep growing: " + firstIdAfter + " after " + lastIdBefore);
        assertEquals(1, Clients.get(session).body().path("applied_changes").size());

        // What each change replaced was stored with it, so undo works after a restart too.
        assertEquals("reverted", Clients.post(session + "/changes/" + firstChange + "/revert", null).body()
                .path("status").asText());
        assertTrue(Clients.get(session).body().path("workflow_yaml").isMissingNode(),
                "back to no workflow, as the session was created");
        assertEquals("reverted", Clients.post(api() + "/sessions/" + jobSessionId + "/changes/" + proposal
                + "/revert", null).body().path("status").asText());
        assertEquals("get('/patients');\n", Clients.get(api() + "/sessions/" + jobSessionId).body().path("job")
                .path("code").asText());
    }

    /**
     * The database stops answering (its processes paused, as a hung or unreachable database looks to a client),
     * then comes back: readiness goes 503 within its bound and 200 again; liveness stays 200 throughout.
     */
    @Test
    void readinessFollowsTheDatabase() throws Exception {
        assertEquals(200, Clients.get(api() + "/health/ready").status());
        List<String> processes = postgresProcesses();
        signal("-STOP", processes);
        try {
            await("not ready while the database does not answer").atMost(Duration.ofSeconds(15))
                    .until(() -> Clients.get(api() + "/health/ready").status() == 503);
            JsonNode down = Clients.get(api() + "/health/ready").body();
            assertEquals("DOWN", down.path("checks").get(1).path("status").asText(), down.toString());
            assertEquals(200, Clients.get(api() + "/health/live").status(), "alive all the same");
        } finally {
            signal("-CONT", processes);
        }
        await("ready again").atMost(Duration.ofSeconds(30)).until(() -> Clients.get(api() + "/health/ready").status() == 200);
    }

    /** The tests' PostgreSQL: the process listening on its port, and its children. */
    private static List<String> postgresProcesses() throws Exception {
        String port = System.getProperty(TestPostgres.PORT_PROPERTY);
        // [p]ostgres: the pattern must not match this shell's own command line, which holds it; -o: the oldest
        // match, the postmaster, not a backend.
        Process find = new ProcessBuilder("sh", "-c", "pid=$(pgrep -o -f -- \"[p]ostgres.*-p " + port + "\"); "
                + "echo $pid; pgrep -P $pid").start();
        List<String> pids = new String(find.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
        assertTrue(!pids.isEmpty(), "the tests' PostgreSQL on port " + port + " is found");
        return pids;
    }

    /**
     * Signals the postmaster (the first pid, which must take it) and its children one by one: a backend can end
     * between the listing and the signal, and a {@code kill} of several pids fails as a whole when one is gone.
     */
    private static void signal(String signal, List<String> pids) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", signal, pids.get(0)).start().waitFor(), "the postmaster takes " + signal);
        for (String child : pids.subList(1, pids.size())) {
            new ProcessBuilder("kill", signal, child).start().waitFor();
        }
    }
}
