package io.assistantstream.stream.redis;

import io.micrometer.core.instrument.Counter;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What arrives on this server's live feed, sent where it belongs: a session's event to its window here, a
 * control signal (a cancel for an answer this server reads) to its handler; and what a lost feed means for the
 * subscribers here.
 */
final class LiveMessages implements RedisFeed.Listener {

    private static final Logger LOG = Logger.getLogger(LiveMessages.class.getName());

    private final String signalChannel;
    private final Counter feedLost;
    private volatile NodeChannels channels;
    private volatile BiConsumer<String, String> signalHandler = (session, signal) -> {
    };

    LiveMessages(String signalChannel, Counter feedLost) {
        this.signalChannel = signalChannel;
        this.feedLost = feedLost;
    }

    void routeTo(NodeChannels channels) {
        this.channels = channels;
    }

    void onSignal(BiConsumer<String, String> handler) {
        this.signalHandler = handler;
    }

    @Override
    public void onMessage(String channelName, String message) {
        if (channelName.equals(signalChannel)) {
            int space = message.indexOf(' ');
            if (space > 0) {
                signalHandler.accept(message.substring(0, space), message.substring(space + 1));
            }
            return;
        }
        try {
            channels.offer(sessionOf(channelName), RedisStore.parseLive(message));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ignored a malformed message on " + channelName, e);
        }
    }

    @Override
    public void onLost(String reason) {
        feedLost.increment();
        int count = channels.interruptAll();
        LOG.warning("Lost the live feed from Redis (" + reason + "); the subscribers of " + count
                + " sessions on this server were told to resume; new ones are refused until it is back");
    }

    @Override
    public void onConnected() {
        LOG.info("The live feed from Redis is connected");
    }

    /** The session id inside a live channel's name ({@code PREFIX:{SESSION}:live}). */
    private static String sessionOf(String liveChannel) {
        int open = liveChannel.indexOf('{');
        int close = liveChannel.lastIndexOf('}');
        return liveChannel.substring(open + 1, close);
    }
}
