package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The assistant page in a real headless Chromium (Debian's), driven by Playwright, against the WAR on Payara
 * Micro with a fake Apollo that can also relay the WAR's own demo service.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebPageIT extends AgainstDeployment {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static FakeApollo apollo;
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;
    final List<String> dialogs = new CopyOnWriteArrayList<>();

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        apollo = new FakeApollo();
        return Deployments.war("apollo.url=" + apollo.url(), "demo.upstream.enabled=true");
    }

    @BeforeAll
    static void launch() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium")))
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openPage() {
        FakeApollo.demoUrl = root() + "/demo-apollo";
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 820));
        page = newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    Page newPage() {
        Page opened = context.newPage();
        opened.onPageError(error -> System.out.println("Page error: " + error));
        opened.onResponse(response -> {
            if (response.status() == 404) {
                System.out.println("Not found: " + response.url());
            }
        });
        opened.onConsoleMessage(message -> System.out.println("Browser console: " + message.text()));
        opened.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        // Samples the answer on every animation frame, as the user would see it.
        opened.addInitScript("""
                window.samples = [];
                const sample = (t) => {
                  const app = window.assistantStream;
                  const answer = document.querySelector('.message.assistant:last-of-type .body');
                  const pacer = app?.conversation.streaming?.pacer;
                  window.samples.push({ t, text: answer ? answer.textContent : '',
                    words: answer ? (answer.textContent.match(/[\\p{L}\\p{N}]+/gu) ?? []).length : 0,
                    received: pacer ? pacer.received.length : -1, shown: pacer ? pacer.shown : -1,
                    diagram: document.getElementById('workflow')?.dataset.name ?? '',
                    complete: !!document.querySelector('.message.assistant:last-of-type[data-complete]') });
                  requestAnimationFrame(sample);
                };
                requestAnimationFrame(sample);
                """);
        return opened;
    }

    String startSession(Page on, String kind) {
        on.navigate(root() + "/");
        on.click(kind.equals("workflow") ? "#new-workflow" : "#new-job");
        on.waitForSelector("#panel:not([hidden])");
        on.waitForFunction("document.body.dataset.connection === 'open'");
        return on.evaluate("window.assistantStream.state.session.id").toString();
    }

    void ask(Page on, String question) {
        on.fill("#question", question);
        on.click("#send");
    }

    void screenshot(Page on, String name) {
        on.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> samples(Page on) {
        return (List<java.util.Map<String, Object>>) on.evaluate("window.samples");
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
        assertTrue(page.isVisible(".node.changed"), "what changed is highlighted");
        WebPageMeasures.record(samples);
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

        ask(page, "fixture:workflow-chat-basic;piece=30;pause=80");
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
        ask(page, "fixture:workflow-chat-basic;piece=40;pause=40");
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
