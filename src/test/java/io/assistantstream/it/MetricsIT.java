package io.assistantstream.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator scrapes: after a run of known answers (one complete with a workflow change, one failed, one
 * cancelled) on a server nothing else has used yet, {@code /api/metrics} holds exactly those counts, the events the
 * two subscribers received, and no session data; the health probes answer. The deployment (the fake Apollo 3 with
 * its key, short timeouts and heartbeat) then serves the pipeline's tests and the undo and watch-only tests, as
 * nested classes that JUnit runs after these.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT extends AgainstDeployment {

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        Apollo3Pipeline.apollo = new FakeApollo(FakeApollo.KEY);
        return Deployments.againstApollo3(Apollo3Pipeline.apollo);
    }

    /** {@code GET API/metrics}, as Prometheus scrapes it: no token. */
    static String scrape(String api) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "no token needed");
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    /** The value of one sample line ({@code name{labels} value}), or -1 when the scrape has no such line. */
    static double sample(String scrape, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : -1;
    }

    /** Polls until the series reaches the value (a counter moves just after the write a client has seen). */
    double awaitSample(String series, double expected) {
        return await(series + " reaching " + expected).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> sample(scrape(api()), series), value -> value == expected);
    }

    @Test
    void theScrapeHoldsWhatTheRunProducedAndNoSessionData() throws Exception {
        String sessionId = newSession();
        Recorder sse = new Recorder("metrics sse");
        Recorder socket = new Recorder("metrics websocket");
        try (SseEventSource events = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", sse);
             Session ws = Clients.webSocket(socketUrl(sessionId) + "?last_event_id=0", socket, null)) {
            String complete = ask(sessionId, "fixture:workflow-chat-basic");
            sse.await(e -> e.endsAnswer(complete), 30_000);
            String failed = ask(sessionId, "fixture:error-event");
            sse.await(e -> e.endsAnswer(failed), 30_000);
            String cancelled = ask(sessionId, "silent");
            sse.await(e -> e.name().equals("status_update") && cancelled.equals(e.data().path("message_id").asText()), 30_000);
            assertEquals(202, Clients.post(api() + "/sessions/" + sessionId + "/messages/" + cancelled + "/cancel", null).status());
            sse.await(e -> e.endsAnswer(cancelled), 30_000);
            socket.await(e -> e.endsAnswer(cancelled), 30_000);
            String failure = sse.events().stream().filter(e -> e.name().equals("streaming_error")).findFirst()
                    .orElseThrow().data().path("error").path("code").asText();

            assertEquals(sse.events().size(), awaitSample("assistant_stream_events_delivered_total{transport=\"sse\"}",
                    sse.events().size()), "every event the SSE client received, counted once");
            assertEquals(socket.events().size(), awaitSample(
                    "assistant_stream_events_delivered_total{transport=\"websocket\"}", socket.events().size()));
            String scrape = scrape(api());
            System.out.println("A scrape after the run:\n" + scrape.lines()
                    .filter(line -> line.startsWith("assistant_stream_") && !line.contains("_bucket"))
                    .reduce("", (a, b) -> a + b + "\n"));
            assertEquals(1, sample(scrape, "assistant_stream_answers_total{outcome=\"complete\"}"), scrape);
            assertEquals(1, sample(scrape, "assistant_stream_answers_total{outcome=\"" + failure + "\"}"));
            assertEquals(1, sample(scrape, "assistant_stream_answers_total{outcome=\"cancelled\"}"));
            assertEquals(3, sample(scrape, "assistant_stream_answer_duration_seconds_count"));
            assertEquals(3, sample(scrape, "assistant_stream_upstream_first_event_seconds_count"));
            assertEquals(1, sample(scrape, "assistant_stream_changes_total{kind=\"workflow\",status=\"applied\"}"));
            assertEquals(1, sample(scrape, "assistant_stream_subscribers{transport=\"sse\"}"));
            assertEquals(1, sample(scrape, "assistant_stream_subscribers{transport=\"websocket\"}"));
            assertEquals(1, sample(scrape, "assistant_stream_sessions_live"));
            assertEquals(2, sample(scrape, "assistant_stream_replays_total"), "both subscribed from id 0");
            assertEquals(0, sample(scrape, "assistant_stream_replays_truncated_total"));
            long published = sse.events().stream().map(Received::id).distinct().count();
            assertTrue(sample(scrape, "assistant_stream_events_published_total{log=\"memory\"}") >= published
                    || sample(scrape, "assistant_stream_events_published_total{log=\"redis\"}") >= published, scrape);
            assertFalse(scrape.contains(sessionId), "no session id in any label");
            assertFalse(scrape.contains(complete), "no message id in any label");
        }
    }

    /** The pipeline and Apollo 3's orderings, on this deployment. */
    @Nested
    class PipelineTests extends Pipeline {
        @Override
        String root() {
            return MetricsIT.this.root();
        }
    }

    /** Undo and watch-only links, on this deployment. */
    @Nested
    class Undo extends UndoAndViewers {
        @Override
        String root() {
            return MetricsIT.this.root();
        }
    }

    @Test
    void livenessAndReadinessAnswerWithTheirChecks() throws Exception {
        Clients.Answer live = Clients.get(api() + "/health/live");
        assertEquals(200, live.status());
        assertEquals("UP", live.body().path("status").asText());
        Clients.Answer ready = Clients.get(api() + "/health/ready");
        assertEquals(200, ready.status(), String.valueOf(ready.body()));
        List<String> checks = ready.body().path("checks").findValuesAsText("name");
        assertEquals(List.of("schema", "database", "event-log", "server"), checks);
        for (JsonNode check : ready.body().path("checks")) {
            assertEquals("UP", check.path("status").asText(), check.toString());
        }
        assertEquals("reachable", ready.body().path("reported").path("upstream").asText());
    }
}
