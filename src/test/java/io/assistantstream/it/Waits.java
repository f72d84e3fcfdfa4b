package io.assistantstream.it;

/** Waiting for a state the servers reach by themselves (a Redis found again, a probe turning), polled. */
final class Waits {

    interface Check {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    static void awaitTrue(Check check, long millis, String what) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(100);
        }
    }
}
