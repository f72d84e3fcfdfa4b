package io.assistantstream.stream.entity;

import java.util.Locale;

/** An event record's wire name, its simple name in snake case, worked out once per record type. */
final class WireNames {

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
    };

    private WireNames() {
    }

    static String of(Class<?> type) {
        return NAMES.get(type);
    }
}
