package io.assistantstream.demo.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a text into the uneven, bursty slices a real model streams: runs of a few tokens arriving almost at once,
 * ordinary gaps, and now and then a long stall. Seeded, so one question always streams the same way.
 */
public final class DemoRhythm {

    /** One slice of text and how long to wait before sending it. */
    public record Slice(String text, long pauseMillis) {
    }

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S{1,6}|\\s+");

    private DemoRhythm() {
    }

    public static List<Slice> slices(String text, long seed) {
        Random random = new Random(seed);
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        List<Slice> slices = new ArrayList<>();
        int burstLeft = 0;
        for (int i = 0; i < tokens.size(); ) {
            int size = 1 + random.nextInt(burstLeft > 0 ? 12 : 5);
            StringBuilder slice = new StringBuilder();
            for (int end = Math.min(tokens.size(), i + size); i < end; i++) {
                slice.append(tokens.get(i));
            }
            long pause;
            if (burstLeft > 0) {
                burstLeft--;
                pause = random.nextInt(4);
            } else if (random.nextInt(25) == 0) {
                pause = 300 + random.nextInt(500);
            } else {
                pause = 15 + random.nextInt(70);
                if (random.nextInt(8) == 0) {
                    burstLeft = 2 + random.nextInt(5);
                }
            }
            slices.add(new Slice(slice.toString(), pause));
        }
        return slices;
    }
}
