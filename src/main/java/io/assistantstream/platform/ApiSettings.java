package io.assistantstream.platform;

import java.util.Map;

/** Bounds on what a client may send ({@code api.*}). */
public record ApiSettings(int maxBodyBytes, int maxMessageChars) {

    static ApiSettings read(SettingsReader in) {
        int maxBodyBytes = in.integer("api.max-body-bytes", 65536, 1024, 16 << 20);
        return SettingsReader.bind(ApiSettings.class, Map.of(
                "maxBodyBytes", maxBodyBytes,
                "maxMessageChars", in.integer("api.max-message-chars", 16000, 1, maxBodyBytes)));
    }
}
