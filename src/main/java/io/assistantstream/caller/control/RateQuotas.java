package io.assistantstream.caller.control;

import io.assistantstream.caller.entity.Quota;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.platform.QuotaSettings;
import io.assistantstream.platform.RedisPools;
import io.assistantstream.platform.RedisSettings;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The quotas that count per window (sessions created, questions asked), as Bucket4j token buckets refilled whole
 * at the end of each window: on Redis when {@code redis.url} is set, so every server spends from one budget per
 * caller, else in this server's memory. While Redis cannot be reached each server counts on its own (a caller may
 * then spend up to one budget per server) rather than refusing everyone.
 */
@ApplicationScoped
public class RateQuotas {

    private static final Logger LOG = Logger.getLogger(RateQuotas.class.getName());
    /** How many callers' buckets this server keeps before it drops the ones that are full again. */
    private static final int LOCAL_SWEEP_AT = 10_000;
    private static final Duration SHARED_RETRY = Duration.ofSeconds(5);

    @Inject
    QuotaSettings settings;

    @Inject
    RedisSettings redis;

    @Inject
    RedisPools pools;

    private final Map<Quota, Map<String, Bucket>> local = new ConcurrentHashMap<>();
    private final AtomicBoolean sharedLost = new AtomicBoolean();
    private final AtomicLong takes = new AtomicLong();
    private volatile long sharedRetryAtNanos = System.nanoTime();
    /** This server's buckets' clock: a test moves its own through a window instead of sleeping it out. */
    TimeMeter clock = TimeMeter.SYSTEM_MILLISECONDS;
    private ProxyManager<String> shared;

    /** For the container. */
    public RateQuotas() {
    }

    /** Outside a container (tests): started at once, on Redis when {@code redis} names one. */
    public RateQuotas(QuotaSettings settings, RedisSettings redis, RedisPools pools) {
        this.settings = settings;
        this.redis = redis;
        this.pools = pools;
        start();
    }

    @PostConstruct
    void start() {
        if (redis.enabled()) {
            shared = JedisBasedProxyManager.builderFor(pools.commands())
                    .withExpirationStrategy(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build()
                    .withMapper(key -> key.getBytes(StandardCharsets.UTF_8));
        }
    }


    /**
     * Spends one of the caller's {@code quota}.
     *
     * @throws ProblemException 429 naming the quota, with the seconds until it refills
     * @throws IllegalArgumentException for a quota that is not counted per window
     */
    public Taken take(Quota quota, String callerId) {
        int limit;
        Duration window;
        switch (quota) {
            case SESSIONS -> {
                limit = settings.sessions();
                window = settings.sessionsWindow();
            }
            case QUESTIONS -> {
                limit = settings.questions();
                window = settings.questionsWindow();
            }
            default -> throw new IllegalArgumentException("Quota " + quota.wireName()
                    + " counts what is held at once, not what is spent per window: it is not taken here");
        }
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit).refillIntervally(limit, window))
                .build();
        Spent spent = consume(quota, callerId, configuration);
        ConsumptionProbe probe = spent.probe();
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
            throw ProblemException.overQuota(quota.wireName(), "Quota " + quota.wireName() + " spent: at most "
                    + limit + " per " + window.toSeconds() + " s for one caller (quota." + quota.wireName()
                    + "); try again in " + seconds + " s", (int) Math.min(Integer.MAX_VALUE, seconds));
        }
        return new Taken(spent.bucket(), quota, callerId);
    }

    /**
     * One unit of a quota, spent. Taken before the work it pays for, outside any transaction (a Redis round trip
     * must not hold a row lock), and given back when that work is then refused, so a question refused with 409
     * (another answer streams) costs the caller nothing.
     */
    public record Taken(Bucket bucket, Quota quota, String callerId) {

        public void giveBack() {
            try {
                bucket.addTokens(1);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not give back one " + quota.wireName() + " of caller " + callerId
                        + " after the work it paid for was refused (" + e.getMessage() + "); it refills with its window", e);
            }
        }
    }

    private record Spent(Bucket bucket, ConsumptionProbe probe) {
    }

    private Spent consume(Quota quota, String callerId, BucketConfiguration configuration) {
        if (shared != null && System.nanoTime() - sharedRetryAtNanos >= 0) {
            try {
                Bucket bucket = shared.builder()
                        .build(redis.keyPrefix() + ":quota:" + quota.wireName() + ":" + callerId, () -> configuration);
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (sharedLost.compareAndSet(true, false)) {
                    LOG.info("Quotas are shared through Redis again");
                }
                return new Spent(bucket, probe);
            } catch (RuntimeException e) {
                // Not every question waits out Redis's timeout while it is away: try it again in a while.
                sharedRetryAtNanos = System.nanoTime() + SHARED_RETRY.toNanos();
                if (sharedLost.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "Quotas cannot reach Redis (" + e.getMessage() + "); this server counts "
                            + "them on its own until it can, so a caller may spend a budget per server meanwhile", e);
                }
            }
        }
        Map<String, Bucket> buckets = local.computeIfAbsent(quota, unused -> new ConcurrentHashMap<>());
        long capacity = configuration.getBandwidths()[0].getCapacity();
        if (takes.incrementAndGet() % 1024 == 0 && buckets.size() > LOCAL_SWEEP_AT) {
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= capacity);
        }
        Bucket bucket = buckets.computeIfAbsent(callerId, unused -> Bucket.builder()
                .addLimit(configuration.getBandwidths()[0]).withCustomTimePrecision(clock).build());
        return new Spent(bucket, bucket.tryConsumeAndReturnRemaining(1));
    }
}
