package io.assistantstream.platform;

import java.time.Duration;

/** The event log's retention and the bounds on its subscribers ({@code stream.*}). */
public record StreamSettings(int replayBufferEvents, Duration replayRetention, long replayMaxEventsTotal,
                             int subscriberQueueEvents, int maxSubscribersPerSession, int maxSubscribers,
                             int senderThreads, Duration heartbeatInterval, Duration websocketAttachGrace) {
}
