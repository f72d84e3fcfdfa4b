package io.assistantstream.stream.control;

/**
 * The servers sharing the event log, each known by an id of its current run. An answer records the node that
 * reads it; when that node is no longer alive, any server may close the answer, so a session never stays blocked
 * by an answer nobody reads.
 */
public interface Nodes {

    /** This server's id for this run. */
    String self();

    /**
     * Whether the node still runs.
     *
     * @throws EventLogUnavailable when that cannot be told now
     */
    boolean isAlive(String nodeId);
}
