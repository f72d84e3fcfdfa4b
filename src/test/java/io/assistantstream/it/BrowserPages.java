package io.assistantstream.it;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The assistant page in a real headless Chromium (Debian's), driven by Playwright: the browser, a fresh context
 * and page per test (each page sampling the answer on every animation frame, as the user would see it), and the
 * steps every page test takes.
 */
abstract class BrowserPages extends AgainstDeployment {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static Playwright playwright;
    static Browser browser;

    BrowserContext context;
    Page page;
    final List<String> dialogs = new CopyOnWriteArrayList<>();

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
                    highlighted: !!document.querySelector('#workflow .node.changed'),
                    complete: !!document.querySelector('.message.assistant:last-of-type[data-complete]') });
                  requestAnimationFrame(sample);
                };
                requestAnimationFrame(sample);
                """);
        return opened;
    }

    String startSession(Page on, String kind) {
        on.navigate(root() + "/");
        on.click("#new-" + kind);
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
}
