package io.assistantstream.chat.control;

import io.assistantstream.platform.DemoSettings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.control.ApolloClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * At deployment: says which AI service answers will go to (and
 * whether it is reachable, without failing the deployment when it is not), and in demo mode prints what to open.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
public class StartupReport {

    private static final Logger LOG = Logger.getLogger(StartupReport.class.getName());

    @Inject
    ApolloClient apollo;

    @Inject
    UpstreamSettings settings;

    @Inject
    DemoSettings demo;

    @Resource
    ManagedExecutorService executor;

    @PostConstruct
    void report() {
        settings.apolloUrl().ifPresentOrElse(
                url -> executor.execute(() -> checkReachable(url)),
                () -> LOG.info(demo.demoUpstreamEnabled()
                        ? "No APOLLO_URL set: answers come from the demo upstream inside this WAR"
                        : "No AI service configured: every question will fail with upstream_not_configured. "
                        + "Set APOLLO_URL to Apollo's address, or demo.upstream.enabled=true for the demo"));
        demo.demoPublicUrl().ifPresent(url -> executor.execute(() -> announceDemoOnceServing(url)));
    }

    /**
     * The welcome goes out once the page answers, so it is the last thing the demo prints (the server lists its
     * endpoints after the deployment, which would otherwise bury it); after a minute it goes out regardless.
     */
    private void announceDemoOnceServing(String baseUrl) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest live = HttpRequest.newBuilder(URI.create(baseUrl + "/api/health/live"))
                .timeout(Duration.ofSeconds(2)).build();
        long giveUpAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < giveUpAt) {
            try {
                if (client.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    Thread.sleep(500);
                    break;
                }
            } catch (IOException e) {
                // Not serving yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        announceDemo(baseUrl);
    }

    private void checkReachable(String url) {
        if (apollo.isReachable(url)) {
            LOG.info("The AI service at " + url + " is reachable (GET /livez). " + (settings.apolloApiKey().isPresent()
                    ? "Apollo 3 checks apollo.api-key only on a question, so the first answer shows whether it is "
                    + "accepted (GET /api/health: upstream.credential)"
                    : "No apollo.api-key is set: an Apollo that registers its clients will refuse every question "
                    + "with 401 until APOLLO_API_KEY is set"));
        } else {
            LOG.warning("The AI service at " + url + " does not answer; questions will fail with "
                    + "upstream_unreachable until it does. Check APOLLO_URL. GET /api/health shows the state");
        }
    }

    /** The demo's welcome: where to open the page, and a curl session (the token is captured, never printed). */
    private void announceDemo(String baseUrl) {
        String api = baseUrl + "/api";
        LOG.info(String.join(System.lineSeparator(),
                "",
                "  assistant-stream demo is ready.",
                "  Open:   " + baseUrl + "/",
                "  Or watch an answer stream with curl:",
                "    S=$(curl -s -X POST -H 'Content-Type: application/json' -d '{\"kind\":\"workflow\"}' " + api + "/sessions)",
                "    ID=$(echo \"$S\" | sed 's/.*\"id\":\"\\([^\"]*\\)\".*/\\1/'); "
                        + "TOKEN=$(echo \"$S\" | sed 's/.*\"token\":\"\\([^\"]*\\)\".*/\\1/')",
                "    curl -N \"" + api + "/sessions/$ID/events?access_token=$TOKEN\" &",
                "    curl -X POST -H \"X-Session-Token: $TOKEN\" -H 'Content-Type: application/json' "
                        + "-d '{\"content\":\"Run it every morning\"}' " + api + "/sessions/$ID/messages",
                ""));
    }
}
