package io.assistantstream.upstream.entity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What became of a tool call's change, told by whoever applied it and read by the model's next step. Events are
 * handed on synchronously, so the verdict is there when the hand-over returns; none means no live answer took it.
 */
public final class ToolReply {

    /** {@code status}: applied, proposed, invalid or duplicate (as in {@code streaming_changes}); {@code error}: why not. */
    public record Verdict(String status, String error) {
    }

    private final AtomicReference<Verdict> verdict = new AtomicReference<>();

    public void answer(String status, String error) {
        verdict.compareAndSet(null, new Verdict(status, error));
    }

    public Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict.get());
    }
}
