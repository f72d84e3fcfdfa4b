package io.assistantstream.upstream.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assistantstream.platform.Settings;
import io.assistantstream.testing.FakeModelServer;
import io.assistantstream.upstream.control.AnswerBudget;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.control.UpstreamHttp;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model's answer, read from a fake provider that speaks each provider's real streaming wire over HTTP, split at
 * random byte boundaries: the tool loop, its changes handed on before the explanation, the requests the provider
 * receives, and every way an answer fails. The change path is scripted here (applied, proposed or invalid).
 */
class ModelAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode EXPECTED = read();
    private static final String BEFORE = "name: Patient-Sync\njobs: {}\n";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<UpstreamEvent> events = new CopyOnWriteArrayList<>();
    private FakeModelServer server;
    private UpstreamCall call;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private ModelAnswer answer(String provider, ApolloQuestion question, String... settings) throws Exception {
        server = new FakeModelServer(provider);
        opened.add(server);
        List<String> keys = new ArrayList<>(List.of("model.provider=" + provider, "model.base-url=" + server.baseUrl(),
                "model.name=fake-model-1", "model.api-key=sk-test-0f3c", "apollo.idle-timeout-seconds=5"));
        keys.addAll(List.of(settings));
        Settings.Read read = Settings.of(keys.toArray(String[]::new));
        UpstreamHttp http = UpstreamHttp.of(read.upstream(), task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        });
        opened.add(http::stop);
        AnswerRef ref = new AnswerRef("s1", "m1");
        call = new UpstreamCall(ref);
        RelayHttpClient client = new RelayHttpClient(http, ref, call, read.upstream(),
                new AnswerBudget(read.upstream(), System.nanoTime()), ModelClient.wire(read.model()));
        return new ModelAnswer(ref, question, call, read.model(), read.upstream(), client,
                relay -> ModelClient.chatModel(read.model(), relay), this::relay);
    }

    /** The change path, scripted: a workflow is applied, job code proposed, an unreadable change refused. */
    private void relay(UpstreamEvent event) {
        if (event instanceof UpstreamEvent.ToolChange called) {
            if (called.change() instanceof ProposedChange.Unreadable unreadable) {
                called.reply().answer("invalid", unreadable.reason());
            } else {
                called.reply().answer(called.change() instanceof ProposedChange.JobCode ? "proposed" : "applied", null);
            }
        }
        events.add(event);
    }

    private static ApolloQuestion workflowQuestion(String content) {
        return new ApolloQuestion(content, List.of(new ApolloQuestion.Turn("user", "Hello"),
                new ApolloQuestion.Turn("assistant", "Hi! How can I help?")), null, BEFORE, null, null);
    }

    private static ApolloQuestion jobQuestion(String content) {
        return new ApolloQuestion(content, List.of(), null, null,
                new ApolloQuestion.Job("fn(state => state);", "@openfn/language-common@latest", "Filter"), null);
    }

    private UpstreamEvent last() {
        assertEquals(1, events.stream().filter(UpstreamEvent::isTerminal).count(), "one terminal event: " + events);
        assertTrue(events.get(events.size() - 1).isTerminal(), "the terminal event comes last: " + events);
        return events.get(events.size() - 1);
    }

    private String text() {
        return events.stream().filter(e -> e instanceof UpstreamEvent.TextDelta)
                .map(e -> ((UpstreamEvent.TextDelta) e).text()).collect(Collectors.joining());
    }

    private List<ProposedChange> changes() {
        return events.stream().filter(e -> e instanceof UpstreamEvent.ToolChange)
                .map(e -> ((UpstreamEvent.ToolChange) e).change()).toList();
    }

    private int indexOf(Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The text of every tool result the request carried (OpenAI: tool messages; Anthropic: tool_result blocks). */
    private static List<String> toolResults(JsonNode request) {
        List<String> results = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            if ("tool".equals(message.path("role").asText())) {
                results.add(message.path("content").asText());
            }
            for (JsonNode block : message.path("content")) {
                if ("tool_result".equals(block.path("type").asText())) {
                    results.add(block.path("content").isTextual() ? block.path("content").asText()
                            : block.path("content").toString());
                }
            }
        }
        return results;
    }

    private static String toolName(JsonNode request) {
        JsonNode tool = request.path("tools").get(0);
        return tool.has("function") ? tool.path("function").path("name").asText() : tool.path("name").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aWorkflowChangeIsHandedOnBeforeTheFirstWordOfTheExplanation(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:workflow-change")).run();

        UpstreamEvent.Completed completed = assertInstanceOf(UpstreamEvent.Completed.class, last());
        assertEquals(List.of(new ProposedChange.WorkflowYaml(EXPECTED.get("yaml").asText())), changes());
        assertTrue(indexOf(UpstreamEvent.ToolChange.class) < indexOf(UpstreamEvent.TextDelta.class), events.toString());
        assertTrue(events.contains(new UpstreamEvent.StatusLine("Changing the workflow…")), events.toString());
        assertEquals("anthropic".equals(provider), events.contains(new UpstreamEvent.StatusLine("Thinking…")),
                "the model's reasoning is a status where the provider streams it: " + events);
        assertEquals(EXPECTED.get("text").asText(), text());
        assertEquals(text(), completed.response());
        assertEquals(2, completed.meta().get("steps").asInt());
        // Usage summed over both steps, as each provider's stream reported it.
        assertEquals("openai".equals(provider) ? 812 + 950 : 900 + 1100, completed.usage().get("input_tokens").asInt());
        assertEquals("openai".equals(provider) ? 96 + 60 : 120 + 60, completed.usage().get("output_tokens").asInt());

        assertEquals(2, server.requests.size());
        JsonNode first = server.requests.get(0).body();
        assertEquals("fake-model-1", first.path("model").asText());
        assertTrue(first.path("stream").asBoolean(), first.toString());
        assertEquals("update_workflow", toolName(first));
        String sent = first.toString();
        assertTrue(sent.contains("Patient-Sync") && sent.contains("fixture:workflow-change")
                && sent.contains("Hi! How can I help?"), "the system prompt with the workflow, the history, the question: " + sent);
        if ("openai".equals(provider)) {
            assertTrue(first.path("stream_options").path("include_usage").asBoolean(), sent);
            assertEquals("Bearer sk-test-0f3c", server.requests.get(0).authorization());
        } else {
            assertTrue(first.path("system").toString().contains("Patient-Sync"), sent);
            assertEquals("sk-test-0f3c", server.requests.get(0).apiKey());
        }
        List<String> results = toolResults(server.requests.get(1).body());
        assertEquals(1, results.size(), server.requests.get(1).body().toString());
        assertTrue(results.get(0).startsWith("Applied"), results.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void jobCodeIsProposedAndTheModelIsToldSo(String provider) throws Exception {
        answer(provider, jobQuestion("fixture:job-code")).run();

        assertInstanceOf(UpstreamEvent.Completed.class, last());
        assertEquals(List.of(new ProposedChange.JobCode(EXPECTED.get("code").asText())), changes());
        assertTrue(events.contains(new UpstreamEvent.StatusLine("Writing the job's code…")), events.toString());
        assertEquals("propose_job_code", toolName(server.requests.get(0).body()));
        assertTrue(server.requests.get(0).body().toString().contains("fn(state => state);"));
        assertTrue(toolResults(server.requests.get(1).body()).get(0).startsWith("Proposed"));
        assertEquals("The new code keeps only active patients.", text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aCallWithInvalidArgumentsIsRefusedTheModelToldWhyAndTheAnswerCompletes(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:invalid-arguments")).run();

        assertInstanceOf(UpstreamEvent.Completed.class, last());
        ProposedChange.Unreadable refused = assertInstanceOf(ProposedChange.Unreadable.class, changes().get(0));
        assertTrue(refused.reason().contains("'yaml'"), refused.reason());
        String told = toolResults(server.requests.get(1).body()).get(0);
        assertTrue(told.startsWith("Not applied") && told.contains("'yaml'"), told);
        assertEquals("I could not apply that change.", text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void twoToolStepsInOneAnswerEachApplyTheirChange(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:two-steps")).run();

        UpstreamEvent.Completed completed = assertInstanceOf(UpstreamEvent.Completed.class, last());
        assertEquals(List.of(new ProposedChange.WorkflowYaml(EXPECTED.get("yaml").asText()),
                new ProposedChange.WorkflowYaml(EXPECTED.get("yaml2").asText())), changes());
        assertEquals("One more change. Both changes are applied.", completed.response());
        assertEquals(3, server.requests.size());
        assertEquals(2, toolResults(server.requests.get(2).body()).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void theLastStepAllowedIsAskedWithoutToolsAndTheAnswerEndsThere(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:keeps-calling"), "model.max-steps=2").run();

        UpstreamEvent.Completed completed = assertInstanceOf(UpstreamEvent.Completed.class, last());
        assertEquals(2, server.requests.size(), "no third request");
        String choice = server.requests.get(1).body().path("tool_choice").toString();
        assertTrue(choice.contains("none"), "the last step's tool choice: " + choice);
        assertEquals("model.max-steps", completed.meta().path("stopped").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void theModelsReasoningIsOneStatusNeverText(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:reasoning")).run();

        assertInstanceOf(UpstreamEvent.Completed.class, last());
        assertEquals(List.of(new UpstreamEvent.StatusLine("Thinking…")),
                events.stream().filter(e -> e instanceof UpstreamEvent.StatusLine).toList());
        assertEquals("A cron trigger runs a workflow on a schedule.", text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void theAnswersByteBudgetSpansItsSteps(String provider) throws Exception {
        long firstStep = Files.size(FakeModelServer.STREAMS.resolve(provider).resolve("workflow-change-1.sse"));
        answer(provider, workflowQuestion("fixture:workflow-change"), "apollo.max-event-bytes=1024",
                "apollo.max-response-bytes=" + (firstStep + 200)).run();

        assertEquals(FailureCode.UPSTREAM_TOO_LARGE, ((UpstreamEvent.Failed) last()).code());
        assertEquals(1, changes().size(), "the first step's change was handed on before the budget ran out");
        assertEquals(2, server.requests.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void anAnswerLongerThanItsMaximumDurationIsStopped(String provider) throws Exception {
        long started = System.nanoTime();
        answer(provider, workflowQuestion("hang:text-only"), "apollo.max-duration-seconds=1").run();

        assertEquals(FailureCode.UPSTREAM_DURATION_EXCEEDED, ((UpstreamEvent.Failed) last()).code());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3), "stopped about when the second ran out");
        assertTrue(server.hungUp.await(2, TimeUnit.SECONDS), "the provider saw the connection closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void aStreamCutMidToolCallFailsAndHandsOnNoChange(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:cut-mid-tool")).run();

        assertEquals(FailureCode.UPSTREAM_DISCONNECTED, ((UpstreamEvent.Failed) last()).code(), events.toString());
        assertEquals(List.of(), changes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void anAnswerAtTheTokenLimitSaysItIsIncomplete(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:truncated"), "model.max-tokens=64").run();

        UpstreamEvent.Failed failed = (UpstreamEvent.Failed) last();
        assertEquals(FailureCode.ANSWER_TRUNCATED, failed.code());
        assertTrue(failed.message().contains("64 tokens"), failed.message());
        assertEquals("A cron trigger runs", text());
        int maxTokens = server.requests.get(0).body().path("max_tokens").asInt();
        assertEquals(64, maxTokens);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void anErrorInTheStreamEndsTheAnswerWithTheProvidersWords(String provider) throws Exception {
        answer(provider, workflowQuestion("fixture:error-mid-stream")).run();

        UpstreamEvent.Failed failed = (UpstreamEvent.Failed) last();
        assertEquals("openai".equals(provider) ? FailureCode.UPSTREAM_ERROR : FailureCode.MODEL_OVERLOADED, failed.code());
        assertTrue(failed.message().contains("openai".equals(provider) ? "while processing" : "Overloaded"), failed.message());
        assertEquals("Let me", text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void eachRefusalHasACodeOfItsOwnAndSaysWhatToDo(String provider) throws Exception {
        assertRefusal(provider, "http:401", FailureCode.UPSTREAM_UNAUTHORIZED, "model.api-key");
        assertRefusal(provider, "http:404", FailureCode.MODEL_NOT_FOUND, "model.name");
        assertRefusal(provider, "http:429:retry=17", FailureCode.RATE_LIMITED, "17 s");
        assertRefusal(provider, "http:400:context", FailureCode.CONTEXT_TOO_LONG, "new session");
        assertRefusal(provider, "anthropic".equals(provider) ? "http:529" : "http:503", FailureCode.MODEL_OVERLOADED,
                "ask again");
        assertRefusal(provider, "http:500", FailureCode.UPSTREAM_HTTP_ERROR, "HTTP 500");
    }

    private void assertRefusal(String provider, String question, FailureCode code, String says) throws Exception {
        events.clear();
        answer(provider, workflowQuestion(question)).run();
        UpstreamEvent.Failed failed = (UpstreamEvent.Failed) last();
        assertEquals(code, failed.code(), question + ": " + failed);
        assertTrue(failed.message().contains(says), question + ": " + failed.message());
        assertTrue(!failed.message().contains("sk-test-0f3c"), "the key is never quoted: " + failed.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void cancelDuringAToolCallClosesTheConnectionAtOnceAndHandsOnNothing(String provider) throws Exception {
        assertCancelStops(provider, "hang:workflow-change", new UpstreamEvent.StatusLine("Changing the workflow…"));
        assertEquals(List.of(), changes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic"})
    void cancelDuringTextClosesTheConnectionAtOnce(String provider) throws Exception {
        assertCancelStops(provider, "hang:text-only", new UpstreamEvent.TextDelta("A cron"));
        assertTrue(text().startsWith("A cron"), text());
    }

    /** Cancels once {@code seen} was handed on (the stream is then where the test says), and the answer stops. */
    private void assertCancelStops(String provider, String question, UpstreamEvent seen) throws Exception {
        ModelAnswer answer = answer(provider, workflowQuestion(question));
        Thread reading = new Thread(answer::run);
        reading.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains(seen));
        long cancelled = System.nanoTime();
        call.cancel();
        reading.join(2000);
        assertTrue(System.nanoTime() - cancelled < TimeUnit.SECONDS.toNanos(1), "the answer ended within a second");
        assertEquals(FailureCode.CANCELLED, ((UpstreamEvent.Failed) last()).code(), events.toString());
        assertTrue(server.hungUp.await(2, TimeUnit.SECONDS), "the provider saw the connection closed");
    }

    private static JsonNode read() {
        try {
            return JSON.readTree(Files.readString(FakeModelServer.STREAMS.resolve("expected.json")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
