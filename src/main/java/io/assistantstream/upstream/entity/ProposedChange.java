package io.assistantstream.upstream.entity;

import java.util.List;

/** The payload of an upstream {@code changes} event, in each shape the services send. */
public sealed interface ProposedChange {

    /** workflow_chat: the whole workflow as YAML. */
    record WorkflowYaml(String yaml) implements ProposedChange {
    }

    /** job_chat: the job's whole new code. */
    record JobCode(String code) implements ProposedChange {
    }

    /** job_chat when the service could not apply the model's edits itself: apply them in order. */
    record JobCodeEdits(List<CodeEdit> edits) implements ProposedChange {
    }

    /** A {@code changes} event that could not be read at all; {@code reason} says why. */
    record Unreadable(String reason) implements ProposedChange {
    }

    /** One edit: {@code replace} swaps {@code oldCode} (found exactly once) for {@code newCode}; {@code rewrite} replaces all. */
    record CodeEdit(String action, String oldCode, String newCode) {
    }
}
