package io.assistantstream.platform;

import java.util.Optional;

/** The demo AI service inside the WAR ({@code demo.*}). */
public record DemoSettings(boolean demoUpstreamEnabled, Optional<String> demoPublicUrl) {
}
