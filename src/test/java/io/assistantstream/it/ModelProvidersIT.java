package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.assistantstream.testing.FakeModelServer;
import jakarta.websocket.Session;
import jakarta.ws.rs.sse.SseEventSource;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay asking a model directly, end to end: Payara Micro (on the suite's PostgreSQL) with
 * {@code model.provider=openai}, then {@code anthropic}, each against a fake provider that speaks that provider's
 * real streaming wire over HTTP. A workflow change made through the model's tool is applied and announced before
 * the first word of the explanation, to an SSE and a WebSocket client alike, and a client resuming from the change
 * gets the rest exactly once; a job's code is proposed; a call the change path refuses is announced as invalid and
 * the answer completes; two tool steps apply two changes; a cancel mid-call applies nothing; and the page in
 * Chromium shows a whole answer.
 */
class ModelProvidersIT extends AgainstServer {

    private static final JsonNode EXPECTED = read();
    private String root;

    @Override
    String root() {
        return root;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aModelsAnswerAppliesItsChangeBeforeItsTextForEveryClientAndOnThePage(String provider) throws Exception {
        try (FakeModelServer model = new FakeModelServer(provider)) {
            PayaraProcess server = new PayaraProcess("model-" + provider, Map.of(
                    "MODEL_PROVIDER", provider, "MODEL_BASE_URL", model.baseUrl(), "MODEL_NAME", "fake-model-1",
                    "MODEL_API_KEY", "sk-test-0f3c")).start();
            root = server.root();
            try {
                workflowChangeBeforeText();
                jobCodeIsProposed();
                invalidArgumentsAndTwoStepsGoThroughTheChangePath();
                cancelMidToolCallAppliesNothing(model);
                aWholeAnswerOnThePage(provider);
            } finally {
                server.stop();
            }
            assertTrue(model.requests.stream().allMatch(r -> "fake-model-1".equals(r.body().path("model").asText())),
                    "every request names the configured model");
        }
    }

    private void workflowChangeBeforeText() throws Exception {
        String sessionId = newSession();
        Recorder overSse = new Recorder("SSE");
        Recorder overSocket = new Recorder("WebSocket");
        String answerId;
        try (SseEventSource sse = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", overSse);
             Session socket = Clients.webSocket(socketUrl(sessionId) + "?last_event_id=0",
                     overSocket, null)) {
            answerId = ask(sessionId, "fixture:workflow-change");
            overSse.await(e -> e.endsAnswer(answerId), 60_000);
            overSocket.await(e -> e.endsAnswer(answerId), 60_000);
        }
        for (Recorder client : List.of(overSse, overSocket)) {
            List<Received> answer = client.events().stream()
                    .filter(e -> answerId.equals(e.data().path("message_id").asText())
                            || answerId.equals(e.data().path("message").path("id").asText())).toList();
            List<String> names = answer.stream().map(Received::name).toList();
            int change = names.indexOf("streaming_changes");
            assertTrue(change >= 0 && change < names.indexOf("streaming_chunk"),
                    client + ": the change comes before the first word: " + names);
            JsonNode announced = answer.get(change).data();
            assertEquals("applied", announced.path("status").asText(), announced.toString());
            assertEquals(EXPECTED.get("yaml").asText(), announced.path("yaml").asText());
            String text = answer.stream().filter(e -> e.name().equals("streaming_chunk"))
                    .map(e -> e.data().path("content").asText()).collect(Collectors.joining());
            assertEquals(EXPECTED.get("text").asText(), text, client.toString());
            JsonNode complete = answer.get(answer.size() - 1).data().path("message");
            assertEquals("streaming_complete", names.get(names.size() - 1), names.toString());
            assertEquals(text, complete.path("content").asText());
            assertEquals(1, complete.path("changes").size());
        }
        assertEquals(EXPECTED.get("yaml").asText(),
                Clients.get(api() + "/sessions/" + sessionId).body().path("workflow_yaml").asText(),
                "the session holds the workflow the model wrote");
        List<Received> live = overSse.events();
        Received change = live.stream().filter(e -> e.name().equals("streaming_changes")).findFirst().orElseThrow();
        Recorder resumed = new Recorder("resumed after the change");
        try (SseEventSource sse = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=" + change.id(),
                resumed)) {
            resumed.await(e -> e.endsAnswer(answerId), 30_000);
        }
        assertEquals(live.stream().filter(e -> e.id() > change.id()).map(Received::id).toList(),
                resumed.events().stream().filter(e -> e.id() > 0).map(Received::id).toList(),
                "a resume from the change gets what followed it, once each");
    }

    private void invalidArgumentsAndTwoStepsGoThroughTheChangePath() throws Exception {
        String sessionId = newSession();
        Recorder events = new Recorder("invalid, then two steps");
        try (SseEventSource sse = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", events)) {
            String refused = ask(sessionId, "fixture:invalid-arguments");
            events.await(e -> e.endsAnswer(refused), 60_000);
            String twoSteps = ask(sessionId, "fixture:two-steps");
            events.await(e -> e.endsAnswer(twoSteps), 60_000);
        }
        List<JsonNode> changes = events.events().stream().filter(e -> e.name().equals("streaming_changes"))
                .map(Received::data).toList();
        assertEquals(List.of("invalid", "applied", "applied"), changes.stream().map(c -> c.path("status").asText())
                .toList(), changes.toString());
        assertTrue(changes.get(0).path("error").asText().contains("'yaml'"), changes.get(0).toString());
        assertEquals(List.of("streaming_complete", "streaming_complete"), events.events().stream()
                .map(Received::name).filter(name -> name.startsWith("streaming_complete")).toList());
        assertEquals(EXPECTED.get("yaml2").asText(),
                Clients.get(api() + "/sessions/" + sessionId).body().path("workflow_yaml").asText());
    }

    private void cancelMidToolCallAppliesNothing(FakeModelServer model) throws Exception {
        String sessionId = newSession();
        Recorder events = new Recorder("cancelled mid-call");
        try (SseEventSource sse = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", events)) {
            String answerId = ask(sessionId, "hang:workflow-change");
            events.await(e -> e.name().equals("status_update"), 30_000);
            assertEquals(202, Clients.post(api() + "/sessions/" + sessionId + "/messages/" + answerId + "/cancel",
                    null).status());
            Received end = events.await(e -> e.endsAnswer(answerId), 30_000);
            assertEquals("cancelled", end.data().path("error").path("code").asText(), end.toString());
        }
        assertTrue(model.hungUp.await(5, java.util.concurrent.TimeUnit.SECONDS), "the provider's connection closed");
        assertTrue(events.events().stream().noneMatch(e -> e.name().equals("streaming_changes")), events.toString());
        assertEquals(0, Clients.get(api() + "/sessions/" + sessionId).body().path("applied_changes").size());
    }

    private void jobCodeIsProposed() throws Exception {
        String sessionId = Clients.post(api() + "/sessions", "{\"kind\":\"job\",\"job\":{\"name\":\"Filter\","
                + "\"adaptor\":\"@openfn/language-common@latest\",\"code\":\"fn(state => state);\\n\"}}").body()
                .path("id").asText();
        Recorder events = new Recorder("job session");
        try (SseEventSource sse = Clients.sse(api() + "/sessions/" + sessionId + "/events?last_event_id=0", events)) {
            String answerId = ask(sessionId, "fixture:job-code");
            events.await(e -> e.endsAnswer(answerId), 60_000);
        }
        JsonNode proposal = events.events().stream().filter(e -> e.name().equals("streaming_changes")).findFirst()
                .orElseThrow().data();
        assertEquals("proposed", proposal.path("status").asText(), proposal.toString());
        assertEquals(EXPECTED.get("code").asText(), proposal.path("code").asText());
        assertTrue(proposal.path("diff").asText().contains("+  const patients"), proposal.path("diff").asText());
    }

    private void aWholeAnswerOnThePage(String provider) throws Exception {
        try (Playwright playwright = Playwright.create();
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium")))
                     .setArgs(List.of("--no-sandbox", "--disable-gpu")))) {
            Page page = browser.newPage();
            page.navigate(root + "/");
            page.click("#new-workflow");
            page.waitForFunction("document.body.dataset.connection === 'open'");
            page.fill("#question", "fixture:workflow-change");
            page.click("#send");
            page.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(60_000));
            String shown = page.textContent(".message.assistant:last-of-type .body");
            assertTrue(shown.contains("every Monday at 7am") && shown.contains("writes each patient"),
                    provider + " on the page: " + shown);
            Files.createDirectories(BrowserPages.SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(BrowserPages.SCREENSHOTS.resolve("model-" + provider + ".png")));
        }
    }

    private static JsonNode read() {
        try {
            return Clients.JSON.readTree(Files.readString(FakeModelServer.STREAMS.resolve("expected.json")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
