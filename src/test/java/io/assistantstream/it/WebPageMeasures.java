package io.assistantstream.it;

import java.util.List;
import java.util.Map;

/** Pace and lag of a streamed answer, from the page's per-frame samples (for the test and its report). */
final class WebPageMeasures {

    static double wordsPerSecond;
    static double worstLagMillis;
    static double completeLagMillis;

    private WebPageMeasures() {
    }

    /** Computes the figures: the reveal rate while streaming, and how long revealed text trailed received text. */
    static void record(List<Map<String, Object>> samples) {
        double firstWordAt = -1;
        double lastStreamingAt = 0;
        int wordsWhileStreaming = 0;
        double worst = 0;
        for (int i = 0; i < samples.size(); i++) {
            Map<String, Object> sample = samples.get(i);
            double t = number(sample, "t");
            int words = (int) number(sample, "words");
            int shown = (int) number(sample, "shown");
            if (shown >= 0) {
                if (firstWordAt < 0 && words > 0) {
                    firstWordAt = t;
                }
                lastStreamingAt = t;
                wordsWhileStreaming = words;
                // The lag: how long ago the text now being revealed had already arrived.
                for (int j = 0; j <= i; j++) {
                    if (number(samples.get(j), "received") >= shown) {
                        worst = Math.max(worst, t - number(samples.get(j), "t"));
                        break;
                    }
                }
            }
        }
        worstLagMillis = worst;
        wordsPerSecond = firstWordAt < 0 ? 0 : wordsWhileStreaming / Math.max(0.001, (lastStreamingAt - firstWordAt) / 1000);
        System.out.println("Web page pacing: " + summary());
    }

    /** Time from the last frame with the pacer running (the stream was complete) to the answer shown complete. */
    static double completeLagMillis(List<Map<String, Object>> samples) {
        double lastStreaming = 0;
        for (Map<String, Object> sample : samples) {
            if (number(sample, "shown") >= 0) {
                lastStreaming = number(sample, "t");
            }
            if (Boolean.TRUE.equals(sample.get("complete"))) {
                completeLagMillis = number(sample, "t") - lastStreaming;
                return completeLagMillis;
            }
        }
        return Double.MAX_VALUE;
    }

    static String summary() {
        return String.format("%.0f words/s while streaming, worst lag %.0f ms, complete %.0f ms after the stream ended",
                wordsPerSecond, worstLagMillis, completeLagMillis);
    }

    private static double number(Map<String, Object> sample, String key) {
        Object value = sample.get(key);
        return value instanceof Number number ? number.doubleValue() : -1;
    }
}
