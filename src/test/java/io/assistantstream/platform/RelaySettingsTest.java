package io.assistantstream.platform;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    /** The documented defaults, as MicroProfile Config would inject them. */
    private static RelaySettings defaults() {
        RelaySettings settings = new RelaySettings();
        settings.apolloUrl = Optional.of("http://apollo:3000");
        settings.apolloApiKey = Optional.empty();
        settings.connectTimeoutSeconds = 10;
        settings.idleTimeoutSeconds = 120;
        settings.maxEventBytes = 1 << 20;
        settings.maxResponseBytes = 8 << 20;
        settings.maxDurationSeconds = 600;
        settings.replayBufferEvents = 5000;
        settings.replayRetentionSeconds = 600;
        settings.replayMaxEventsTotal = 100_000;
        settings.subscriberQueueEvents = 1000;
        settings.maxSubscribersPerSession = 100;
        settings.maxSubscribers = 10_000;
        settings.senderThreads = 64;
        settings.heartbeatSeconds = 15;
        settings.websocketAttachGraceMillis = 1000;
        settings.maxBodyBytes = 65536;
        settings.maxMessageChars = 16000;
        settings.maxChangeBytes = 262144;
        settings.demoPublicUrl = Optional.empty();
        return settings;
    }

    @Test
    void theDefaultsAreAccepted() {
        assertTrue(defaults().problems().isEmpty(), defaults().problems().toString());
    }

    @Test
    void anEmptyReplayBufferFailsTheStartNamingKeyValueAndRange() {
        RelaySettings settings = defaults();
        settings.replayBufferEvents = 0;
        assertTrue(settings.problems().contains("stream.replay-buffer-events=0: must be from 1 to 1000000"),
                settings.problems().toString());
        IllegalStateException failure = assertThrows(IllegalStateException.class, settings::check);
        assertTrue(failure.getMessage().contains("stream.replay-buffer-events=0"));
    }

    @Test
    void anAddressThatIsNotHttpIsRefused() {
        RelaySettings settings = defaults();
        settings.apolloUrl = Optional.of("ftp://apollo");
        assertTrue(settings.problems().get(0).startsWith("apollo.url=ftp://apollo: must be an http://"));
    }

    @Test
    void moreSubscribersPerSessionThanPerServerIsRefused() {
        RelaySettings settings = defaults();
        settings.maxSubscribersPerSession = 20_000;
        assertTrue(settings.problems().get(0).startsWith("stream.max-subscribers-per-session=20000"));
    }
}
