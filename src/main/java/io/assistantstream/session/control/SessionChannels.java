package io.assistantstream.session.control;

import io.assistantstream.platform.RelaySettings;
import io.assistantstream.session.entity.ClientEvent;
import io.assistantstream.session.entity.SequencedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Where every client event of every session is numbered and fanned out to that session's subscribers. */
@ApplicationScoped
public class SessionChannels {

    @Inject
    RelaySettings settings;

    @Inject
    EventIdReservations reservations;

    private final ConcurrentMap<String, SessionChannel> channels = new ConcurrentHashMap<>();

    public SequencedEvent publish(ClientEvent event) {
        return channel(event.sessionId()).publish(event);
    }

    public void attach(String sessionId, Subscriber subscriber, OptionalLong lastSeenId) {
        channel(sessionId).attach(subscriber, lastSeenId);
    }

    public void detach(String sessionId, Subscriber subscriber) {
        SessionChannel channel = channels.get(sessionId);
        if (channel != null) {
            channel.detach(subscriber);
        }
    }

    /** The id of the session's latest event, or 0 when it has none on this server yet. */
    public long lastId(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        return channel == null ? 0 : channel.lastId();
    }

    private SessionChannel channel(String sessionId) {
        return channels.computeIfAbsent(sessionId,
                id -> new SessionChannel(id, settings.replayBufferEvents(), reservations));
    }
}
