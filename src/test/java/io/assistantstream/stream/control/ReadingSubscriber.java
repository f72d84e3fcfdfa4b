package io.assistantstream.stream.control;

import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A subscriber that reads everything the moment it is woken, on the waking thread, and keeps what it read. */
public class ReadingSubscriber implements Subscriber {

    public final List<SequencedEvent> events = new CopyOnWriteArrayList<>();
    public final AtomicInteger interruptions = new AtomicInteger();
    /** Set when a read found its position below the window. */
    public volatile boolean fellBehind;
    private final Consumer<SequencedEvent> onEvent;
    private ReadFrom from;
    private long position;

    public ReadingSubscriber() {
        this(event -> {
        });
    }

    public ReadingSubscriber(Consumer<SequencedEvent> onEvent) {
        this.onEvent = onEvent;
    }

    @Override
    public synchronized void attached(ReadFrom start) {
        from = start;
        position = start.position();
        if (start.notice() != null) {
            take(start.notice());
        }
    }

    @Override
    public synchronized void wake() {
        List<SequencedEvent> read = new ArrayList<>();
        if (!from.window().readAfter(position, Integer.MAX_VALUE, read)) {
            fellBehind = true;
            return;
        }
        for (SequencedEvent event : read) {
            take(event);
            position = event.id();
        }
    }

    private void take(SequencedEvent event) {
        events.add(event);
        onEvent.accept(event);
    }

    @Override
    public void interrupted() {
        interruptions.incrementAndGet();
    }

    /** The ids of the events read, notices (id 0) included. */
    public List<Long> ids() {
        return events.stream().map(SequencedEvent::id).toList();
    }

    public boolean has(long id) {
        return events.stream().anyMatch(e -> e.id() == id);
    }
}
