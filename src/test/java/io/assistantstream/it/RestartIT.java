package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payara Micro on PostgreSQL, configured exactly as in production (server-config/payara/postgresql.asadmin, the
 * driver added with --addLibs, DB_URL/DB_USER/DB_PASSWORD from the environment), stopped and started again:
 * sessions, messages and changes are still there, event ids keep growing, and the change already applied is
 * recognised as a duplicate after the restart.
 */
class RestartIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static FakeApollo apollo;
    private static int port;
    private static Process server;

    @BeforeAll
    static void start() throws Exception {
        apollo = new FakeApollo();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = startServer("first");
    }

    @AfterAll
    static void stop() throws Exception {
        stopServer();
        apollo.stopListening();
    }

    static String api() {
        return "http://127.0.0.1:" + port + "/assistant-stream/api";
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

        stopServer();
        server = startServer("second");

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
        String socketUrl = api().replaceFirst("^http", "ws").replaceFirst("/api$", "") + "/ws/sessions/" + sessionId;
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
    }

    private static String ask(String sessionId, String question) throws Exception {
        Clients.Answer posted = Clients.post(api() + "/sessions/" + sessionId + "/messages",
                Clients.JSON.createObjectNode().put("content", question).toString());
        assertEquals(202, posted.status(), String.valueOf(posted.body()));
        return posted.body().path("assistant_message_id").asText();
    }

    private static Process startServer(String name) throws Exception {
        Path log = Path.of("target", "restart-it-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", System.getProperty("payara.microJar"),
                "--nocluster", "--port", Integer.toString(port),
                "--addLibs", System.getProperty("assistantstream.postgresDriver"),
                "--prebootcommandfile", System.getProperty("payara.prebootFile"),
                "--postbootcommandfile", System.getProperty("assistantstream.payaraPostgresCommands"),
                "--deploy", System.getProperty("assistantstream.war"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("APOLLO_URL", apollo.url());
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro (" + name + " start) exited; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(api() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        process.destroyForcibly();
        throw new AssertionError("Payara Micro (" + name + " start) did not answer within " + START_TIMEOUT
                + "; the end of its log: " + tail(log));
    }

    private static void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
