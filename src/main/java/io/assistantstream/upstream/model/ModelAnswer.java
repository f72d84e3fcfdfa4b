package io.assistantstream.upstream.model;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ModelSettings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.UpstreamEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One answer from a model, in steps (the Vercel AI SDK's tool loop): each step streams a request; when the model
 * called the session's tool, the change was applied or proposed as the call completed, the model is told what
 * became of it, and the next step streams its explanation under the same message. At most {@code model.max-steps}
 * steps: the last is asked without tools, so the model answers in words. Usage is summed over the steps; the
 * answer ends in exactly one {@code Completed} or {@code Failed}.
 */
final class ModelAnswer {

    private static final Logger LOG = Logger.getLogger(ModelAnswer.class.getName());

    private final AnswerRef answer;
    private final ApolloQuestion question;
    private final UpstreamCall call;
    private final ModelSettings model;
    private final UpstreamSettings limits;
    private final RelayHttpClient http;
    private final Function<RelayHttpClient, StreamingChatModel> models;
    private final Consumer<UpstreamEvent> events;

    ModelAnswer(AnswerRef answer, ApolloQuestion question, UpstreamCall call, ModelSettings model,
                UpstreamSettings limits, RelayHttpClient http, Function<RelayHttpClient, StreamingChatModel> models,
                Consumer<UpstreamEvent> events) {
        this.answer = answer;
        this.question = question;
        this.call = call;
        this.model = model;
        this.limits = limits;
        this.http = http;
        this.models = models;
        this.events = events;
    }

    void run() {
        try {
            events.accept(steps());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Asking " + model.provider().wireName() + " for answer " + answer.messageId()
                    + " of session " + answer.sessionId() + " failed inside the relay; it ends as internal_error", e);
            events.accept(new UpstreamEvent.Failed(FailureCode.INTERNAL_ERROR,
                    "The relay failed while asking the model; see the server log"));
        }
    }

    private UpstreamEvent steps() {
        List<ChatMessage> messages = new ArrayList<>(Prompts.conversation(question));
        List<ToolSpecification> tools = ChangeTools.offeredFor(question);
        StreamingChatModel chat = models.apply(http);
        StringBuilder text = new StringBuilder();
        TokenUsage usage = null;
        for (int step = 1; ; step++) {
            if (call.abortReason() != null) {
                return new UpstreamEvent.Failed(call.abortReason(), call.abortReason().message(limits));
            }
            boolean last = step == model.maxSteps();
            ModelStep streamed = new ModelStep(question, events);
            chat.chat(ChatRequest.builder().messages(messages).toolSpecifications(tools)
                    .toolChoice(last ? ToolChoice.NONE : ToolChoice.AUTO).build(), streamed);
            ChatResponse response = streamed.response();
            if (response == null) {
                return streamed.failure();
            }
            text.append(streamed.text());
            usage = TokenUsage.sum(usage, response.tokenUsage());
            List<ToolExecutionRequest> calls = response.aiMessage().hasToolExecutionRequests()
                    ? response.aiMessage().toolExecutionRequests() : List.of();
            calls.forEach(streamed::handOn);
            if (response.finishReason() == FinishReason.LENGTH) {
                return new UpstreamEvent.Failed(FailureCode.ANSWER_TRUNCATED, "The model stopped at its limit of "
                        + model.maxTokens() + " tokens (model.max-tokens), so the answer is incomplete; ask for less,"
                        + " or raise model.max-tokens");
            }
            if (calls.isEmpty() || last) {
                return completed(text.toString(), usage, step, !calls.isEmpty());
            }
            messages.add(response.aiMessage());
            calls.forEach(request -> messages.add(ToolExecutionResultMessage.from(request, streamed.resultOf(request))));
        }
    }

    /** {@code unanswered}: the last step still called a tool, which no step is left to explain. */
    private UpstreamEvent.Completed completed(String text, TokenUsage usage, int steps, boolean unanswered) {
        ObjectNode meta = Json.object().put("provider", model.provider().wireName()).put("model", model.name())
                .put("steps", steps);
        if (unanswered) {
            meta.put("stopped", "model.max-steps");
        }
        ObjectNode used = Json.object();
        if (usage != null) {
            putIfKnown(used, "input_tokens", usage.inputTokenCount());
            putIfKnown(used, "output_tokens", usage.outputTokenCount());
            putIfKnown(used, "total_tokens", usage.totalTokenCount());
        }
        return new UpstreamEvent.Completed(text, null, null, null, used, meta);
    }

    private static void putIfKnown(ObjectNode node, String field, Integer value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
