package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The assistant page in a real headless Chromium (Debian's), driven by Playwright, against the WAR on Payara
 * Micro with a fake Apollo that can also relay the WAR's own demo service.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebPageIT extends PageSecondPass {

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        apollo = new FakeApollo();
        // The demo at twice its pace: a fast model's rhythm, which the page must still show calmly.
        return Deployments.war("apollo.url=" + apollo.url(), "demo.upstream.enabled=true", "demo.pace-percent=50");
    }

    @Test
    void aDemoWorkflowAnswerStreamsCalmlyWithTheDiagramFirst() {
        startSession(page, "workflow");
        assertEquals("Patient-Sync", page.getAttribute("#workflow", "data-name"));
        ask(page, "demo:Run it every morning");
        page.waitForSelector(".message.assistant.streaming");
        page.waitForTimeout(1500);
        screenshot(page, "streaming");
        page.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(60_000));
        screenshot(page, "workflow-applied");

        List<java.util.Map<String, Object>> samples = samples(page);
        int firstNewDiagram = -1;
        int firstComplete = -1;
        int maxStep = 0;
        int previousWords = 0;
        double lastChangeBeforeComplete = 0;
        for (int i = 0; i < samples.size(); i++) {
            var sample = samples.get(i);
            String text = (String) sample.get("text");
            if (firstNewDiagram < 0 && "Daily-Patient-Sync".equals(sample.get("diagram"))) {
                firstNewDiagram = i;
            }
            if (firstComplete < 0 && Boolean.TRUE.equals(sample.get("complete"))) {
                firstComplete = i;
            }
            int words = ((Number) sample.get("words")).intValue();
            if (firstComplete < 0) {
                maxStep = Math.max(maxStep, words - previousWords);
            }
            previousWords = words;
            assertFalse(text.contains("**"), "no raw bold marker on screen: " + text);
            assertFalse(text.contains("```"), "no raw code fence on screen: " + text);
            assertFalse(text.matches("(?s).*\\]\\(.*"), "no half link on screen: " + text);
        }
        int firstText = indexOf(samples, s -> ((Number) s.get("words")).intValue() > 0);
        assertTrue(firstNewDiagram >= 0 && firstNewDiagram <= firstText,
                "the diagram changed (frame " + firstNewDiagram + ") before the text began (frame " + firstText + ")");
        assertTrue(maxStep <= 8, "no frame adds more than a few words: " + maxStep);
        assertTrue(samples.stream().anyMatch(sample -> Boolean.TRUE.equals(sample.get("highlighted"))),
                "what changed is highlighted");
        page.waitForSelector(".node.changed", new Page.WaitForSelectorOptions() // the highlight lasts 2.5 s
                .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED).setTimeout(3_000));
        WebPageMeasures.record(samples);
        System.out.println("Pacing of the demo answer: " + WebPageMeasures.summary() + ", at most " + maxStep
                + " words in one frame");
        assertTrue(WebPageMeasures.completeLagMillis(samples) <= 2000,
                "complete on screen within 2 s: " + WebPageMeasures.summary());
        assertTrue(WebPageMeasures.worstLagMillis <= 1600, "never far behind the stream: " + WebPageMeasures.summary());
    }

    static int indexOf(List<java.util.Map<String, Object>> samples, java.util.function.Predicate<java.util.Map<String, Object>> test) {
        for (int i = 0; i < samples.size(); i++) {
            if (test.test(samples.get(i))) {
                return i;
            }
        }
        return samples.size();
    }

    @Test
    void aWholeAnswerWrittenAtOnceArrivesWholeOnThePage() {
        startSession(page, "workflow");
        page.evaluate("window.connectionStates = []; new MutationObserver(() => window.connectionStates.push("
                + "document.body.dataset.connection)).observe(document.body, {attributeFilter: ['data-connection']})");
        // The page's socket is watched from its next one on: dropped here, it reconnects before the question.
        java.util.concurrent.atomic.AtomicInteger sockets = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger chunks = new java.util.concurrent.atomic.AtomicInteger();
        page.onWebSocket(socket -> {
            sockets.incrementAndGet();
            socket.onFrameReceived(frame -> {
                if (frame.text() != null && frame.text().startsWith("{\"event\":\"streaming_chunk\"")) {
                    chunks.incrementAndGet();
                }
            });
        });
        page.evaluate("window.assistantStream.state.connection.drop()");
        page.waitForCondition(() -> sockets.get() == 1
                && "open".equals(page.evaluate("document.body.dataset.connection")));
        page.evaluate("window.connectionStates.length = 0");
        ask(page, "burst:2500");
        page.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(60_000));
        assertEquals(2500, chunks.get(), "every one of 2,500 deltas reached the page over its socket");
        assertEquals(FakeApollo.burstText(2500).strip(),
                page.textContent(".message.assistant:last-of-type .body").strip(), "and shown in order");
        assertFalse(page.isVisible("#banner"), "no error");
        assertEquals(List.of(), page.evaluate("window.connectionStates.filter(state => state !== 'open')"),
                "the connection never dropped");
        assertEquals(1, sockets.get(), "one socket for the whole answer");
    }

    @Test
    void anErrorShowsABannerKeepsThePartialTextAndTheInputUsable() {
        startSession(page, "job");
        ask(page, "fixture:error-event;piece=40;pause=40");
        page.waitForSelector("#banner:not([hidden])");
        assertTrue(page.textContent("#banner-text").contains("Model returned no usable text"));
        assertTrue(page.isVisible("#retry"));
        assertTrue(page.textContent(".message.assistant:last-of-type").contains("Let me look at"),
                "the partial reply is kept");
        assertTrue(page.textContent(".message.assistant:last-of-type .note").contains("Incomplete"));
        assertTrue(page.isEditable("#question"), "the input stays usable");
        assertFalse(page.isVisible("#cancel"), "the streaming state is cleared");
        screenshot(page, "error");

        ask(page, "fixture:workflow-chat-basic;piece=100;pause=80"); // text from 2 s to 5.5 s: time to cancel
        page.waitForSelector(".message.assistant.streaming");
        page.click("#cancel");
        page.waitForFunction("document.getElementById('banner-text').textContent.includes('cancelled')");
        assertTrue(page.textContent(".message.assistant:last-of-type .note").contains("Cancelled"));
    }

    @Test
    void twoPagesOnOneSessionSeeTheSameAndAnAcceptedProposalUpdatesBoth() {
        String sessionId = startSession(page, "job");
        Page other = newPage();
        other.navigate(root() + "/#session=" + sessionId);
        other.waitForFunction("document.body.dataset.connection === 'open'");
        ask(page, "demo:Keep only active patients");
        for (Page each : List.of(page, other)) {
            each.waitForSelector(".proposal .accept", new Page.WaitForSelectorOptions().setTimeout(30_000));
            each.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(60_000));
        }
        screenshot(page, "job-diff");
        assertEquals(page.textContent(".message.assistant:last-of-type .body"),
                other.textContent(".message.assistant:last-of-type .body"), "both pages show the same answer");
        assertTrue(page.textContent(".proposal .diff").contains("+fn(state => {"));
        page.click(".proposal .accept");
        for (Page each : List.of(page, other)) {
            each.waitForSelector(".proposal", new Page.WaitForSelectorOptions()
                    .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
            assertTrue(each.textContent("#job .code").contains("const active = state.data.filter"));
        }
    }

    @Test
    void aDroppedSocketResumesWithoutRepeatingOrLosingText() throws IOException {
        String streamed = Clients.JSON.readTree(FakeApollo.FIXTURES.resolve("workflow-chat-basic.expect.json").toFile())
                .path("events").get(3).path("concatenated").asText();
        startSession(page, "workflow");
        ask(page, "fixture:workflow-chat-basic;piece=80;pause=40"); // about 3.3 s: the drop comes in its first chunks
        page.waitForSelector(".message.assistant.streaming");
        page.evaluate("window.assistantStream.state.connection.drop()");
        page.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        int received = samples(page).stream().mapToInt(s -> ((Number) s.get("received")).intValue()).max().orElse(0);
        assertEquals(streamed.length(), received, "every chunk arrived once across the reconnect");
        assertEquals(1, ((Number) page.evaluate("document.querySelectorAll('.message.assistant').length")).intValue(),
                "one answer, not a second copy");
        assertTrue(page.textContent(".message.assistant:last-of-type .body")
                .startsWith("I've updated your workflow so it runs every Monday at 7am"));
    }

    @Test
    void withReducedMotionTextIsShownAsItArrives() {
        context.close();
        context = browser.newContext(new Browser.NewContextOptions()
                .setReducedMotion(com.microsoft.playwright.options.ReducedMotion.REDUCE));
        page = newPage();
        startSession(page, "workflow");
        ask(page, "fixture:workflow-chat-basic;piece=200;pause=100");
        page.waitForSelector(".message.assistant[data-complete]", new Page.WaitForSelectorOptions().setTimeout(30_000));
        List<java.util.Map<String, Object>> streaming = samples(page).stream()
                .filter(s -> ((Number) s.get("received")).intValue() > 0).toList();
        assertFalse(streaming.isEmpty());
        for (var sample : streaming) {
            assertEquals(sample.get("received"), sample.get("shown"), "nothing is held back: " + sample);
        }
    }

    @Test
    void modelTextCarryingHtmlRendersInert() {
        startSession(page, "workflow");
        ask(page, "hostile");
        page.waitForSelector(".message.assistant[data-complete]");
        page.waitForTimeout(300);
        assertEquals(List.of(), dialogs, "no script ran");
        assertEquals(0, ((Number) page.evaluate(
                "document.querySelectorAll('#messages script, #messages [onerror], #messages a[href^=javascript]').length"))
                .intValue());
        assertTrue(page.textContent(".message.assistant:last-of-type").contains("Done."));
    }
}
