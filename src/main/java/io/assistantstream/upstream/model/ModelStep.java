package io.assistantstream.upstream.model;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.assistantstream.upstream.entity.FailureCode;
import io.assistantstream.upstream.entity.ProposedChange;
import io.assistantstream.upstream.entity.ToolReply;
import io.assistantstream.upstream.entity.UpstreamEvent;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One streamed request of a model's answer, as LangChain4j reports it: text is handed on as it comes, the model's
 * reasoning becomes one "Thinking…" status, a tool call that starts says what it is writing, and a complete call's
 * change is handed on at once (applied or proposed before anything after it is read), its verdict kept for the
 * next step. It ends with the response, or with the one failure that stopped it.
 */
final class ModelStep implements StreamingChatResponseHandler {

    private final ApolloQuestion question;
    private final Consumer<UpstreamEvent> events;
    private final Map<String, ToolReply> replies = new HashMap<>();
    private final Set<Integer> toolsStarted = new HashSet<>();
    private final StringBuilder text = new StringBuilder();
    private boolean thinkingShown;
    private ChatResponse response;
    private UpstreamEvent.Failed failure;

    ModelStep(ApolloQuestion question, Consumer<UpstreamEvent> events) {
        this.question = question;
        this.events = events;
    }

    @Override
    public void onPartialResponse(String partial) {
        if (!partial.isEmpty()) {
            text.append(partial);
            events.accept(new UpstreamEvent.TextDelta(partial));
        }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        if (!thinkingShown) {
            thinkingShown = true;
            events.accept(new UpstreamEvent.StatusLine("Thinking…"));
        }
    }

    @Override
    public void onPartialToolCall(PartialToolCall partial) {
        if (toolsStarted.add(partial.index())) {
            events.accept(new UpstreamEvent.StatusLine(ChangeTools.PROPOSE_JOB_CODE.equals(partial.name())
                    ? "Writing the job's code…" : "Changing the workflow…"));
        }
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall complete) {
        handOn(complete.toolExecutionRequest());
    }

    /** Hands on a call's change once: a provider that reports calls only in its response gets them handed on there. */
    void handOn(ToolExecutionRequest call) {
        if (replies.containsKey(call.id())) {
            return;
        }
        ProposedChange change = ChangeTools.changeOf(question, call.name(), call.arguments());
        ToolReply reply = new ToolReply();
        replies.put(call.id(), reply);
        events.accept(new UpstreamEvent.ToolChange(change, reply));
    }

    @Override
    public void onCompleteResponse(ChatResponse complete) {
        response = complete;
    }

    @Override
    public void onError(Throwable error) {
        if (failure != null) {
            return;
        }
        failure = error instanceof RelayHttpClient.Stopped stopped ? stopped.failure
                : new UpstreamEvent.Failed(FailureCode.UPSTREAM_PROTOCOL_ERROR,
                "The model provider sent something the relay cannot read: " + error.getMessage());
    }

    /** What the model is told of a call it made in this step. */
    String resultOf(ToolExecutionRequest call) {
        ToolReply reply = replies.get(call.id());
        return ChangeTools.resultOf(reply == null ? Optional.empty() : reply.verdict());
    }

    String text() {
        return text.toString();
    }

    /** The response, or null when the step failed. */
    ChatResponse response() {
        return failure == null ? response : null;
    }

    UpstreamEvent.Failed failure() {
        return failure != null || response != null ? failure
                : new UpstreamEvent.Failed(FailureCode.UPSTREAM_DISCONNECTED,
                "The model provider's stream ended without its final event");
    }
}
