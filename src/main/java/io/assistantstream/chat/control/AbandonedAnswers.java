package io.assistantstream.chat.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.RedisSettings;
import io.assistantstream.stream.control.EventLog;
import io.assistantstream.stream.control.EventLogUnavailable;
import io.assistantstream.stream.control.Nodes;
import io.assistantstream.stream.entity.ClientEvent;
import io.assistantstream.stream.entity.SequencedEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes answers whose server is gone: at start-up those an earlier run of this server left streaming, and every
 * {@code redis.sweep-seconds} those of any server of the cluster that stopped or died (its sign of life in Redis
 * expired). Each is stored as {@code server_restarted} and announced, so its session takes questions again and
 * its watchers, wherever they are, see it end.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AbandonedAnswers {

    private static final Logger LOG = Logger.getLogger(AbandonedAnswers.class.getName());

    @Inject
    ConversationStore store;

    @Inject
    RedisSettings redis;

    @Inject
    Nodes nodes;

    @Inject
    EventLog eventLog;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> sweeps;

    @PostConstruct
    void start() {
        sweep();
        long every = redis.sweep().toMillis();
        sweeps = scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
    }

    void sweep() {
        try {
            for (ChatMessage answer : store.streamingAnswers()) {
                if (answer.getNodeId() == null || !nodes.isAlive(answer.getNodeId())) {
                    close(answer);
                }
            }
        } catch (EventLogUnavailable e) {
            LOG.fine(() -> "Skipped the sweep for abandoned answers: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The sweep for abandoned answers failed; it runs again in " + redis.sweep().toSeconds() + " s", e);
        }
    }

    private void close(ChatMessage answer) {
        ChatMessage closed = store.failAbandoned(answer.getId(), relayedText(answer).orElse(null));
        if (closed != null) {
            LOG.warning(() -> "Answer " + closed.getId() + " of session " + closed.getSessionId() + " was still "
                    + "streaming on a server that stopped (" + closed.getNodeId() + "); it is now stored with status "
                    + "error (code server_restarted) and the session takes questions again");
            eventLog.publish(new ClientEvent.StreamingError(closed.getSessionId(), closed.getId(),
                    new ClientEvent.ErrorBody(closed.getErrorCode(), closed.getErrorMessage())));
        }
    }

    /**
     * The answer's text as its server relayed it, read from the session's retained events (on Redis): up to its
     * last chunk, where the text stored while it streamed may be up to {@code stream.partial-save-millis} behind.
     */
    private Optional<String> relayedText(ChatMessage answer) {
        if (answer.getFirstEventId() == null) {
            return Optional.empty();
        }
        return eventLog.retainedAfter(answer.getSessionId(), answer.getFirstEventId()).map(events -> {
            StringBuilder text = new StringBuilder();
            for (SequencedEvent event : events) {
                if ("streaming_chunk".equals(event.name())) {
                    JsonNode chunk = Json.readStored(event.dataJson());
                    if (answer.getId().equals(Json.text(chunk, "message_id"))) {
                        text.append(Json.text(chunk, "content"));
                    }
                }
            }
            return text.toString();
        });
    }
}
