package io.assistantstream.upstream.model;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.assistantstream.platform.ModelSettings;
import io.assistantstream.platform.UpstreamSettings;
import io.assistantstream.upstream.control.AnswerBudget;
import io.assistantstream.upstream.control.UpstreamCall;
import io.assistantstream.upstream.control.UpstreamHttp;
import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.ApolloQuestion;
import io.assistantstream.upstream.entity.UpstreamSignal;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * Asks a model directly ({@code model.provider=openai|anthropic}) through LangChain4j's streaming chat models, on
 * the relay's own HTTP client: one {@link UpstreamSignal} per event, as for Apollo, each answer read on a
 * container-managed thread and ended by exactly one terminal event.
 */
@ApplicationScoped
public class ModelClient {

    @Resource
    ManagedExecutorService executor;

    @Inject
    Event<UpstreamSignal> signals;

    @Inject
    UpstreamSettings limits;

    @Inject
    ModelSettings model;

    @Inject
    UpstreamHttp http;

    /** Starts asking for an answer in the background; the returned handle cancels it. */
    public UpstreamCall start(AnswerRef answer, ApolloQuestion question) {
        UpstreamCall call = new UpstreamCall(answer);
        RelayHttpClient client = new RelayHttpClient(http, answer, call, limits,
                new AnswerBudget(limits, System.nanoTime()), wire(model));
        ModelAnswer asked = new ModelAnswer(answer, question, call, model, limits, client,
                relay -> chatModel(model, relay), event -> signals.fire(new UpstreamSignal(answer, event)));
        executor.execute(asked::run);
        return call;
    }

    /** How a provider's stream ends properly and what an error in it means. */
    static RelayHttpClient.Wire wire(ModelSettings model) {
        ModelRefusals refusals = new ModelRefusals(model);
        return model.provider() == ModelSettings.Provider.ANTHROPIC
                ? new RelayHttpClient.Wire(event -> "message_stop".equals(event.type()), refusals)
                : new RelayHttpClient.Wire(event -> "[DONE]".equals(event.data().strip()), refusals);
    }

    /** The provider's streaming chat model, reading through {@code relay}; its reasoning streamed where it has one. */
    static StreamingChatModel chatModel(ModelSettings model, RelayHttpClient relay) {
        if (model.provider() == ModelSettings.Provider.ANTHROPIC) {
            return AnthropicStreamingChatModel.builder()
                    .httpClientBuilder(relay.asBuilder())
                    .baseUrl(model.baseUrl())
                    .apiKey(model.apiKey().orElseThrow())
                    .modelName(model.name())
                    .maxTokens(model.maxTokens())
                    .returnThinking(true)
                    .build();
        }
        return OpenAiStreamingChatModel.builder()
                .httpClientBuilder(relay.asBuilder())
                .baseUrl(model.baseUrl())
                // A local server (Ollama, llama.cpp) takes no key; the client still sends the header.
                .apiKey(model.apiKey().orElse("none"))
                .modelName(model.name())
                .maxTokens(model.maxTokens())
                .returnThinking(true)
                .build();
    }
}
