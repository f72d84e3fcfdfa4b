package io.assistantstream.delivery.control;

/**
 * When a subscriber's connection needs a heartbeat or a probe. A write to a connection the client closed succeeds
 * once (the peer answers it with a reset) and fails from the next one on; so for a transport that only learns of
 * a gone client by writing, a write that nothing followed for {@code probeAfterNanos} is followed by a probe, and
 * a heartbeat follows {@code heartbeatAfterNanos} of silence. A closed connection is noticed within
 * {@code probeAfterNanos} of the first write after its close.
 */
final class Liveness {

    enum Due { NOTHING, PROBE, HEARTBEAT }

    private volatile long lastWriteNanos = System.nanoTime();
    /** Whether a write followed the last one after a round trip, which proves the peer still reads. */
    private volatile boolean lastWriteConfirmed = true;

    void wrote(boolean probe, long nowNanos) {
        lastWriteConfirmed = probe;
        lastWriteNanos = nowNanos;
    }

    Due due(long nowNanos, long heartbeatAfterNanos, long probeAfterNanos, boolean detectsGoneClientsByWriting) {
        long silentFor = nowNanos - lastWriteNanos;
        if (!lastWriteConfirmed && detectsGoneClientsByWriting && silentFor >= probeAfterNanos) {
            return Due.PROBE;
        }
        return silentFor >= heartbeatAfterNanos ? Due.HEARTBEAT : Due.NOTHING;
    }
}
