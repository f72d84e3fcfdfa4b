package io.assistantstream.delivery.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StallRuleTest {

    @Test
    void theClockCountsFromTheLastProgress() {
        StallRule rule = new StallRule();
        long second = TimeUnit.SECONDS.toNanos(1);
        long now = System.nanoTime();
        assertFalse(rule.exceeded(second, now));
        assertTrue(rule.exceeded(second, now + 2 * second));
        rule.progressed();
        assertFalse(rule.exceeded(second, System.nanoTime() + second / 2), "progress restarts the clock");
    }

    @Test
    void eachVerdictNamesTheSettingThatWouldPreventIt() {
        StallRule.Verdict stalled = StallRule.stalled(TimeUnit.SECONDS.toNanos(10));
        assertTrue(stalled.what().contains("10 s") && stalled.remedy().contains("stream.stall-seconds"), stalled.toString());
        assertTrue(stalled.reason().contains("last event id"), stalled.reason());
        StallRule.Verdict behind = StallRule.fellBehind();
        assertTrue(behind.remedy().contains("stream.replay-buffer-events"), behind.toString());
    }
}
