package io.assistantstream.chat.control;

import io.assistantstream.delivery.control.Subscriptions;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.RedisSettings;
import io.assistantstream.platform.ServerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A server asked to stop (SIGTERM, an undeploy) drains before any of its parts is torn down: it takes no new
 * questions or subscribers, lets the answers it reads run to their end for at most {@code server.drain-seconds},
 * and only then are those left stopped as {@code server_stopping} (by {@link ChatService}). On Redis its
 * subscribers are told at once to reconnect: another server has every event of their sessions and serves the rest
 * with no gap; on one server they stay until the answers end, since nobody else could serve them.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    @Inject
    Lifecycle lifecycle;

    @Inject
    LiveAnswers liveAnswers;

    @Inject
    ServerSettings server;

    @Inject
    RedisSettings redis;

    @Inject
    Subscriptions subscriptions;

    void onStop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) throws InterruptedException {
        lifecycle.startDraining();
        int reading = liveAnswers.all().size();
        LOG.info("Stopping: " + reading + " answer(s) streaming here may run for up to " + server.drain().toSeconds()
                + " s (server.drain-seconds); new questions and subscribers get 503 and readiness is 503 meanwhile"
                + (redis.enabled() ? "; subscribers are told to reconnect, another server serves them" : ""));
        if (redis.enabled()) {
            subscriptions.closeAll("The server is restarting; reconnect with your last event id, another server "
                    + "has the rest");
        }
        long started = System.nanoTime();
        long deadline = started + server.drain().toNanos();
        while (!liveAnswers.all().isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(100);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int left = liveAnswers.all().size();
        LOG.info(left == 0 ? "Drained: every answer here ended, after " + waited + " ms"
                : "Drain time over after " + waited + " ms: " + left + " answer(s) still streaming are stopped as "
                + "server_stopping (raise server.drain-seconds if answers this long are expected)");
    }
}
