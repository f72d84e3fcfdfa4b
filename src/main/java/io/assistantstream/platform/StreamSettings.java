package io.assistantstream.platform;

import java.time.Duration;
import java.util.Map;

/**
 * The event log's retention, the bounds on its subscribers, and how often an answer's text so far is stored while
 * it streams ({@code stream.*}).
 */
public record StreamSettings(int replayBufferEvents, Duration replayRetention, long replayMaxEventsTotal,
                             Duration stallTimeout, int bytesInFlight, int maxSubscribersPerSession, int maxSubscribers,
                             int senderThreads, Duration heartbeatInterval, Duration websocketAttachGrace,
                             Duration partialSaveInterval) {

    static StreamSettings read(SettingsReader in) {
        int replayBufferEvents = in.integer("stream.replay-buffer-events", 5000, 1, 1_000_000);
        int maxSubscribers = in.integer("stream.max-subscribers", 10_000, 1, 1_000_000);
        in.retired("stream.subscriber-queue-events", "a subscriber is no longer cut off for a count of queued "
                + "events: only when it falls stream.replay-buffer-events behind or accepts no bytes for "
                + "stream.stall-seconds");
        return SettingsReader.bind(StreamSettings.class, Map.ofEntries(
                Map.entry("replayBufferEvents", replayBufferEvents),
                Map.entry("replayRetention", in.seconds("stream.replay-retention-seconds", 600, 1, 604_800)),
                Map.entry("replayMaxEventsTotal", in.number("stream.replay-max-events-total", 100_000, replayBufferEvents, 100_000_000)),
                Map.entry("stallTimeout", in.seconds("stream.stall-seconds", 10, 1, 600)),
                Map.entry("bytesInFlight", in.integer("stream.bytes-in-flight", 65_536, 4096, 16_777_216)),
                Map.entry("maxSubscribersPerSession", in.integer("stream.max-subscribers-per-session", 100, 1, maxSubscribers)),
                Map.entry("maxSubscribers", maxSubscribers),
                Map.entry("senderThreads", in.integer("stream.sender-threads", 64, 1, 1024)),
                Map.entry("heartbeatInterval", in.seconds("stream.heartbeat-seconds", 15, 1, 3600)),
                Map.entry("websocketAttachGrace", in.millis("stream.websocket-attach-grace-millis", 1000, 0, 60_000)),
                Map.entry("partialSaveInterval", in.millis("stream.partial-save-millis", 1000, 100, 60_000))));
    }
}
