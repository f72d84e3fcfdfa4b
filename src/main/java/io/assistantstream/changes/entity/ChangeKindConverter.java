package io.assistantstream.changes.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/**
 * Stores a {@link ChangeKind} by its wire name, as the column always held it. A concrete converter per enum:
 * EclipseLink does not apply a converter whose types come from a generic base class to query parameters.
 */
@Converter(autoApply = true)
public class ChangeKindConverter implements AttributeConverter<ChangeKind, String> {

    @Override
    public String convertToDatabaseColumn(ChangeKind value) {
        return value == null ? null : value.wireName();
    }

    @Override
    public ChangeKind convertToEntityAttribute(String column) {
        return column == null ? null : ChangeKind.valueOf(column.toUpperCase(Locale.ROOT));
    }
}
