package io.assistantstream.chat.entity;

import java.util.Locale;

/** A message's life: an answer streams, then ends complete, in error, or cancelled. */
public enum MessageStatus {
    STREAMING, COMPLETE, ERROR, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
