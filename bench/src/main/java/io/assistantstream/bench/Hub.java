package io.assistantstream.bench;

import org.HdrHistogram.Histogram;

/**
 * A system that delivers a session's events to its subscribers: the relay on Payara or WildFly, or nginx with nchan
 * fed by a publisher. The benchmark runs the same scenarios, with the same readers, against each.
 */
interface Hub {

    /** One session on the relay, one channel on nchan: where its subscribers connect. */
    record Channel(String name, String sseUrl, String token, String webSocketUrl, String rawSsePath) {
    }

    /** Live heap after a full collection (-1 where there is no heap to speak of) and the resident set. */
    record Footprint(long heapBytes, long residentBytes) {
    }

    /** The system and its version, for the report. */
    String name();

    /** A short label for the table rows: relay or nchan. */
    String label();

    int port();

    /** A new session or channel, nobody subscribed yet. */
    Channel open() throws Exception;

    /** Starts one answer of {@code events} text deltas on the channel, {@code periodMicros} apart (0: flat out). */
    void stream(Channel channel, int events, long periodMicros) throws Exception;

    Footprint footprint() throws Exception;

    /** Returns once the subscribers of the scenario before have been let go (at most a minute). */
    void awaitNoSubscribers() throws Exception;

    /**
     * How old each text event was when the benchmark's own part of this hub's path had handed it on (nchan: its
     * publisher's POST written), since the last call; null when the hub has no such part (the relay reads its
     * upstream itself).
     */
    default Histogram takeHarnessAges() {
        return null;
    }
}
