package io.assistantstream.delivery.boundary;

import io.assistantstream.caller.control.CallerTokens;
import io.assistantstream.delivery.control.HandshakePositions;
import io.assistantstream.delivery.control.Questions;
import io.assistantstream.delivery.control.Subscriptions;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.Lifecycle;
import io.assistantstream.platform.AuthSettings;
import io.assistantstream.platform.StreamSettings;
import io.assistantstream.session.control.SessionAccess;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What every WebSocket endpoint instance uses, injected once. The container makes an endpoint instance per
 * connection and injects it there; on Payara each injected field of an instance costs its own injection-point
 * metadata (about 250 bytes a field in the class histogram at 18,000 idle sockets), so the endpoint has one.
 * The endpoint holds the container's proxy of it, so it reads them through methods: a proxy's fields are empty.
 */
@ApplicationScoped
public class SocketServices {

    @Inject
    CallerTokens callerTokens;

    @Inject
    AuthSettings auth;

    @Inject
    Questions questions;

    @Inject
    SessionAccess access;

    @Inject
    Subscriptions subscriptions;

    @Inject
    ApiSettings settings;

    @Inject
    StreamSettings stream;

    @Inject
    HandshakePositions handshakePositions;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Lifecycle lifecycle;

    CallerTokens callerTokens() {
        return callerTokens;
    }

    AuthSettings auth() {
        return auth;
    }

    Questions questions() {
        return questions;
    }

    SessionAccess access() {
        return access;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    ApiSettings settings() {
        return settings;
    }

    StreamSettings stream() {
        return stream;
    }

    HandshakePositions handshakePositions() {
        return handshakePositions;
    }

    ManagedScheduledExecutorService scheduler() {
        return scheduler;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }
}
