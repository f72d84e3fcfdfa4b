package io.assistantstream.chat.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The answers streaming on this server, by assistant message id. */
@ApplicationScoped
public class LiveAnswers {

    private final ConcurrentMap<String, LiveAnswer> byMessageId = new ConcurrentHashMap<>();

    void add(LiveAnswer answer) {
        byMessageId.put(answer.messageId(), answer);
    }

    Optional<LiveAnswer> find(String messageId) {
        return Optional.ofNullable(byMessageId.get(messageId));
    }

    void remove(String messageId) {
        byMessageId.remove(messageId);
    }

    /** Every answer streaming on this server. */
    List<LiveAnswer> all() {
        return List.copyOf(byMessageId.values());
    }
}
