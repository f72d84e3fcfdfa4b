package io.assistantstream.upstream.entity;

/**
 * The CDI event fired once per upstream event, in arrival order, on the thread that reads the answer:
 * synchronous observers see one answer's events strictly in sequence.
 */
public record UpstreamSignal(AnswerRef answer, UpstreamEvent event) {
}
