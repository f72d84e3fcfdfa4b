package io.assistantstream.upstream.control;

import io.assistantstream.upstream.entity.AnswerRef;
import io.assistantstream.upstream.entity.UpstreamEvent;
import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.function.Consumer;
import io.assistantstream.upstream.entity.ServerSentEvent;

/** Apollo's stream: each event decoded and handed on; it ends with Apollo's own {@code complete} or {@code error}. */
final class ApolloStream implements AnswerReader.Protocol {

    private final AnswerRef answer;
    private final Optional<String> apiKey;
    private final Consumer<UpstreamEvent> events;

    ApolloStream(AnswerRef answer, Optional<String> apiKey, Consumer<UpstreamEvent> events) {
        this.answer = answer;
        this.apiKey = apiKey;
        this.events = events;
    }

    @Override
    public UpstreamEvent.Failed refusal(int status, HttpHeaders headers, String body) {
        return Refusals.of(status, body, apiKey);
    }

    @Override
    public String setting() {
        return "APOLLO_URL";
    }

    @Override
    public boolean accept(ServerSentEvent event) {
        Optional<UpstreamEvent> decoded = ApolloEventDecoder.decode(answer, event);
        decoded.ifPresent(events);
        return decoded.map(UpstreamEvent::isTerminal).orElse(false);
    }
}
