package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The page's second pass (run in WebPageIT's deployment, the same settings, on Payara only: what it asks of the
 * server is covered on WildFly by UndoAndViewersIT and WebPageIT), each as a user meets it: undo, the connection going away, a phone, a branching diagram,
 * typing ahead while an answer streams, input methods, focus and screen readers, watch-only links and first
 * contact.
 */
abstract class PageSecondPass extends BrowserPages {

    /** The tag of these tests: they run on Payara only (the pom's WildFly execution leaves them out). */
    static final String TAG = "page-second-pass";

    static FakeApollo apollo;
    static final Page.WaitForSelectorOptions LONG = new Page.WaitForSelectorOptions().setTimeout(60_000);
    /**
     * About 10 s of streaming (6.6 KB in 40-byte pieces, 60 ms apart): it still streams after a 4 s outage and the
     * reconnection (at 6.6 s the answer had ended before the page was back: 86 of its 335 characters came as chunks).
     */
    static final String SLOW_ANSWER = "fixture:workflow-chat-basic;piece=40;pause=60";


    String focused(Page on) {
        return (String) on.evaluate("document.activeElement?.id ?? ''");
    }

    Page samePageElsewhere(String sessionId) {
        Page other = newPage();
        other.navigate(root() + "/#session=" + sessionId);
        other.waitForFunction("document.body.dataset.connection === 'open'");
        return other;
    }

