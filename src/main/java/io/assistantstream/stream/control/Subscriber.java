package io.assistantstream.stream.control;

/**
 * Someone watching a session: a position in the session's {@link EventWindow} and a writer that reads onward from
 * it at its client's pace. The log never hands a subscriber events, only where to read and when there is more.
 * Both calls come with the session's lock held and must never block: a transport notes them and reads on its own
 * sender.
 */
public interface Subscriber {

    /** Reads from {@code start} from now on, in place of where it read before when it was attached already. */
    void attached(ReadFrom start);

    /** The session's window has events past what it has read. */
    void wake();

    /**
     * The log can no longer feed this subscriber (its store went away): it should end its stream with a
     * retryable signal, so its client resumes from its last id once the log is back.
     */
    default void interrupted() {
    }
}
