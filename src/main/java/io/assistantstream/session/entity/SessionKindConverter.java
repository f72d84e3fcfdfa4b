package io.assistantstream.session.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link SessionKind} by its wire name, as the column always held it (concrete: see ChangeKindConverter). */
@Converter(autoApply = true)
public class SessionKindConverter implements AttributeConverter<SessionKind, String> {

    @Override
    public String convertToDatabaseColumn(SessionKind value) {
        return value == null ? null : value.wireName();
    }

    @Override
    public SessionKind convertToEntityAttribute(String column) {
        return column == null ? null : SessionKind.fromWire(column).orElseThrow(
                () -> new IllegalStateException("chat_session.kind holds an unknown kind: " + column));
    }
}
