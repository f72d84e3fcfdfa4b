package io.assistantstream.platform;

import java.util.Map;
import java.util.Optional;

/**
 * The demo AI service inside the WAR ({@code demo.*}); {@code pacePercent} scales its pauses (100: a model's
 * rhythm; less answers faster, for tests that only need the answer).
 */
public record DemoSettings(boolean demoUpstreamEnabled, Optional<String> demoPublicUrl, int pacePercent) {

    static DemoSettings read(SettingsReader in) {
        return SettingsReader.bind(DemoSettings.class, Map.of(
                "demoUpstreamEnabled", in.flag("demo.upstream.enabled", false),
                "demoPublicUrl", in.text("demo.public-url", false)
                        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
                "pacePercent", in.integer("demo.pace-percent", 100, 1, 1000)));
    }
}
