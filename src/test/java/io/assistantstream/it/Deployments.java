package io.assistantstream.it;

import io.assistantstream.testing.RedisServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The built WAR as the tests deploy it, and where they reach it. */
final class Deployments {

    private Deployments() {
    }

    private static RedisServer sharedRedis;

    /**
     * The WAR from the package phase, with the given MicroProfile Config lines replacing its defaults. A run with
     * {@code assistantstream.redis=true} (the WildFly execution) puts every deployment on one real Redis, so the
     * whole suite also covers the shared event log, unless the test names a Redis of its own.
     */
    /** What tests that are not about callers and quotas run with (PayaraProcess sets it too). */
    static final Map<String, String> OPEN_AND_UNBOUNDED = Map.of("auth.mode", "open", "quota.sessions", "1000000",
            "quota.questions", "1000000", "quota.streaming-answers", "10000", "quota.subscribers", "1000000");

    static WebArchive war(String... configLines) {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class,
                new File(System.getProperty("assistantstream.war", "target/assistant-stream.war")));
        List<String> lines = new ArrayList<>(List.of(configLines));
        // Tests about something else run open, and the suite (every session from 127.0.0.1) within no quota.
        OPEN_AND_UNBOUNDED.forEach((key, value) -> {
            if (lines.stream().noneMatch(line -> line.startsWith(key + "="))) {
                lines.add(key + "=" + value);
            }
        });
        if (Boolean.getBoolean("assistantstream.redis") && lines.stream().noneMatch(l -> l.startsWith("redis.url="))) {
            lines.add("redis.url=" + sharedRedis().url());
        }
        return war.addAsResource(
                new StringAsset(String.join("\n", lines) + "\n"), "META-INF/microprofile-config.properties");
    }

    /**
     * The pipeline's deployment: the fake Apollo 3 with its key configured, short idle timeout, heartbeat and
     * attach grace so faults and heartbeats show within a test's patience.
     */
    static WebArchive againstApollo3(FakeApollo apollo) {
        return war("apollo.url=" + apollo.url(), "apollo.api-key=" + FakeApollo.KEY, "apollo.idle-timeout-seconds=3",
                "stream.heartbeat-seconds=1", "stream.websocket-attach-grace-millis=300");
    }

    private static synchronized RedisServer sharedRedis() {
        if (sharedRedis == null) {
            try {
                sharedRedis = RedisServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start redis-server for the tests (is it installed?)", e);
            }
            RedisServer started = sharedRedis;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return sharedRedis;
    }

    /** The deployment's address on loopback: the test server listens on 127.0.0.1 only. */
    static String root(URL base) {
        return "http://127.0.0.1:" + base.getPort() + base.getPath().replaceAll("/$", "");
    }
}