    @Test
    @Tag(TAG)
    void undoRestoresThePreviousWorkflowInEveryTabAndSurvivesAReload() {
        String sessionId = startSession(page, "workflow");
        Page other = samePageElsewhere(sessionId);
        ask(page, "fixture:workflow-chat-basic;name=Weekly-Sync");
        for (Page each : List.of(page, other)) {
            each.waitForSelector(".message.assistant[data-complete]", LONG);
            each.waitForSelector(".change-line .undo");
            assertEquals("Weekly-Sync", each.getAttribute("#workflow", "data-name"));
        }
        assertTrue(page.textContent(".change-line").contains("Workflow updated: Weekly-Sync"));
        screenshot(page, "undo-offered");
        page.click(".change-line .undo");
        for (Page each : List.of(page, other)) {
            awaitWorkflowNamed(each, "Patient-Sync");
            each.waitForSelector(".change-line .undo", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED));
            assertTrue(each.textContent(".change-line").contains("undone"), each.textContent(".change-line"));
        }
        assertEquals("question", focused(page), "focus goes back to the question after Undo");
        other.reload();
        other.waitForFunction("document.body.dataset.connection === 'open'");
        assertEquals("Patient-Sync", other.getAttribute("#workflow", "data-name"), "the undo is stored");
        assertTrue(other.textContent(".change-line").contains("undone"));
        assertEquals(0, other.locator(".change-line .undo").count(), "nothing left to undo");
    }

    @Test
    @Tag(TAG)
    void aCancelledAnswerSaysItsChangeWasKeptAndOffersUndo() {
        startSession(page, "workflow");
        ask(page, "fixture:workflow-chat-basic;piece=100;pause=80;name=Kept-Sync"); // the change at 1.1 s, text to 5.5 s
        awaitWorkflowNamed(page, "Kept-Sync");
        page.waitForSelector(".message.assistant.streaming");
        page.click("#cancel");
        assertEquals("question", focused(page), "focus goes back to the question after Cancel");
        page.waitForSelector("#banner-undo:not([hidden])", LONG);
        assertTrue(page.textContent("#banner-text").contains("workflow change was kept"), page.textContent("#banner-text"));
        page.click("#banner-undo");
        awaitWorkflowNamed(page, "Patient-Sync");
        page.waitForSelector("#banner", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
    }

    @Test
    @Tag(TAG)
    void goingOfflineShowsTheConnectionStateAndTheAnswerRecoversWhole() throws IOException {
        String streamed = Clients.JSON.readTree(FakeApollo.FIXTURES.resolve("workflow-chat-basic.expect.json").toFile())
                .path("events").get(3).path("concatenated").asText();
        startSession(page, "workflow");
        ask(page, SLOW_ANSWER);
        page.waitForSelector(".message.assistant.streaming");
        context.setOffline(true);
        page.waitForFunction("document.getElementById('connection-state').textContent.length > 0");
        String shown = page.textContent("#connection-state");
        assertTrue(shown.contains("Offline") || shown.contains("Reconnecting"), shown);
        screenshot(page, "offline");
        page.waitForTimeout(4000);
        context.setOffline(false);
        page.waitForFunction("document.body.dataset.connection === 'open'", null,
                new Page.WaitForFunctionOptions().setTimeout(5_000));
        page.waitForSelector(".message.assistant[data-complete]", LONG);
        assertEquals("", page.textContent("#connection-state"), "the state clears once connected");
        int received = samples(page).stream().mapToInt(s -> ((Number) s.get("received")).intValue()).max().orElse(0);
        assertEquals(streamed.length(), received, "every chunk arrived once across the outage");
        assertFalse(page.isVisible("#cancel"), "the answer's end reached the page");
    }

    @Test
    @Tag(TAG)
    void onAPhoneAJobAnswerAndItsDiffNeverWidenThePage() {
        context.close();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true)
                .setHasTouch(true));
        page = newPage();
        startSession(page, "job");
        ask(page, "demo:Keep only active patients");
        page.waitForSelector(".proposal .accept", LONG);
        page.waitForSelector(".message.assistant[data-complete]", LONG);
        int width = ((Number) page.evaluate("document.documentElement.scrollWidth")).intValue();
        assertTrue(width <= 390, "no sideways scrolling at 390 px: the page is " + width + " px wide");
        assertTrue(page.textContent(".change-line").contains("Code change proposed"), "the chat says where the diff is");
        page.click(".change-line .show-work");
        page.waitForTimeout(500);
        assertTrue(((Boolean) page.evaluate("(() => { const r = document.querySelector('.proposal').getBoundingClientRect();"
                + " return r.top < innerHeight && r.bottom > 0; })()")), "Show code brings the diff into view");
        screenshot(page, "phone-job");
    }

    @Test
    @Tag(TAG)
    void noEdgeOfABranchingWorkflowCrossesANodeAndEveryLabelIsInTheOpen() {
        startSession(page, "workflow");
        ask(page, "demo:Email the team when it fails");
        awaitWorkflowNamed(page, "Patient-Sync-With-Alerts");
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) page.evaluate("""
                (() => {
                  const svg = document.querySelector('#workflow svg');
                  const boxes = [...svg.querySelectorAll('.node')].map((g) => {
                    const r = g.querySelector('rect').getBBox();
                    const m = g.transform.baseVal.consolidate().matrix;
                    return { key: g.dataset.node, x: r.x + m.e, y: r.y + m.f, w: r.width, h: r.height };
                  });
                  const inside = (p, b) => p.x > b.x + 1 && p.x < b.x + b.w - 1 && p.y > b.y + 1 && p.y < b.y + b.h - 1;
                  const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.width && a.y < b.y + b.h && b.y < a.y + a.height;
                  const problems = [];
                  const labels = [];
                  for (const edge of svg.querySelectorAll('.edge')) {
                    const path = edge.querySelector('path');
                    for (let at = 0; at <= path.getTotalLength(); at += 2) {
                      const p = path.getPointAtLength(at);
                      for (const b of boxes) {
                        if (b.key !== edge.dataset.from && b.key !== edge.dataset.to && inside(p, b)) {
                          problems.push(`${edge.dataset.edge} crosses ${b.key}`);
                        }
                      }
                    }
                    const text = edge.querySelector('text');
                    if (text) labels.push({ edge: edge.dataset.edge, box: text.getBBox() });
                  }
                  for (const label of labels) {
                    for (const b of boxes) if (overlap(label.box, b)) problems.push(`label of ${label.edge} under ${b.key}`);
                    for (const otherLabel of labels) {
                      if (otherLabel !== label && overlap(label.box, { x: otherLabel.box.x, y: otherLabel.box.y,
                          w: otherLabel.box.width, h: otherLabel.box.height })) problems.push(`label of ${label.edge} over another`);
                    }
                  }
                  return [...new Set(problems)];
                })()
                """);
        assertEquals(List.of(), problems);
        assertEquals(4, page.locator("#workflow .edge").count(), "every edge is drawn");
        String description = page.textContent("#workflow-description");
        assertTrue(description.contains("Fetch Patients on failure, runs Notify Team"), description);
        assertTrue(description.contains("Upsert To DHIS2"), description);
        assertEquals("workflow-description", page.getAttribute("#workflow svg", "aria-describedby"));
        screenshot(page, "branching-workflow");
        page.waitForSelector("#workflow .node.changed", new Page.WaitForSelectorOptions()
                .setState(WaitForSelectorState.DETACHED).setTimeout(5_000));
    }

    @Test
    @Tag(TAG)
    void aQuestionTypedWhileAnAnswerStreamsIsQueuedAndSentWhenItEnds() {
        List<Integer> refusals = new CopyOnWriteArrayList<>();
        page.onResponse(response -> {
            if (response.status() == 409) {
                refusals.add(response.status());
            }
        });
        startSession(page, "workflow");
        ask(page, "fixture:workflow-chat-basic;piece=100;pause=60"); // about 4 s: time to type ahead
        page.waitForSelector(".message.assistant.streaming");
        assertTrue(page.isEditable("#question"), "the input stays usable while an answer streams");
        assertEquals("Queue", page.textContent("#send"));
        ask(page, "fixture:workflow-chat-basic;name=Second-Sync");
        page.waitForSelector(".message.queued");
        assertFalse(page.isVisible("#banner"), "no error for typing ahead");
        page.waitForFunction("document.querySelectorAll('.message.assistant[data-complete]').length === 2", null,
                new Page.WaitForFunctionOptions().setTimeout(60_000));
        assertEquals(0, page.locator(".message.queued").count());
        assertEquals(2, page.locator(".message.user").count(), "each question shown once");
        assertEquals("Second-Sync", page.getAttribute("#workflow", "data-name"), "the queued question was answered");
        assertEquals(List.of(), refusals, "the page never met a 409");
        assertEquals("Send", page.textContent("#send"));
    }

    @Test
    @Tag(TAG)
    void enterThatEndsAnInputMethodCompositionDoesNotSend() {
        startSession(page, "workflow");
        page.fill("#question", "東京");
        page.evaluate("""
                (() => {
                  const q = document.getElementById('question');
                  q.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
                  q.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
                })()
                """);
        page.waitForTimeout(500);
        assertEquals(0, page.locator(".message.user").count(), "composition Enter is not a send");
        assertEquals("東京", page.inputValue("#question"));
        page.fill("#question", "fixture:workflow-chat-basic");
        page.press("#question", "Enter");
        page.waitForSelector(".message.user");
    }

    @Test
    @Tag(TAG)
    void theAnswerIsBusyWhileItStreamsIsAnnouncedOnceAndFocusComesBackAfterEachAction() {
        startSession(page, "job");
        assertEquals("question", focused(page), "a new session's question box has the focus");
        assertEquals(null, page.getAttribute("#messages", "aria-live"), "the list is not a live region");
        ask(page, "demo:Keep only active patients");
        page.waitForSelector(".message.assistant.streaming[aria-busy=true]");
        page.waitForSelector(".proposal .accept", LONG);
        page.waitForSelector("#change-note.visible");
        BoundingBox before = page.locator(".proposal .accept").boundingBox();
        page.waitForSelector("#change-note:not(.visible)", new Page.WaitForSelectorOptions()
                .setState(WaitForSelectorState.ATTACHED).setTimeout(10_000));
        BoundingBox after = page.locator(".proposal .accept").boundingBox();
        assertEquals(before.y, after.y, 0.5, "Accept does not move when the note above it goes");

        page.waitForSelector(".message.assistant[data-complete]", LONG);
        assertEquals(null, page.getAttribute(".message.assistant", "aria-busy"));
        assertTrue(page.textContent("#announcer").startsWith("The assistant answered:"), page.textContent("#announcer"));
        page.click(".proposal .accept");
        page.waitForSelector(".change-line .undo");
        assertTrue(page.textContent(".change-line").contains("Code change accepted"), "the decision is confirmed in the chat");
        assertEquals("question", focused(page), "after Accept");
        page.click(".change-line .undo");
        page.waitForFunction("document.querySelector('.change-line').textContent.includes('undone')");
        assertTrue(page.textContent("#job .code").contains("get('/patients')"), "the code is back");
        assertFalse(page.textContent("#job .code").contains("active"), page.textContent("#job .code"));

        ask(page, "fixture:error-event");
        page.waitForSelector("#banner:not([hidden])", LONG);
        page.click("#retry");
        assertEquals("question", focused(page), "after Retry");
    }

    @Test
    @Tag(TAG)
    void aWatchOnlyLinkFollowsTheSessionWithoutControlsAndALinkWithoutItsKeySaysWhy() {
        String sessionId = startSession(page, "workflow");
        page.click("#share");
        page.waitForSelector("#share-panel:not([hidden])");
        String link = page.inputValue("#share-url");
        assertTrue(link.contains("view="), link);

        BrowserContext elsewhere = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 820));
        try {
            Page watcher = elsewhere.newPage();
            watcher.navigate(link);
            watcher.waitForFunction("document.body.dataset.connection === 'open'");
            assertTrue(watcher.isVisible("#access-badge"));
            for (String control : List.of("#ask", "#share", "#examples")) {
                assertFalse(watcher.isVisible(control), control + " is hidden for a watcher");
            }
            ask(page, "fixture:workflow-chat-basic");
            watcher.waitForSelector(".message.assistant[data-complete]", LONG);
            assertEquals("Patient-Sync", watcher.getAttribute("#workflow", "data-name"));
            watcher.waitForSelector(".change-line");
            assertEquals(0, watcher.locator(".change-line .undo").count(), "a watcher cannot undo");
            screenshot(watcher, "watch-only");

        } finally {
            elsewhere.close();
        }
        BrowserContext stranger = browser.newContext();
        try {
            Page keyless = stranger.newPage();
            keyless.navigate(root() + "/#session=" + sessionId);
            keyless.waitForSelector("#chooser-note:not([hidden])");
            assertTrue(keyless.textContent("#chooser-note").contains("no key"), keyless.textContent("#chooser-note"));
        } finally {
            stranger.close();
        }
    }

    @Test
    @Tag(TAG)
    void aNewSessionOffersExampleQuestionsAndPlainWords() {
        startSession(page, "workflow");
        assertEquals(3, page.locator("#examples button").count());
        page.locator("#examples button").first().click();
        page.waitForSelector(".message.user");
        assertEquals("What does this workflow do?", page.textContent(".message.user .body"));
        page.waitForSelector("#examples", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));
        page.navigate(root() + "/");
        String intro = page.textContent("#chooser");
        for (String jargon : List.of("auto-apply", "SSE", "WebSocket", "stream")) {
            assertFalse(intro.contains(jargon), "no jargon on the first page: " + jargon);
        }
        screenshot(page, "chooser");
    }

    /** Waits until the work pane shows the workflow of that name (Playwright's default 30 s). */
    private static void awaitWorkflowNamed(Page page, String name) {
        page.waitForFunction("name => document.getElementById('workflow').dataset.name === name", name,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    @Test
    @Tag(TAG)
    void aGlobalSessionAsksAboutTheSelectedStepShowsEachChangedStepAndUndoesThemAll() {
        startSession(page, "global");
        page.waitForSelector("#workflow .node.job[data-node='job:fetch-patients']");
        page.click("#workflow .node.job[data-node='job:fetch-patients']");
        page.waitForSelector("#workflow .node.selected[data-node='job:fetch-patients']");
        assertTrue(page.textContent("#step h3").startsWith("Fetch Patients"), page.textContent("#step"));
        String original = page.textContent("#step .code");
        page.click("#attach summary");
        page.fill("#attachment", "Error: 504 from /patients");
        ask(page, "Only fetch active patients, upsert them, and tell the team when loading fails");

        page.waitForFunction("document.querySelector('#step .code')?.textContent.includes('updated_since')", null,
                new Page.WaitForFunctionOptions().setTimeout(60_000));
        assertEquals(0, page.locator(".message.assistant[data-complete]").count(),
                "the step's new code is on screen before the text ends");
        page.waitForSelector(".message.assistant[data-complete]", LONG);
        JsonNode asked = apollo.requests.get(apollo.requests.size() - 1);
        assertEquals("workflows/patient-sync/fetch-patients", asked.path("page").asText(), asked.toString());
        assertEquals("Error: 504 from /patients", asked.path("attachments").get(0).path("content").asText());
        assertEquals("", page.inputValue("#attachment"), "an attached log goes with one question");

        assertEquals(3, page.locator("#workflow .node.code-changed").count(), "the three rewritten steps are marked");
        assertEquals(3, page.locator(".change-line .step-change").count(), "the line lists each step with its diff");
        assertTrue(page.textContent(".change-line").contains("code changed in Fetch Patients, Load to DHIS2, Notify Team"),
                page.textContent(".change-line"));
        assertTrue(page.isVisible("#step .step-diff"), "the selected step shows what changed");
        assertEquals(1, page.locator("#workflow .node.selected[data-node='job:fetch-patients']").count(),
                "the selection survives the redrawn diagram");
        page.waitForSelector("#workflow .node.changed", new Page.WaitForSelectorOptions()
                .setState(WaitForSelectorState.DETACHED));
        screenshot(page, "global-session");

        page.click(".change-line .undo");
        page.waitForFunction("document.querySelectorAll('#workflow .node.job').length === 2");
        assertEquals(0, page.locator("#workflow .node.code-changed").count(), "nothing is marked after the undo");
        assertEquals(original, page.textContent("#step .code"), "the step's code is back");
    }
}
