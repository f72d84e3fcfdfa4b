package io.assistantstream.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects what one test client receives and lets the test wait for a given event. */
class Recorder {

    private final String label;
    private final List<Received> events = new ArrayList<>();

    Recorder(String label) {
        this.label = label;
    }

    synchronized void add(Received event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<Received> events() {
        return List.copyOf(events);
    }

    synchronized Received await(Predicate<Received> condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (Received event : events) {
                if (condition.test(event)) {
                    return event;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail(label + " did not receive the awaited event within " + timeoutMillis + " ms; it got " + summary());
            }
            wait(left);
        }
    }

    /** The events of one answer: from its question's message_created up to its end. */
    synchronized List<Received> answer(String questionId, String answerId) {
        List<Received> result = new ArrayList<>();
        boolean inside = false;
        for (Received event : events) {
            if ("message_created".equals(event.name())
                    && questionId.equals(event.data().path("message").path("id").asText())) {
                inside = true;
            }
            if (inside) {
                result.add(event);
                if (event.endsAnswer(answerId)) {
                    break;
                }
            }
        }
        return result;
    }

    /** The count and the last few events: a large stream would flood the test report. */
    private String summary() {
        List<Received> last = events.subList(Math.max(0, events.size() - 5), events.size());
        return events.size() + " events, ending " + last.stream()
                .map(e -> e.name() + "#" + e.id() + " " + abbreviate(e.data().toString())).toList();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    @Override
    public String toString() {
        return label;
    }
}
