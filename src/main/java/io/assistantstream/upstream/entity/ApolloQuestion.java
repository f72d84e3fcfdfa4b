package io.assistantstream.upstream.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A question as one of Apollo's services takes it: the text, the conversation so far, the {@code meta} the
 * service returned last time, and what the question is about. A workflow session sends its workflow (workflow_chat),
 * a job session its job (job_chat, {@code job} set), a global session its workflow with every step's code and
 * where the user is (global_chat, {@code global} set).
 */
public record ApolloQuestion(String content, List<Turn> history, JsonNode meta, String workflowYaml, Job job,
                             Global global) {

    /** One earlier message of the conversation. */
    public record Turn(String role, String content) {
    }

    /** The job a job session is about. */
    public record Job(String code, String adaptor, String name) {
    }

    /**
     * What global_chat takes beside the workflow: the step the user looks at ({@code page}, may be null), what
     * the question is about ({@code attachments}), and who asks ({@code sessionId}, {@code userId}).
     */
    public record Global(String page, List<Attachment> attachments, String sessionId, String userId) {
    }

    /** A run's log or data sent with a question: {@code type} is one of {@link #TYPES}. */
    public record Attachment(String type, String content) {
        public static final List<String> TYPES =
                List.of("log", "input_dataclip", "output_dataclip", "run_input", "run_output");
    }

    public String service() {
        return global != null ? "global_chat" : job != null ? "job_chat" : "workflow_chat";
    }
}
