package io.assistantstream.caller.entity;

/** The quotas a caller spends, by the names a refusal gives them ({@code "quota"} of the 429 problem). */
public enum Quota {
    SESSIONS("sessions"),
    QUESTIONS("questions"),
    STREAMING_ANSWERS("streaming_answers"),
    SUBSCRIBERS("subscribers");

    private final String wireName;

    Quota(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
