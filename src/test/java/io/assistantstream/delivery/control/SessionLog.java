package io.assistantstream.delivery.control;

import io.assistantstream.stream.control.EventWindow;
import io.assistantstream.stream.control.ReadFrom;
import io.assistantstream.stream.entity.SequencedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** One session's window as its channel drives it: events appended, attached subscribers woken. */
final class SessionLog {

    final EventWindow window;
    private final List<LogSubscriber> attached = new ArrayList<>();

    SessionLog(int capacity) {
        window = new EventWindow(capacity, 0);
    }

    /** Attaches from now on: only events published later are read. */
    <S extends LogSubscriber> S attach(S subscriber) {
        return attach(subscriber, OptionalLong.empty());
    }

    <S extends LogSubscriber> S attach(S subscriber, OptionalLong lastSeenId) {
        attached.add(subscriber);
        subscriber.attached(ReadFrom.resolve("s", window, lastSeenId, window.lastId()));
        subscriber.wake();
        return subscriber;
    }

    void publish(SequencedEvent event) {
        window.append(event);
        attached.forEach(LogSubscriber::wake);
    }

    /** Events with ids from {@code first} to {@code last}, made by {@code event}. */
    void publish(long first, long last, java.util.function.LongFunction<SequencedEvent> event) {
        for (long id = first; id <= last; id++) {
            publish(event.apply(id));
        }
    }
}
