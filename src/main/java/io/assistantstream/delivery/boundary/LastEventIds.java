package io.assistantstream.delivery.boundary;

import io.assistantstream.platform.ProblemException;
import java.util.OptionalLong;

/** Reads a client's last event id, from a header, a query parameter or a resume frame. */
final class LastEventIds {

    private LastEventIds() {
    }

    static OptionalLong parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("The last event id must be a non-negative integer, not \"" + value + "\"");
        }
    }
}
