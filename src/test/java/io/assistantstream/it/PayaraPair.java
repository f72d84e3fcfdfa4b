package io.assistantstream.it;

import java.util.List;
import java.util.Map;

/**
 * A cluster as an operator runs it: two Payara Micro servers started with one environment (A and B), behind the
 * tests' haproxy, which sends each request to them in turn.
 */
record PayaraPair(PayaraProcess first, PayaraProcess second, Haproxy balancer) implements AutoCloseable {

    /** {@code name}: the servers' directories and logs are NAME-a and NAME-b. */
    static PayaraPair start(String name, Map<String, String> environment) throws Exception {
        PayaraProcess first = new PayaraProcess(name + "-a", environment).start();
        PayaraProcess second = new PayaraProcess(name + "-b", environment).start();
        return new PayaraPair(first, second,
                Haproxy.start(name, List.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port())));
    }

    @Override
    public void close() throws Exception {
        balancer.close();
        first.stop();
        second.stop();
    }
}
