package io.assistantstream.changes.control;

import io.assistantstream.changes.entity.ChangeContext;
import io.assistantstream.changes.entity.ChangeOutcome;
import io.assistantstream.upstream.entity.ProposedChange;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The seam where a structured change enters: it decides what the change is and whether it is new, and the
 * pipeline announces the outcome before relaying anything that came after the change.
 *
 * <p>For now every readable change is {@code proposed} and deduplicated within its answer only (the final
 * {@code complete} repeats the streamed change); validation, storage and applying come with the change service.
 */
@ApplicationScoped
public class ChangeIntake {

    public ChangeOutcome receive(ChangeContext context, ProposedChange change) {
        String kind = context.workflowSession() ? ChangeOutcome.KIND_WORKFLOW : ChangeOutcome.KIND_JOB_CODE;
        if (change instanceof ProposedChange.WorkflowYaml workflow) {
            return outcome(context, ChangeOutcome.KIND_WORKFLOW, workflow.yaml(), null, null);
        }
        if (change instanceof ProposedChange.JobCode job) {
            return outcome(context, ChangeOutcome.KIND_JOB_CODE, null, job.code(), null);
        }
        if (change instanceof ProposedChange.JobCodeEdits edits) {
            try {
                String code = CodeEdits.apply(context.currentJobCode(), edits.edits());
                return outcome(context, ChangeOutcome.KIND_JOB_CODE, null, code, null);
            } catch (CodeEdits.EditFailedException e) {
                return outcome(context, ChangeOutcome.KIND_JOB_CODE, null, null, e.getMessage());
            }
        }
        return outcome(context, kind, null, null, ((ProposedChange.Unreadable) change).reason());
    }

    private static ChangeOutcome outcome(ChangeContext context, String kind, String yaml, String code, String error) {
        String content = yaml != null ? yaml : code != null ? code : error;
        boolean firstTime = context.seenDigests().add(kind + ":" + digest(content));
        String status = !firstTime ? ChangeOutcome.DUPLICATE
                : error != null ? ChangeOutcome.INVALID : ChangeOutcome.PROPOSED;
        return new ChangeOutcome(UUID.randomUUID().toString(), kind, yaml, code, null, status, error);
    }

    /** SHA-256 of the content with every line end made LF, so CRLF and LF copies of one change are one change. */
    static String digest(String content) {
        String normalised = content.replace("\r\n", "\n").replace('\r', '\n');
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
