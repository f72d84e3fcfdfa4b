package io.assistantstream.upstream.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A question as Apollo's {@code workflow_chat} or {@code job_chat} takes it: the text, the conversation so far,
 * the {@code meta} the service returned last time, and what the question is about: the workflow's YAML (a
 * workflow session) or the job (a job session, with {@code job} set).
 */
public record ApolloQuestion(String content, List<Turn> history, JsonNode meta, String existingYaml, Job job) {

    /** One earlier message of the conversation. */
    public record Turn(String role, String content) {
    }

    /** The job a job session is about. */
    public record Job(String code, String adaptor, String name) {
    }

    public String service() {
        return job == null ? "workflow_chat" : "job_chat";
    }
}
