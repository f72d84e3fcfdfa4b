package io.assistantstream.changes.entity;

import io.assistantstream.stream.entity.ClientEvent;
import java.util.List;

/**
 * What became of one structured change: {@code yaml} or {@code code} carries the content (absent when it could
 * not be read), {@code codeDiffs} what a global session's workflow did to each step's code (null elsewhere). A
 * duplicate names the change it repeats.
 */
public record ChangeOutcome(String changeId, ChangeKind kind, String yaml, String code, String diff,
                            List<ClientEvent.CodeDiff> codeDiffs, ChangeStatus status, String error) {

    /** Whether the change took effect (applied or proposed), and so belongs to the answer's list of changes. */
    public boolean tookEffect() {
        return status.tookEffect();
    }

    public boolean isDuplicate() {
        return status == ChangeStatus.DUPLICATE;
    }
}
