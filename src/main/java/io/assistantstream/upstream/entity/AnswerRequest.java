package io.assistantstream.upstream.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One call to the AI service: {@code service} is {@code job_chat}, {@code workflow_chat} or {@code global_chat}. */
public record AnswerRequest(AnswerRef answer, String service, String apolloUrl, ObjectNode body) {
}
