package io.assistantstream.demo.control;

import io.assistantstream.platform.DemoSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
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

/** With {@code demo.public-url} set (the demo command sets it), prints what to open once the page answers. */
@Singleton
@Startup
public class DemoBanner {

    private static final Logger LOG = Logger.getLogger(DemoBanner.class.getName());

    @Inject
    DemoSettings demo;

    @Resource
    ManagedExecutorService executor;

    @PostConstruct
    void announce() {
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
