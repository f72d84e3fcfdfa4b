package io.assistantstream.changes.entity;

/**
 * What became of one structured change: {@code status} is applied, proposed, duplicate or invalid; {@code kind}
 * is workflow or job_code; {@code yaml} or {@code code} carries the content (absent when it could not be read).
 * A duplicate names the change it repeats.
 */
public record ChangeOutcome(String changeId, String kind, String yaml, String code, String diff, String status,
                            String error) {

    public static final String KIND_WORKFLOW = "workflow";
    public static final String KIND_JOB_CODE = "job_code";
    public static final String APPLIED = "applied";
    public static final String PROPOSED = "proposed";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String DUPLICATE = "duplicate";
    public static final String INVALID = "invalid";

    /** Whether the change took effect (applied or proposed), and so belongs to the answer's list of changes. */
    public boolean tookEffect() {
        return APPLIED.equals(status) || PROPOSED.equals(status);
    }

    public boolean isDuplicate() {
        return DUPLICATE.equals(status);
    }
}
