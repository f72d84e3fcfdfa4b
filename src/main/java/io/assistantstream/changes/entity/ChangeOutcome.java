package io.assistantstream.changes.entity;

/**
 * What became of one structured change: {@code status} is applied, proposed, duplicate or invalid; {@code kind}
 * is workflow or job_code; exactly one of {@code yaml} and {@code code} carries the content.
 */
public record ChangeOutcome(String changeId, String kind, String yaml, String code, String diff, String status,
                            String error) {

    public static final String KIND_WORKFLOW = "workflow";
    public static final String KIND_JOB_CODE = "job_code";
    public static final String PROPOSED = "proposed";
    public static final String DUPLICATE = "duplicate";
    public static final String INVALID = "invalid";

    /** Whether the change took effect (applied or proposed), and so belongs to the answer's list of changes. */
    public boolean tookEffect() {
        return !DUPLICATE.equals(status) && !INVALID.equals(status);
    }

    public boolean isDuplicate() {
        return DUPLICATE.equals(status);
    }
}
