package io.assistantstream.operations.control;

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
import java.util.logging.Logger;

/**
 * At deployment: says which AI service answers will go to and whether it is reachable, without failing the
 * deployment when it is not. The demo's welcome is {@code demo/control/DemoBanner}.
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
}
