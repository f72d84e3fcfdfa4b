package io.assistantstream.it;

import java.util.List;

/** What a client received, as the sequence of numbered events, and how two such sequences are compared. */
final class Sequences {

    private Sequences() {
    }

    static List<String> of(List<Received> events) {
        return events.stream().filter(e -> e.id() > 0).map(e -> e.name() + "#" + e.id()).toList();
    }

    /** Equal sequences, or a message that shows where they part. */
    static void assertSame(List<String> expected, List<String> actual, String label) {
        int i = 0;
        while (i < Math.min(expected.size(), actual.size()) && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        if (i < expected.size() || i < actual.size()) {
            throw new AssertionError(label + " parts from the clean sequence at position " + i + " of "
                    + expected.size() + ": expected " + expected.subList(i, Math.min(i + 3, expected.size()))
                    + ", got " + actual.subList(Math.max(0, i - 2), Math.min(i + 3, actual.size())) + " (" + actual.size()
                    + " events)");
        }
    }
}
