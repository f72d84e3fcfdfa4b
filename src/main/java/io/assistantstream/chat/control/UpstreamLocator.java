package io.assistantstream.chat.control;

import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.platform.DemoSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Where the AI service is: {@code APOLLO_URL} when set; otherwise, with the demo upstream switched on, the demo
 * service inside this very WAR, reached over loopback on the port that served the latest API request (or at
 * {@code demo.public-url} before any request came).
 */
@ApplicationScoped
public class UpstreamLocator {

    static final String DEMO_PATH = "/demo-apollo";

    @Inject
    UpstreamSettings settings;

    @Inject
    DemoSettings demo;

    private volatile String learnedSelfUrl;

    /** Records this server's own address from a request it serves, for the demo upstream. */
    public void learnSelf(int localPort, String contextPath) {
        learnedSelfUrl = "http://127.0.0.1:" + localPort + contextPath;
    }

    public Optional<String> apolloUrl() {
        Optional<String> configured = settings.apolloUrl();
        if (configured.isPresent() || !demo.demoUpstreamEnabled()) {
            return configured;
        }
        return Optional.ofNullable(learnedSelfUrl).or(demo::demoPublicUrl).map(self -> self + DEMO_PATH);
    }
}
