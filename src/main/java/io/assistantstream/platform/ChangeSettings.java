package io.assistantstream.platform;

/** Bounds on a change the AI service proposes ({@code changes.*}). */
public record ChangeSettings(int maxChangeBytes) {
}
