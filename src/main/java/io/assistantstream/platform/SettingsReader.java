package io.assistantstream.platform;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads keys from one source of values, remembering what is in effect (secrets masked) and what is wrong, and
 * binds each group's record by its components' names, so no group is ever built by position.
 */
final class SettingsReader {

    private final Function<String, Optional<String>> source;
    final Map<String, String> effective = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();

    SettingsReader(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /**
     * The record whose canonical constructor takes, for each component, the value named after it.
     *
     * @throws IllegalStateException when the names are not exactly the record's components or a value's type is
     *                               not its component's: a mistake in this code, found by the settings' unit test
     */
    static <R extends Record> R bind(Class<R> type, Map<String, ?> byName) {
        RecordComponent[] components = type.getRecordComponents();
        Set<String> names = new TreeSet<>(Arrays.stream(components).map(RecordComponent::getName).toList());
        if (!names.equals(new TreeSet<>(byName.keySet()))) {
            throw new IllegalStateException(type.getSimpleName() + " has the components " + names + ", not "
                    + new TreeSet<>(byName.keySet()));
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(Arrays.stream(components).map(c -> byName.get(c.getName())).toArray());
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | IllegalArgumentException | InvocationTargetException e) {
            throw new IllegalStateException("Could not bind " + type.getSimpleName() + " by name: " + e, e);
        }
    }

    /** A key this version no longer reads: set, it is a problem, so a configuration never silently stops working. */
    void retired(String key, String why) {
        source.apply(key).ifPresent(value -> problems.add(key + "=" + value + ": no longer read; " + why));
    }

    Optional<String> text(String key, boolean secret) {
        Optional<String> value = source.apply(key).map(String::strip).filter(text -> !text.isEmpty());
        effective.put(key, value.map(text -> secret ? "(set)" : text).orElse("(none)"));
        return value;
    }

    /** An http:// or https:// address with a host, without a trailing slash. */
    Optional<String> httpUrl(String key, String example) {
        Optional<String> url = text(key, false).map(text -> text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (url.isPresent() && !isHttpUrl(url.get())) {
            problems.add(key + "=" + url.get() + ": must be an http:// or https:// address with a host, e.g. " + example);
            return Optional.empty();
        }
        return url;
    }

    long number(String key, long defaultValue, long min, long max) {
        Optional<String> raw = source.apply(key).map(String::strip);
        long value = defaultValue;
        if (raw.isPresent()) {
            try {
                value = Long.parseLong(raw.get());
            } catch (NumberFormatException e) {
                problems.add(key + "=" + raw.get() + ": must be a whole number from " + min + " to " + max);
                return defaultValue;
            }
        }
        if (value < min || value > max) {
            problems.add(key + "=" + value + ": must be from " + min + " to " + max);
        }
        effective.put(key, Long.toString(value));
        return value;
    }

    int integer(String key, int defaultValue, int min, int max) {
        return (int) number(key, defaultValue, min, max);
    }

    Duration seconds(String key, long defaultValue, long min, long max) {
        return Duration.ofSeconds(number(key, defaultValue, min, max));
    }

    Duration millis(String key, long defaultValue, long min, long max) {
        return Duration.ofMillis(number(key, defaultValue, min, max));
    }

    boolean flag(String key, boolean defaultValue) {
        Optional<String> raw = source.apply(key).map(String::strip);
        if (raw.isPresent() && !raw.get().equalsIgnoreCase("true") && !raw.get().equalsIgnoreCase("false")) {
            problems.add(key + "=" + raw.get() + ": must be true or false");
            return defaultValue;
        }
        boolean value = raw.map(Boolean::parseBoolean).orElse(defaultValue);
        effective.put(key, Boolean.toString(value));
        return value;
    }

    static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
