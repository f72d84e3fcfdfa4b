package io.assistantstream.platform;

import java.util.Map;

/** Bounds on a change the AI service proposes ({@code changes.*}). */
public record ChangeSettings(int maxChangeBytes) {

    static ChangeSettings read(SettingsReader in) {
        return SettingsReader.bind(ChangeSettings.class, Map.of(
                "maxChangeBytes", in.integer("changes.max-bytes", 262_144, 1024, 64 << 20)));
    }
}
