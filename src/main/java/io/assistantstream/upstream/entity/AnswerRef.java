package io.assistantstream.upstream.entity;

/** Which answer an upstream event belongs to: the session and the assistant message being streamed. */
public record AnswerRef(String sessionId, String messageId) {
}
