package io.assistantstream.platform;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Timestamps as the database keeps them, so what the API shows is the same before and after a restart. */
public final class Timestamps {

    private Timestamps() {
    }

    /** Now, in UTC, to the microsecond: the precision of PostgreSQL's and H2's timestamps. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
