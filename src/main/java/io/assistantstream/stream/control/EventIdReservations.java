package io.assistantstream.stream.control;

/**
 * Hands out blocks of event ids that no earlier server run has used, so ids keep increasing across restarts and a
 * client resuming with an id from before a restart is never mistaken for a current one.
 */
public interface EventIdReservations {

    /** How many ids one reservation takes: one database write per this many events of a session. */
    int BLOCK = 10_000;

    /** Reserves {@code size} ids for the session and returns the last id used before the block. */
    long reserve(String sessionId, int size);
}
