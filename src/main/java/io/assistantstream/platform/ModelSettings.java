package io.assistantstream.platform;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which AI answers ({@code model.*}): Apollo (the default, at {@code apollo.url}), or a model asked directly over
 * OpenAI's Chat Completions API (OpenAI itself or any server that speaks it: vLLM, Ollama, llama.cpp, LM Studio,
 * Azure OpenAI, OpenRouter, Groq…) or Anthropic's Messages API. The {@code apollo.*} bounds on one answer (idle
 * time, total time, bytes) hold for every provider.
 */
public record ModelSettings(Provider provider, String baseUrl, Optional<String> apiKey, String name, int maxTokens,
                            int maxSteps) {

    /** Who is asked. */
    public enum Provider {
        APOLLO, OPENAI, ANTHROPIC;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean asksApollo() {
        return provider == Provider.APOLLO;
    }

    static ModelSettings read(SettingsReader in) {
        String named = in.text("model.provider", false).orElse("apollo").toUpperCase(Locale.ROOT);
        Provider provider = Provider.APOLLO;
        try {
            provider = Provider.valueOf(named);
        } catch (IllegalArgumentException e) {
            in.problems.add("model.provider=" + named.toLowerCase(Locale.ROOT) + ": must be apollo, openai or anthropic");
        }
        String defaultBase = provider == Provider.ANTHROPIC ? "https://api.anthropic.com/v1" : "https://api.openai.com/v1";
        String baseUrl = in.httpUrl("model.base-url", "http://127.0.0.1:11434/v1").orElse(defaultBase);
        Optional<String> apiKey = in.text("model.api-key", true);
        Optional<String> name = in.text("model.name", false);
        if (!provider.equals(Provider.APOLLO) && name.isEmpty()) {
            in.problems.add("model.name: must be set with model.provider=" + provider.wireName()
                    + " (the model to ask, e.g. gpt-4.1-mini, claude-sonnet-4-5 or llama3.2 on a local Ollama)");
        }
        if (provider == Provider.ANTHROPIC && apiKey.isEmpty()) {
            in.problems.add("model.api-key: must be set with model.provider=anthropic (Anthropic's API key)");
        }
        return SettingsReader.bind(ModelSettings.class, Map.of(
                "provider", provider,
                "baseUrl", baseUrl,
                "apiKey", apiKey,
                "name", name.orElse(""),
                "maxTokens", in.integer("model.max-tokens", 4096, 16, 1_000_000),
                "maxSteps", in.integer("model.max-steps", 4, 1, 16)));
    }
}
