package io.assistantstream.platform;

import java.time.Duration;
import java.util.Map;

/**
 * What one caller may spend ({@code quota.*}): sessions created and questions asked per window, answers streaming
 * at once, and subscribers connected at once (per server, see the README).
 */
public record QuotaSettings(int sessions, Duration sessionsWindow, int questions, Duration questionsWindow,
                            int streamingAnswers, int subscribers) {

    static QuotaSettings read(SettingsReader in) {
        return SettingsReader.bind(QuotaSettings.class, Map.of(
                "sessions", in.integer("quota.sessions", 30, 1, 1_000_000),
                "sessionsWindow", in.seconds("quota.sessions-window-seconds", 3600, 1, 86_400),
                "questions", in.integer("quota.questions", 20, 1, 1_000_000),
                "questionsWindow", in.seconds("quota.questions-window-seconds", 60, 1, 86_400),
                "streamingAnswers", in.integer("quota.streaming-answers", 2, 1, 10_000),
                "subscribers", in.integer("quota.subscribers", 50, 1, 1_000_000)));
    }
}
