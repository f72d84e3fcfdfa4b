package io.assistantstream.demo.control;

import java.util.List;

/**
 * One canned answer of the demo service: the statuses before and after its text, the change it makes (a workflow,
 * code, or neither), its markdown, and the shape Apollo gives it ({@link Path}).
 */
public record DemoAnswer(List<String> statusesBefore, String statusAfter, String yaml, String code, String markdown,
                         Path path) {

    /** How the service delivers the answer (apollo-sse.md). */
    public enum Path {
        /** workflow_chat or job_chat: the change early in {@code changes}, repeated in {@code complete}. */
        CLASSIC,
        /** global_chat's planner: one status per tool, the whole workflow early, then all of the text at once. */
        GLOBAL_PLANNER,
        /** global_chat's step path: job_chat's events, the workflow only in {@code complete.attachments}. */
        GLOBAL_STEP,
        /** global_chat answering a question: text, and an empty {@code attachments}. */
        GLOBAL_QUESTION
    }

    static DemoAnswer classic(String statusBefore, String statusAfter, String yaml, String code, String markdown) {
        return new DemoAnswer(List.of(statusBefore), statusAfter, yaml, code, markdown, Path.CLASSIC);
    }

    public boolean isGlobal() {
        return path != Path.CLASSIC;
    }
}
