package io.assistantstream.platform;

import java.util.Optional;

/**
 * The demo AI service inside the WAR ({@code demo.*}); {@code pacePercent} scales its pauses (100: a model's
 * rhythm; less answers faster, for tests that only need the answer).
 */
public record DemoSettings(boolean demoUpstreamEnabled, Optional<String> demoPublicUrl, int pacePercent) {
}
