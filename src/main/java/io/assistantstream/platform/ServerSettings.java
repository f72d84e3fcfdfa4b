package io.assistantstream.platform;

import java.time.Duration;
import java.util.Map;

/**
 * How a server stops ({@code server.*}): asked to stop, it takes no new questions and lets the answers it reads run
 * to their end for at most {@code drain}, then stops those left as {@code server_stopping}.
 */
public record ServerSettings(Duration drain) {

    static ServerSettings read(SettingsReader in) {
        return SettingsReader.bind(ServerSettings.class, Map.of(
                "drain", in.seconds("server.drain-seconds", 120, 0, 3600)));
    }
}
