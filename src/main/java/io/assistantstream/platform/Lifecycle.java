package io.assistantstream.platform;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this server is draining: asked to stop, it takes no new questions or subscribers (they get {@code 503}
 * with {@code Retry-After}, and readiness says so, so a balancer sends them to another server) while the answers
 * it reads run to their end.
 */
@ApplicationScoped
public class Lifecycle {

    /** Seconds a client is told to wait before it tries again: about when a balancer has moved it elsewhere. */
    public static final int RETRY_AFTER_SECONDS = 2;

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
