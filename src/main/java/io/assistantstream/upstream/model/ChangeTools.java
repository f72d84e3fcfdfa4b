package io.assistantstream.upstream.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.assistantstream.platform.Json;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.ToolReply;
import java.text.MessageFormat;
import java.util.List;
import java.util.Optional;

/**
 * The tools that are the model's change channel: {@code update_workflow {yaml}} for workflow and global sessions,
 * {@code propose_job_code {code}} for job sessions. A complete call becomes the change it carries (or an unreadable
 * one saying why), and the change's fate becomes the words the model reads in its next step.
 */
final class ChangeTools {

    static final String UPDATE_WORKFLOW = "update_workflow";
    static final String PROPOSE_JOB_CODE = "propose_job_code";

    private ChangeTools() {
    }

    /** The one tool a session of this question's kind may call. */
    static List<ToolSpecification> offeredFor(ApolloQuestion question) {
        String name = toolOf(question);
        String argument = UPDATE_WORKFLOW.equals(name) ? "yaml" : "code";
        return List.of(ToolSpecification.builder()
                .name(name)
                .description(Prompts.text(name + ".description"))
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty(argument, Prompts.text(name + "." + argument))
                        .required(argument)
                        .build())
                .build());
    }

    /** The change a complete call carries; a call that cannot be read, or of the wrong tool, says why. */
    static ProposedChange changeOf(ApolloQuestion question, String tool, String arguments) {
        if (!toolOf(question).equals(tool)) {
            return new ProposedChange.Unreadable("the model called " + tool + ", which a " + kindOf(question)
                    + " session does not offer");
        }
        String argument = UPDATE_WORKFLOW.equals(tool) ? "yaml" : "code";
        Optional<String> value = argument(arguments, argument);
        if (value.isEmpty()) {
            return new ProposedChange.Unreadable("the arguments of " + tool + " are not a JSON object with a string '"
                    + argument + "'");
        }
        return UPDATE_WORKFLOW.equals(tool) ? new ProposedChange.WorkflowYaml(value.get())
                : new ProposedChange.JobCode(value.get());
    }

    /** What the model is told of its call. */
    static String resultOf(Optional<ToolReply.Verdict> verdict) {
        if (verdict.isEmpty()) {
            return Prompts.text("result.not-taken");
        }
        String status = verdict.get().status();
        return switch (status) {
            case "applied", "proposed", "duplicate" -> Prompts.text("result." + status);
            default -> MessageFormat.format(Prompts.text("result.invalid"),
                    verdict.get().error() == null ? status : verdict.get().error());
        };
    }

    private static String toolOf(ApolloQuestion question) {
        return question.job() != null && question.global() == null ? PROPOSE_JOB_CODE : UPDATE_WORKFLOW;
    }

    private static String kindOf(ApolloQuestion question) {
        return question.global() != null ? "global" : question.job() != null ? "job" : "workflow";
    }

    private static Optional<String> argument(String arguments, String name) {
        try {
            JsonNode parsed = Json.read(arguments == null ? "" : arguments);
            JsonNode value = parsed.isObject() ? parsed.get(name) : null;
            return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
