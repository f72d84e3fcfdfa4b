package io.assistantstream.changes.entity;

import jakarta.persistence.AttributeConverter;
import java.util.Locale;

/** Stores an enum by its wire name (its constant's name in lower case), as the column always held it. */
abstract class WireNameConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;

    WireNameConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public E convertToEntityAttribute(String column) {
        return column == null ? null : Enum.valueOf(type, column.toUpperCase(Locale.ROOT));
    }
}
