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
 * the first word of the explanation, to an SSE and a WebSocket client alike; a job's code is proposed; and the
 * page in Chromium shows a whole answer.
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
