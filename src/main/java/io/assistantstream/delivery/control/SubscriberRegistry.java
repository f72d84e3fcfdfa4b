package io.assistantstream.delivery.control;

import io.assistantstream.delivery.entity.Transport;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * Who is connected to this server: every subscriber, by session and by the caller whose quota it counts against,
 * kept in step under one lock, and the bounds a newcomer must fit.
 */
final class SubscriberRegistry {

    /** Which bound left no room. */
    enum Bound { SERVER, SESSION, OWNER }

    /** A bound that is full, and the subscribers that fill it (to be probed for clients that left). */
    record Full(Bound bound, Set<LogSubscriber> holders) {
    }

    private final Set<LogSubscriber> connected = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<LogSubscriber>> perSession = new ConcurrentHashMap<>();
    private final Map<String, Set<LogSubscriber>> perOwner = new ConcurrentHashMap<>();
    private final Map<LogSubscriber, String> owners = new ConcurrentHashMap<>();
    private final int maxSubscribers;
    private final int maxPerSession;
    private final IntPredicate ownerMayAddTo;

    /** {@code ownerMayAddTo} tells whether an owner with that many subscribers may have another one. */
    SubscriberRegistry(int maxSubscribers, int maxPerSession, IntPredicate ownerMayAddTo) {
        this.maxSubscribers = maxSubscribers;
        this.maxPerSession = maxPerSession;
        this.ownerMayAddTo = ownerMayAddTo;
    }

    /** Null once added; else the bound that leaves no room for it. */
    synchronized Full tryAdd(LogSubscriber subscriber, String owner) {
        Set<LogSubscriber> ofSession = perSession.getOrDefault(subscriber.sessionId(), Set.of());
        Set<LogSubscriber> ofOwner = perOwner.getOrDefault(owner, Set.of());
        if (connected.size() >= maxSubscribers) {
            return new Full(Bound.SERVER, connected);
        }
        if (ofSession.size() >= maxPerSession) {
            return new Full(Bound.SESSION, ofSession);
        }
        if (!ownerMayAddTo.test(ofOwner.size())) {
            return new Full(Bound.OWNER, ofOwner);
        }
        perSession.computeIfAbsent(subscriber.sessionId(), id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        perOwner.computeIfAbsent(owner, id -> ConcurrentHashMap.newKeySet()).add(subscriber);
        owners.put(subscriber, owner);
        connected.add(subscriber);
        return null;
    }

    synchronized void remove(LogSubscriber subscriber) {
        if (connected.remove(subscriber)) {
            perSession.computeIfPresent(subscriber.sessionId(), (id, subscribers) -> without(subscribers, subscriber));
            perOwner.computeIfPresent(owners.remove(subscriber), (id, subscribers) -> without(subscribers, subscriber));
        }
    }

    /** The set without the subscriber, or null (no entry) once it is empty. */
    private static Set<LogSubscriber> without(Set<LogSubscriber> subscribers, LogSubscriber subscriber) {
        subscribers.remove(subscriber);
        return subscribers.isEmpty() ? null : subscribers;
    }

    void forEach(Consumer<LogSubscriber> action) {
        connected.forEach(action);
    }

    /** Sessions with at least one subscriber here. */
    int sessions() {
        return perSession.size();
    }

    long count(Transport transport) {
        return connected.stream().filter(subscriber -> subscriber.transport() == transport).count();
    }

    Map<Transport, Long> countsByTransport() {
        Map<Transport, Long> counts = new EnumMap<>(Transport.class);
        for (Transport transport : Transport.values()) {
            counts.put(transport, 0L);
        }
        connected.forEach(subscriber -> counts.merge(subscriber.transport(), 1L, Long::sum));
        return counts;
    }
}
